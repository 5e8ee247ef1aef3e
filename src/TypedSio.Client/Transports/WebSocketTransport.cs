using System.Buffers;
using System.Net.WebSockets;
using TypedSio.EngineIO;

namespace TypedSio.Client.Transports;

/// <summary>One WebSocket carrying each Engine.IO packet as one frame (text, or binary for binary messages).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The token source has no timer to release; Abort cancels it, and loops still read its token after the owner moved on.")]
internal sealed partial class WebSocketTransport : EngineIOTransport
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(256);
    private ClientWebSocket? _socket;

    public WebSocketTransport(TransportContext context, IEngineIOTransportOwner owner)
        : base(context, owner)
    {
    }

    public override EngineIOTransportKind Kind => EngineIOTransportKind.WebSocket;

    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken);
        StartReceiving();
    }

    /// <summary>Opens the WebSocket without reading from it yet (an upgrade probe reads the <c>3probe</c> itself).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var uri = Context.BuildUri(EngineIOTransportKind.WebSocket, Sid);
        Log.Connecting(Context.WebSocketLogger, uri);
        var socket = new ClientWebSocket();

        // Engine.IO runs its own heartbeat; WebSocket keep-alive pings would only add traffic.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var (name, value) in Context.Options.ExtraHeaders)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var capture = new RefusalCapturingHandler(Context.Handler);
        using var invoker = new HttpMessageInvoker(capture, disposeHandler: false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            await socket.ConnectAsync(uri, invoker, linked.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            socket.Dispose();
            if (capture.Refusal is { } refusal)
            {
                Log.UpgradeRefused(Context.WebSocketLogger, refusal.Status, refusal.Body);
                throw ConnectFailures.FromResponse(refusal.Status, refusal.ContentType, refusal.Body, Context);
            }

            throw ConnectFailures.Map(exception, Context) ?? new ServerUnreachableException(Context.Host, Context.Port, exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        Log.Opened(Context.WebSocketLogger);
    }

    /// <summary>Reads one packet and returns a copy of it, or null when the socket closed first.</summary>
    public async Task<(EngineIOPacketType Type, string? Text)?> ReceiveOneAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var buffer = new ArrayBufferWriter<byte>(256);
        var type = await ReceiveFrameAsync(buffer, linked.Token);
        if (type is not { } messageType)
        {
            return null;
        }

        var packet = Decode(buffer, messageType);
        return (packet.Type, packet.IsBinary ? null : packet.GetText());
    }

    /// <summary>Starts the receive loop that hands every packet to the owner.</summary>
    public void StartReceiving() => _ = Task.Run(ReceiveLoopAsync, CancellationToken.None);

    public override async Task WriteAsync(IReadOnlyList<EngineIOPacket> packets, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("The WebSocket is not connected.");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        foreach (var packet in packets)
        {
            _sendBuffer.ResetWrittenCount();
            if (packet.IsBinary)
            {
                EngineIOFrameCodec.WriteBinary(packet, _sendBuffer, Context.Version);
            }
            else
            {
                EngineIOFrameCodec.WriteText(packet, _sendBuffer, Context.Version);
            }

            var messageType = packet.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            Log.FrameSent(Context.WebSocketLogger, messageType, _sendBuffer.WrittenCount);
            await socket.SendAsync(_sendBuffer.WrittenMemory, messageType, endOfMessage: true, linked.Token);
        }
    }

    public override async Task CloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_socket is { State: WebSocketState.Open } socket)
            {
                Log.Closing(Context.WebSocketLogger);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), Context.Options.TimeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, linked.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The session ends either way; the server notices the dropped connection.
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

        _socket?.Abort();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                if (await ReceiveFrameAsync(buffer, _stop.Token) is not { } messageType)
                {
                    Log.ClosedByServer(Context.WebSocketLogger);
                    Owner.OnTransportClosed(this, "transport close", null);
                    return;
                }

                var packet = Decode(buffer, messageType);
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                Owner.OnPacket(this, packet);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // aborted by the owner
        }
        catch (ServerProtocolViolationException exception)
        {
            Owner.OnTransportClosed(this, "parse error", exception);
        }
        catch (Exception exception)
        {
            Owner.OnTransportClosed(this, "transport error", ConnectFailures.Map(exception, Context) ?? exception);
        }
    }

    private async Task<WebSocketMessageType?> ReceiveFrameAsync(ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("The WebSocket is not connected.");
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
        }
        while (!result.EndOfMessage);
        Log.FrameReceived(Context.WebSocketLogger, result.MessageType, buffer.WrittenCount);
        return result.MessageType;
    }

    private EngineIOPacket Decode(ArrayBufferWriter<byte> buffer, WebSocketMessageType messageType)
    {
        var frame = new ReadOnlySequence<byte>(buffer.WrittenMemory);
        var decoded = messageType == WebSocketMessageType.Binary
            ? EngineIOFrameCodec.TryDecodeBinary(frame, Context.Version, out var packet, out var error)
            : EngineIOFrameCodec.TryDecodeText(frame, Context.Version, out packet, out error);
        return decoded
            ? packet
            : throw new ServerProtocolViolationException("an undecodable WebSocket frame: " + error.Message, new EngineIOParseException(error));
    }
}
