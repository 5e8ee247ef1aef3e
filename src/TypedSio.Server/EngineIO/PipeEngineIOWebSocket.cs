using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// An Engine.IO WebSocket that does its own RFC 6455 framing over a pipe (a Kestrel connection, or an upgraded request's
/// stream). Against <see cref="ManagedEngineIOWebSocket"/> it reads every frame a read brought in before reading again,
/// writes a batch of frames with one flush, unmasks single-segment frames in place without copying them, and keeps no
/// buffer while idle. It negotiates no extension, so it is used only when per-message deflate is off.
/// </summary>
internal sealed partial class PipeEngineIOWebSocket : EngineIOWebSocket
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly Action _abort;
    private readonly bool _ownsPipes;
    private readonly EngineIOProtocolVersion _protocol;
    private readonly bool _supportsBinary;
    private readonly long _maxMessageSize;
    private bool _closeSent;
    private volatile bool _disposed;

    /// <param name="input">Where client frames arrive.</param>
    /// <param name="output">Where server frames go.</param>
    /// <param name="abort">Tears the underlying connection down (a peer that does not finish the close handshake).</param>
    /// <param name="ownsPipes">Whether <see cref="Dispose"/> completes the pipes (they were made for this socket).</param>
    /// <param name="protocol">The Engine.IO protocol version of the session.</param>
    /// <param name="supportsBinary">False for a v3 client that asked for base64.</param>
    /// <param name="maxMessageSize">The largest message accepted (<c>maxHttpBufferSize</c>).</param>
    /// <param name="time">The clock of the close handshake's timeout.</param>
    public PipeEngineIOWebSocket(
        PipeReader input,
        PipeWriter output,
        Action abort,
        bool ownsPipes,
        EngineIOProtocolVersion protocol,
        bool supportsBinary,
        long maxMessageSize,
        TimeProvider time)
        : base(time)
    {
        _input = input;
        _output = output;
        _abort = abort;
        _ownsPipes = ownsPipes;
        _protocol = protocol;
        _supportsBinary = supportsBinary;
        _maxMessageSize = maxMessageSize;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<long> SendAsync(EngineIOPacket packet, CancellationToken cancellationToken)
    {
        await SendLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfCloseSent();
            var written = WritePacket(packet);
            await FlushAsync(cancellationToken);
            return written;
        }
        finally
        {
            SendLock.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<long> SendAsync(List<EngineIOPacket> packets, CancellationToken cancellationToken)
    {
        await SendLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfCloseSent();
            long written = 0;
            for (var i = 0; i < packets.Count; i++)
            {
                written += WritePacket(packets[i]);
            }

            await FlushAsync(cancellationToken);
            return written;
        }
        finally
        {
            SendLock.Release();
        }
    }

    private long WritePacket(in EngineIOPacket packet)
    {
        // The payload's size is known before it is encoded, so the header goes first and the codec writes straight into
        // the pipe: no intermediate copy.
        long length;
        var header = _output.GetSpan(WebSocketFraming.MaxServerHeaderLength);
        if (packet.IsBinary && _supportsBinary)
        {
            length = packet.Data.Length + (_protocol == EngineIOProtocolVersion.V3 ? 1 : 0);
            _output.Advance(WebSocketFraming.WriteHeader(header, WebSocketOpcode.Binary, length));
            EngineIOFrameCodec.WriteBinary(packet, _output, _protocol);
        }
        else
        {
            length = EngineIOFrameCodec.GetTextLength(packet, _protocol);
            _output.Advance(WebSocketFraming.WriteHeader(header, WebSocketOpcode.Text, length));
            EngineIOFrameCodec.WriteText(packet, _output, _protocol);
        }

        return length;
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var result = await _output.FlushAsync(cancellationToken);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new IOException("The connection was closed while a WebSocket frame was being written.");
        }
    }

    private void ThrowIfCloseSent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_closeSent)
        {
            throw new WebSocketException(WebSocketError.InvalidState, "The close frame has been sent.");
        }
    }

    /// <summary>Answers a ping with a pong carrying the same bytes (unless our close frame went out already).</summary>
    private async ValueTask SendPongAsync(byte[] payload)
    {
        await SendLock.WaitAsync();
        try
        {
            if (_closeSent)
            {
                return;
            }

            _output.Advance(WebSocketFraming.WriteHeader(_output.GetSpan(WebSocketFraming.MaxServerHeaderLength), WebSocketOpcode.Pong, payload.Length));
            _output.Write(payload);
            await FlushAsync(CancellationToken.None);
        }
        finally
        {
            SendLock.Release();
        }
    }

    protected override async ValueTask WriteCloseFrameAsync(CancellationToken cancellationToken)
    {
        if (_closeSent || _disposed)
        {
            return;
        }

        _closeSent = true;
        var span = _output.GetSpan(WebSocketFraming.MaxServerHeaderLength + 2);
        var header = WebSocketFraming.WriteHeader(span, WebSocketOpcode.Close, 2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(span[header..], (ushort)CloseStatus);
        _output.Advance(header + 2);
        await FlushAsync(cancellationToken);
    }

    protected override void Abort()
    {
        // Once disposed, the connection (or request) this socket ran on is over and may not be ours to abort.
        if (!_disposed)
        {
            _abort();
        }
    }

    public override void Dispose()
    {
        _disposed = true;
        ReturnMessageBuffer();
        if (_ownsPipes)
        {
            _input.Complete();
            _output.Complete();
        }
    }
}
