using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

public sealed partial class EngineIOServer
{
    private static readonly byte[] OkBody = "ok"u8.ToArray();

    private const string OkContentType = "text/html";
    private const string TextContentType = "text/plain; charset=UTF-8";
    private const string BinaryContentType = "application/octet-stream";

    // Payloads up to this size are written into one span of the response; larger ones go packet by packet.
    private const int SingleSpanPayloadLimit = 4000;

    private async Task HandlePollingHandshakeAsync(HttpContext context, EngineIOProtocolVersion protocol)
    {
        var session = CreateSession(context, EngineIOTransportNames.Polling, protocol);
        if (Options.Cookie is { } cookie)
        {
            context.Response.Headers.Append("Set-Cookie", FormatCookie(cookie, session.Id));
        }

        // The first poll finds the open packet waiting; the application starts only once it is taken.
        session.BeginPoll(out var packets, out var waiter);
        if (waiter is not null)
        {
            using (EngineIOSession.RegisterPollAbort(waiter, context.RequestAborted))
            {
                packets = await waiter.Task;
            }
        }

        StartSession(session);
        await WritePayloadAsync(context, session, packets);
    }

    private Task HandlePollingRequestAsync(HttpContext context, EngineIOSession session)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method))
        {
            return HandlePollAsync(context, session);
        }

        if (HttpMethods.IsPost(method))
        {
            return HandlePostAsync(context, session);
        }

        return AnswerEmptyAsync(context, StatusCodes.Status500InternalServerError);
    }

    // Synchronous when there is something to send at once; only a held poll goes through an async method.
    private Task HandlePollAsync(HttpContext context, EngineIOSession session)
    {
        switch (session.BeginPoll(out var packets, out var waiter))
        {
            case EngineIOSession.PollStatus.Overlap:
                return RefuseAsync(context, EngineIOErrorCode.BadRequest, isWebSocket: false, "overlapping poll");
            case EngineIOSession.PollStatus.Gone:
                return RefuseAsync(context, EngineIOErrorCode.SessionIdUnknown, isWebSocket: false, "sid: " + session.Id);
            default:
                return waiter is null ? WritePayloadAsync(context, session, packets) : HoldPollAsync(context, session, waiter);
        }
    }

    private async Task HoldPollAsync(HttpContext context, EngineIOSession session, TaskCompletionSource<EngineIOPacket[]> waiter)
    {
        EngineIOPacket[] packets;
        using (EngineIOSession.RegisterPollAbort(waiter, context.RequestAborted))
        {
            packets = await waiter.Task;
        }

        await WritePayloadAsync(context, session, packets);
    }

    private async Task HandlePostAsync(HttpContext context, EngineIOSession session)
    {
        var isBinary = context.Request.ContentType == BinaryContentType;
        if (isBinary && session.Protocol == EngineIOProtocolVersion.V4)
        {
            session.OnTransportError("binary content in a v4 POST");
            await AnswerEmptyAsync(context, StatusCodes.Status400BadRequest);
            return;
        }

        if (!session.TryBeginPost())
        {
            await AnswerEmptyAsync(context, StatusCodes.Status400BadRequest);
            return;
        }

        try
        {
            if (await ReadBodyAsync(context, Options.MaxHttpBufferSize) is not { } body)
            {
                // Like the reference: the request is refused but the session lives on (the client will give up on it).
                Log.PayloadTooLarge(Logger, session.Id);
                await AnswerEmptyAsync(context, StatusCodes.Status413PayloadTooLarge);
                return;
            }

            // Packets are decoded in place in the request's pipe; the session copies what it keeps before it is released.
            try
            {
                Metrics.BytesReceived(body.Length);
                var format = session.Protocol == EngineIOProtocolVersion.V4 ? EngineIOPayloadFormat.V4
                    : isBinary ? EngineIOPayloadFormat.V3Binary
                    : EngineIOPayloadFormat.V3Text;
                var reader = new EngineIOPayloadReader(body, format);
                while (reader.TryRead(out var packet))
                {
                    var delivered = session.OnPacketAsync(packet);
                    if (!delivered.IsCompletedSuccessfully)
                    {
                        await delivered;
                    }
                }

                if (reader.Error is { } error)
                {
                    session.OnParseError(error);
                }
            }
            finally
            {
                context.Request.BodyReader.AdvanceTo(body.End);
            }

            // Every packet of the body has been handed over before the client hears "ok".
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = OkContentType;
            response.ContentLength = OkBody.Length;
            AddPollingHeaders(context);
            response.BodyWriter.Write(OkBody); // flushed with the end of the response, in the same write as the headers
        }
        finally
        {
            session.EndPost();
        }
    }

    // Reads the whole body into the request's pipe and returns it unconsumed (the caller advances past it); null when
    // it is larger than max.
    private static async ValueTask<ReadOnlySequence<byte>?> ReadBodyAsync(HttpContext context, long max)
    {
        if (context.Request.ContentLength > max)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + 1;
        }

        var bodyReader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await bodyReader.ReadAsync(context.RequestAborted);
                if (read.Buffer.Length > max)
                {
                    bodyReader.AdvanceTo(read.Buffer.End);
                    return null;
                }

                if (read.IsCompleted)
                {
                    return read.Buffer;
                }

                bodyReader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (BadHttpRequestException)
        {
            return null; // the server's own body size limit
        }
    }

    private Task WritePayloadAsync(HttpContext context, EngineIOSession session, EngineIOPacket[] packets)
    {
        var format = session.Protocol == EngineIOProtocolVersion.V4 ? EngineIOPayloadFormat.V4
            : session.SupportsBinary && EngineIOPayloadWriter.HasBinary(packets) ? EngineIOPayloadFormat.V3Binary
            : EngineIOPayloadFormat.V3Text;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format == EngineIOPayloadFormat.V3Binary ? BinaryContentType : TextContentType;
        AddPollingHeaders(context);

        // v4 payloads (the common case) have a length known up front: they go straight into the response, which
        // Kestrel sends in one write with the headers when the request ends. The rest is encoded first.
        if (format == EngineIOPayloadFormat.V4)
        {
            var length = GetV4PayloadLength(packets);
            if (!ShouldCompress(context, length, out _))
            {
                Metrics.BytesSent(length);
                response.ContentLength = length;
                WriteV4Payload(packets, length, response.BodyWriter);
                return Task.CompletedTask;
            }
        }

        return WriteEncodedPayloadAsync(context, packets, format);
    }

    private async Task WriteEncodedPayloadAsync(HttpContext context, EngineIOPacket[] packets, EngineIOPayloadFormat format)
    {
        var payload = new ArrayBufferWriter<byte>(256);
        EngineIOPayloadWriter.Write(packets, payload, format);
        Metrics.BytesSent(payload.WrittenCount);
        var response = context.Response;
        try
        {
            if (ShouldCompress(context, payload.WrittenCount, out var encoding))
            {
                response.Headers.ContentEncoding = encoding;
                await using Stream compressor = encoding == "gzip"
                    ? new GZipStream(response.Body, Options.HttpCompression!.Level, leaveOpen: true)
                    : new ZLibStream(response.Body, Options.HttpCompression!.Level, leaveOpen: true);
                await compressor.WriteAsync(payload.WrittenMemory);
                return;
            }

            response.ContentLength = payload.WrittenCount;
            await response.Body.WriteAsync(payload.WrittenMemory);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away after the packets were taken; like the reference, they are lost with the response.
        }
    }

    private bool ShouldCompress(HttpContext context, long length, out string? encoding)
    {
        encoding = Options.HttpCompression is { } compression && length >= compression.Threshold
            ? ChooseEncoding(context.Request.Headers.AcceptEncoding)
            : null;
        return encoding is not null;
    }

    private static long GetV4PayloadLength(EngineIOPacket[] packets)
    {
        long length = Math.Max(0, packets.Length - 1); // the record separators
        foreach (var packet in packets)
        {
            length += EngineIOFrameCodec.GetTextLength(packet, EngineIOProtocolVersion.V4);
        }

        return length;
    }

    private static void WriteV4Payload(EngineIOPacket[] packets, long length, PipeWriter output)
    {
        if (length > SingleSpanPayloadLimit || EngineIOPayloadWriter.HasBinary(packets))
        {
            EngineIOPayloadWriter.Write(packets, output, EngineIOPayloadFormat.V4);
            return;
        }

        // Text packets are the type digit then their UTF-8 data: copied in one pass, without a call per piece.
        var span = output.GetSpan((int)length);
        var at = 0;
        for (var i = 0; i < packets.Length; i++)
        {
            if (i > 0)
            {
                span[at++] = 0x1E;
            }

            span[at++] = (byte)('0' + (int)packets[i].Type);
            packets[i].Data.CopyTo(span[at..]);
            at += (int)packets[i].Data.Length;
        }

        output.Advance(at);
    }

    private static void AddPollingHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";

        // Old Internet Explorer flags the responses as cross-site scripting unless told not to.
        var userAgent = context.Request.Headers.UserAgent.ToString();
        if (userAgent.Contains(";MSIE", StringComparison.Ordinal) || userAgent.Contains("Trident/", StringComparison.Ordinal))
        {
            headers["X-XSS-Protection"] = "0";
        }
    }

    // gzip or deflate (zlib-wrapped, as the HTTP "deflate" coding and Node's createDeflate are), best q first, gzip on a tie.
    private static string? ChooseEncoding(StringValues acceptEncoding)
    {
        string? best = null;
        var bestQuality = 0.0;
        foreach (var header in acceptEncoding)
        {
            foreach (var part in (header ?? string.Empty).Split(','))
            {
                var pieces = part.Split(';');
                var name = pieces[0].Trim().ToLowerInvariant();
                var quality = 1.0;
                foreach (var parameter in pieces.Skip(1))
                {
                    var kv = parameter.Trim();
                    if (kv.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                        && double.TryParse(kv.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q))
                    {
                        quality = q;
                    }
                }

                var candidate = name switch
                {
                    "gzip" or "*" => "gzip",
                    "deflate" => "deflate",
                    _ => null,
                };
                if (candidate is not null && quality > 0
                    && (quality > bestQuality || (quality == bestQuality && candidate == "gzip")))
                {
                    best = candidate;
                    bestQuality = quality;
                }
            }
        }

        return best;
    }

    private static string FormatCookie(EngineIOCookieOptions cookie, string sid)
    {
        var text = new System.Text.StringBuilder();
        text.Append(cookie.Name).Append('=').Append(Uri.EscapeDataString(sid));
        if (cookie.MaxAge is { } maxAge)
        {
            text.Append("; Max-Age=").Append((long)maxAge.TotalSeconds);
        }

        if (cookie.Domain is { } domain)
        {
            text.Append("; Domain=").Append(domain);
        }

        if (cookie.Path is { } path)
        {
            text.Append("; Path=").Append(path);
        }

        if (cookie.HttpOnly)
        {
            text.Append("; HttpOnly");
        }

        if (cookie.Secure)
        {
            text.Append("; Secure");
        }

        if (cookie.SameSite is { } sameSite)
        {
            text.Append("; SameSite=").Append(sameSite);
        }

        return text.ToString();
    }
}
