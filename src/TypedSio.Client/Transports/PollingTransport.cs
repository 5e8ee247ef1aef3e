using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using TypedSio.EngineIO;

namespace TypedSio.Client.Transports;

/// <summary>HTTP long-polling: one pending GET at a time receives packets, POSTs send them.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The token source has no timer to release; Abort cancels it, and loops still read its token after the owner moved on.")]
internal sealed partial class PollingTransport : EngineIOTransport
{
    private static readonly MediaTypeHeaderValue PayloadContentType = MediaTypeHeaderValue.Parse("text/plain;charset=UTF-8");
    private readonly CancellationTokenSource _stop = new();
    private Task _pollLoop = Task.CompletedTask;
    private volatile bool _pausing;

    public PollingTransport(TransportContext context, IEngineIOTransportOwner owner)
        : base(context, owner)
    {
    }

    public override EngineIOTransportKind Kind => EngineIOTransportKind.Polling;

    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var body = await PollOnceAsync(linked.Token);
        Deliver(body);
        if (Sid is not null && !_stop.IsCancellationRequested)
        {
            _pollLoop = Task.Run(PollLoopAsync, CancellationToken.None);
        }
    }

    public override async Task WriteAsync(IReadOnlyList<EngineIOPacket> packets, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var array = packets as EngineIOPacket[] ?? [.. packets];
        EngineIOPayloadWriter.Write(array, buffer, Context.PayloadFormat);
        Log.Writing(Context.PollingLogger, array.Length, buffer.WrittenCount);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        await SendAsync(HttpMethod.Post, buffer.WrittenMemory, linked.Token);
        Log.WriteDone(Context.PollingLogger);
    }

    /// <summary>Stops polling once the pending GET completes (the server releases it with a noop during an upgrade).</summary>
    public async Task PauseAsync()
    {
        Log.Pausing(Context.PollingLogger);
        _pausing = true;
        try
        {
            await _pollLoop;
        }
        catch (OperationCanceledException)
        {
            // aborted while pausing: the owner is closing anyway
        }

        Log.Paused(Context.PollingLogger);
    }

    public override async Task CloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Sid is not null && !_stop.IsCancellationRequested)
            {
                await WriteAsync([EngineIOPacket.Text(EngineIOPacketType.Close)], cancellationToken);
            }
        }
        finally
        {
            Abort();
        }
    }

    public override void Abort()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already stopped
        }
    }

    private async Task PollLoopAsync()
    {
        try
        {
            while (!_pausing && !_stop.IsCancellationRequested)
            {
                var body = await PollOnceAsync(_stop.Token);
                Deliver(body);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // aborted
        }
        catch (ServerProtocolViolationException exception)
        {
            Owner.OnTransportClosed(this, "parse error", exception);
        }
        catch (Exception exception) when (!_stop.IsCancellationRequested)
        {
            Owner.OnTransportClosed(this, "transport error", ConnectFailures.Map(exception, Context) ?? exception);
        }
    }

    private async Task<byte[]> PollOnceAsync(CancellationToken cancellationToken)
    {
        Log.Polling(Context.PollingLogger);
        var body = await SendAsync(HttpMethod.Get, null, cancellationToken);
        Log.PollGotData(Context.PollingLogger, body.Length);
        return body;
    }

    private async Task<byte[]> SendAsync(HttpMethod method, ReadOnlyMemory<byte>? content, CancellationToken cancellationToken)
    {
        var uri = Context.BuildUri(EngineIOTransportKind.Polling, Sid);
        using var request = new HttpRequestMessage(method, uri);
        Context.ApplyHeaders(request);
        if (content is { } payload)
        {
            request.Content = new ReadOnlyMemoryContent(payload);
            request.Content.Headers.ContentType = PayloadContentType;
        }

        Log.Request(Context.PollingLogger, method.Method, uri);
        HttpResponseMessage response;
        try
        {
            response = await Context.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && ConnectFailures.Map(exception, Context) is { } mapped)
        {
            throw mapped;
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var text = Encoding.UTF8.GetString(body);
                Log.RequestRefused(Context.PollingLogger, method.Method, status, text);
                throw ConnectFailures.FromResponse(status, response.Content.Headers.ContentType?.ToString(), text, Context);
            }

            return body;
        }
    }

    private void Deliver(byte[] body)
    {
        var reader = new EngineIOPayloadReader(new ReadOnlySequence<byte>(body), Context.PayloadFormat);
        while (reader.TryRead(out var packet))
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            Owner.OnPacket(this, packet);
        }

        if (reader.Error is { } error)
        {
            throw new ServerProtocolViolationException("an undecodable long-polling payload: " + error.Message, new EngineIOParseException(error));
        }
    }
}
