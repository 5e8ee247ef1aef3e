using System.Buffers;
using System.Net.WebSockets;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// An Engine.IO WebSocket over <see cref="System.Net.WebSockets.WebSocket"/>: used when per-message deflate is on (or the
/// request is not a plain HTTP/1.1 upgrade), since only that implementation compresses.
/// </summary>
internal sealed class ManagedEngineIOWebSocket : EngineIOWebSocket
{
    private readonly WebSocket _socket;
    private readonly EngineIOProtocolVersion _protocol;
    private readonly bool _supportsBinary;
    private readonly long _maxMessageSize;
    private readonly int? _compressionThreshold;
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private const int InputSize = 4096;
    private byte[]? _input;

    public ManagedEngineIOWebSocket(WebSocket socket, EngineIOProtocolVersion protocol, bool supportsBinary, long maxMessageSize, int? compressionThreshold, TimeProvider time)
        : base(time)
    {
        _socket = socket;
        _protocol = protocol;
        _supportsBinary = supportsBinary;
        _maxMessageSize = maxMessageSize;
        _compressionThreshold = compressionThreshold;
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<long> SendAsync(EngineIOPacket packet, CancellationToken cancellationToken)
    {
        await SendLock.WaitAsync(cancellationToken);
        try
        {
            _output.ResetWrittenCount();
            WebSocketMessageType type;
            if (packet.IsBinary && _supportsBinary)
            {
                EngineIOFrameCodec.WriteBinary(packet, _output, _protocol);
                type = WebSocketMessageType.Binary;
            }
            else
            {
                EngineIOFrameCodec.WriteText(packet, _output, _protocol);
                type = WebSocketMessageType.Text;
            }

            var flags = WebSocketMessageFlags.EndOfMessage;
            if (_compressionThreshold is { } threshold && _output.WrittenCount < threshold)
            {
                flags |= WebSocketMessageFlags.DisableCompression;
            }

            await _socket.SendAsync(_output.WrittenMemory, type, flags, cancellationToken);
            return _output.WrittenCount;
        }
        finally
        {
            SendLock.Release();
        }
    }

    // Pooled: every message that is waited for completes asynchronously, and a fresh state machine each time would be
    // the largest allocation per received message.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<(FrameKind Kind, ReadOnlyMemory<byte> Data)> ReceiveAsync(CancellationToken cancellationToken)
    {
        // The previous message is done with: an idle socket holds no buffer while it waits (a zero-byte read), and
        // rents one from the pool only once a message starts arriving.
        ReturnInput();
        var first = await _socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (first.MessageType == WebSocketMessageType.Close)
        {
            return (FrameKind.Close, default);
        }

        if (first.EndOfMessage)
        {
            return (first.MessageType == WebSocketMessageType.Binary ? FrameKind.Binary : FrameKind.Text, ReadOnlyMemory<byte>.Empty);
        }

        var input = _input = ArrayPool<byte>.Shared.Rent(InputSize);
        var count = 0;
        while (true)
        {
            if (count == input.Length)
            {
                // Grow up to one byte past the limit, so an oversized message is recognised without reading it all.
                var size = (int)Math.Min((long)input.Length * 2, Math.Min(_maxMessageSize + 1, Array.MaxLength));
                if (size <= input.Length)
                {
                    return (FrameKind.TooBig, default);
                }

                var larger = ArrayPool<byte>.Shared.Rent(size);
                input.AsSpan(0, count).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(input);
                input = _input = larger;
            }

            var result = await _socket.ReceiveAsync(input.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (FrameKind.Close, default);
            }

            count += result.Count;
            if (count > _maxMessageSize)
            {
                return (FrameKind.TooBig, default);
            }

            if (result.EndOfMessage)
            {
                var kind = result.MessageType == WebSocketMessageType.Binary ? FrameKind.Binary : FrameKind.Text;
                return (kind, input.AsMemory(0, count));
            }
        }
    }

    private void ReturnInput()
    {
        if (_input is { } input)
        {
            _input = null;
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    protected override async ValueTask WriteCloseFrameAsync(CancellationToken cancellationToken)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(CloseStatus, null, cancellationToken);
        }
    }

    protected override void Abort() => _socket.Abort();

    public override void Dispose()
    {
        ReturnInput();
        _socket.Dispose();
        SendLock.Dispose();
    }
}
