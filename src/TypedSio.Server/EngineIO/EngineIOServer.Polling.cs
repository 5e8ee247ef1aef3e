using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

public sealed partial class EngineIOServer
{
    private static readonly byte[] OkBody = "ok"u8.ToArray();

    private async Task HandlePollingHandshakeAsync(HttpContext context, EngineIOProtocolVersion protocol)
    {
        var session = CreateSession(context, EngineIOTransportNames.Polling, protocol);
        if (Options.Cookie is { } cookie)
        {
            context.Response.Headers.Append("Set-Cookie", FormatCookie(cookie, session.Id));
        }

        // The first poll finds the open packet waiting; the application starts only once it is taken.
        var (_, packets) = await session.PollAsync(context.RequestAborted);
        StartSession(session);
        await WritePayloadAsync(context, session, packets);
    }

    private async Task HandlePollingRequestAsync(HttpContext context, EngineIOSession session)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            var (status, packets) = await session.PollAsync(context.RequestAborted);
            switch (status)
            {
                case EngineIOSession.PollStatus.Overlap:
                    await RefuseAsync(context, EngineIOErrorCode.BadRequest, isWebSocket: false, "overlapping poll");
                    break;
                case EngineIOSession.PollStatus.Gone:
                    await RefuseAsync(context, EngineIOErrorCode.SessionIdUnknown, isWebSocket: false, "sid: " + session.Id);
                    break;
                default:
                    await WritePayloadAsync(context, session, packets);
                    break;
            }
        }
        else if (HttpMethods.IsPost(context.Request.Method))
        {
            await HandlePostAsync(context, session);
        }
        else
        {
            await AnswerEmptyAsync(context, StatusCodes.Status500InternalServerError);
        }
    }

    private async Task HandlePostAsync(HttpContext context, EngineIOSession session)
    {
        var isBinary = context.Request.ContentType == "application/octet-stream";
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
            var body = await ReadBodyAsync(context, Options.MaxHttpBufferSize);
            if (body is null)
            {
                // Like the reference: the request is refused but the session lives on (the client will give up on it).
                Log.PayloadTooLarge(Logger, session.Id);
                await AnswerEmptyAsync(context, StatusCodes.Status413PayloadTooLarge);
                return;
            }

            Metrics.BytesReceived(body.Length);
            var format = session.Protocol == EngineIOProtocolVersion.V4 ? EngineIOPayloadFormat.V4
                : isBinary ? EngineIOPayloadFormat.V3Binary
                : EngineIOPayloadFormat.V3Text;
            var reader = new EngineIOPayloadReader(new ReadOnlySequence<byte>(body), format);
            while (reader.TryRead(out var packet))
            {
                await session.OnPacketAsync(packet);
            }

            if (reader.Error is { } error)
            {
                session.OnParseError(error);
            }

            // Every packet of the body has been handed over before the client hears "ok".
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/html";
            response.ContentLength = OkBody.Length;
            AddPollingHeaders(context);
            await response.Body.WriteAsync(OkBody);
        }
        finally
        {
            session.EndPost();
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long max)
    {
        if (context.Request.ContentLength > max)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException)
        {
            return null; // the server's own body size limit
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private async Task WritePayloadAsync(HttpContext context, EngineIOSession session, EngineIOPacket[] packets)
    {
        var format = session.Protocol == EngineIOProtocolVersion.V4 ? EngineIOPayloadFormat.V4
            : session.SupportsBinary && EngineIOPayloadWriter.HasBinary(packets) ? EngineIOPayloadFormat.V3Binary
            : EngineIOPayloadFormat.V3Text;
        var payload = new ArrayBufferWriter<byte>(256);
        EngineIOPayloadWriter.Write(packets, payload, format);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format == EngineIOPayloadFormat.V3Binary ? "application/octet-stream" : "text/plain; charset=UTF-8";
        AddPollingHeaders(context);
        Metrics.BytesSent(payload.WrittenCount);
        try
        {
            if (Options.HttpCompression is { } compression && payload.WrittenCount >= compression.Threshold
                && ChooseEncoding(context.Request.Headers.AcceptEncoding) is { } encoding)
            {
                response.Headers.ContentEncoding = encoding;
                await using Stream compressor = encoding == "gzip"
                    ? new GZipStream(response.Body, compression.Level, leaveOpen: true)
                    : new ZLibStream(response.Body, compression.Level, leaveOpen: true);
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
