using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace TypedSio.Server.EngineIO;

// Receiving: one pipe read is kept across calls until every frame it holds has been handed out, so a burst of frames is
// handled without going back to the network (and the read loop defers its writes across the whole burst). A whole,
// unfragmented frame in one buffer segment is unmasked in place and handed out as is; fragmented messages and frames
// that arrive in pieces are assembled into a pooled buffer, consuming the pipe as they go so a large message never
// stalls on the pipe's back-pressure limit.
internal sealed partial class PipeEngineIOWebSocket
{
    private ReadOnlySequence<byte> _buffer; // what the held read has left
    private bool _holdingRead;
    private bool _inputEnded;

    private byte[]? _message; // a message being assembled (fragments, or a frame arriving in pieces)
    private int _messageLength;
    private WebSocketOpcode _messageOpcode; // Continuation when no message is being assembled

    private long _frameRemaining; // payload bytes of the current data frame not yet copied into _message
    private long _frameOffset;
    private uint _frameMask;
    private bool _frameFin;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<(FrameKind Kind, ReadOnlyMemory<byte> Data)> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_messageOpcode == WebSocketOpcode.Continuation)
        {
            ReturnMessageBuffer(); // the previous call's message is done with
        }

        while (true)
        {
            if (!_holdingRead)
            {
                var result = await _input.ReadAsync(cancellationToken);
                _buffer = result.Buffer;
                _holdingRead = true;
                _inputEnded = result.IsCompleted || result.IsCanceled;
            }

            var step = TryTakeMessage(out var kind, out var data, out var pong);
            if (pong is not null)
            {
                await SendPongAsync(pong);
                continue;
            }

            if (step)
            {
                return (kind, data);
            }

            if (_inputEnded)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The connection ended without a close frame.");
            }

            // Everything held has been looked at: wait for more.
            _input.AdvanceTo(_buffer.Start, _buffer.End);
            _holdingRead = false;
        }
    }

    /// <summary>
    /// Takes frames from the held buffer until a message is complete (true), a ping must be answered (false with a
    /// payload), or more bytes are needed (false).
    /// </summary>
    private bool TryTakeMessage(out FrameKind kind, out ReadOnlyMemory<byte> data, out byte[]? pong)
    {
        kind = default;
        data = default;
        pong = null;
        while (true)
        {
            if (_frameRemaining > 0)
            {
                if (_buffer.IsEmpty)
                {
                    return false;
                }

                CopyFramePiece();
                if (_frameRemaining > 0)
                {
                    return false;
                }

                if (_frameFin)
                {
                    return CompleteAssembledMessage(out kind, out data);
                }

                continue;
            }

            if (!WebSocketFraming.TryReadHeader(_buffer, out var header, out var error))
            {
                if (error != WebSocketFrameError.None)
                {
                    Fail(WebSocketCloseStatus.ProtocolError, "Invalid WebSocket frame: " + error);
                }

                return false;
            }

            if (header.IsControl)
            {
                var whole = header.HeaderLength + header.PayloadLength;
                if (_buffer.Length < whole)
                {
                    return false; // at most 125 bytes: wait for all of it
                }

                var payload = new byte[header.PayloadLength];
                _buffer.Slice(header.HeaderLength, header.PayloadLength).CopyTo(payload);
                WebSocketFraming.Unmask(payload, header.Mask, 0);
                _buffer = _buffer.Slice(whole);
                switch (header.Opcode)
                {
                    case WebSocketOpcode.Ping:
                        pong = payload;
                        return false;
                    case WebSocketOpcode.Close:
                        kind = FrameKind.Close;
                        return true;
                    default:
                        continue; // an unsolicited pong is allowed and ignored
                }
            }

            var continuing = _messageOpcode != WebSocketOpcode.Continuation;
            if ((header.Opcode == WebSocketOpcode.Continuation) != continuing)
            {
                Fail(WebSocketCloseStatus.ProtocolError, continuing ? "A new message began inside a fragmented one." : "A continuation frame with no message to continue.");
            }

            if (_messageLength + header.PayloadLength > Math.Min(_maxMessageSize, Array.MaxLength))
            {
                kind = FrameKind.TooBig;
                return true;
            }

            var frameLength = header.HeaderLength + header.PayloadLength;
            if (!continuing && header.Fin && _buffer.Length >= frameLength)
            {
                var payload = _buffer.Slice(header.HeaderLength, header.PayloadLength);
                _buffer = _buffer.Slice(frameLength);
                if (payload.IsSingleSegment)
                {
                    // The pipe's memory is writable and ours until the next read: unmask it where it lies.
                    var memory = MemoryMarshal.AsMemory(payload.First);
                    WebSocketFraming.Unmask(memory.Span, header.Mask, 0);
                    return Complete(header.Opcode, memory, out kind, out data);
                }

                var copy = RentMessageBuffer((int)header.PayloadLength);
                payload.CopyTo(copy);
                WebSocketFraming.Unmask(copy.AsSpan(0, (int)header.PayloadLength), header.Mask, 0);
                return Complete(header.Opcode, copy.AsMemory(0, (int)header.PayloadLength), out kind, out data);
            }

            // Assemble: the frame's payload is copied as it arrives.
            if (!continuing)
            {
                _messageOpcode = header.Opcode;
                _messageLength = 0;
            }

            EnsureMessageCapacity(_messageLength + header.PayloadLength);
            _buffer = _buffer.Slice(header.HeaderLength);
            _frameRemaining = header.PayloadLength;
            _frameOffset = 0;
            _frameMask = header.Mask;
            _frameFin = header.Fin;
            if (_frameRemaining == 0 && _frameFin)
            {
                return CompleteAssembledMessage(out kind, out data);
            }
        }
    }

    private void CopyFramePiece()
    {
        var take = Math.Min(_frameRemaining, _buffer.Length);
        var target = _message.AsSpan(_messageLength, (int)take);
        _buffer.Slice(0, take).CopyTo(target);
        WebSocketFraming.Unmask(target, _frameMask, _frameOffset);
        _buffer = _buffer.Slice(take);
        _messageLength += (int)take;
        _frameOffset += take;
        _frameRemaining -= take;
    }

    private bool CompleteAssembledMessage(out FrameKind kind, out ReadOnlyMemory<byte> data)
    {
        var opcode = _messageOpcode;
        _messageOpcode = WebSocketOpcode.Continuation;
        return Complete(opcode, _message.AsMemory(0, _messageLength), out kind, out data);
    }

    private bool Complete(WebSocketOpcode opcode, ReadOnlyMemory<byte> message, out FrameKind kind, out ReadOnlyMemory<byte> data)
    {
        if (opcode == WebSocketOpcode.Text && !Utf8.IsValid(message.Span))
        {
            Fail(WebSocketCloseStatus.InvalidPayloadData, "A text message that is not valid UTF-8.");
        }

        kind = opcode == WebSocketOpcode.Text ? FrameKind.Text : FrameKind.Binary;
        data = message;
        return true;
    }

    private byte[] RentMessageBuffer(int size)
    {
        ReturnMessageBuffer();
        _messageLength = 0;
        return _message = ArrayPool<byte>.Shared.Rent(Math.Max(size, 256));
    }

    private void EnsureMessageCapacity(long size)
    {
        if (_message is null)
        {
            _message = ArrayPool<byte>.Shared.Rent((int)Math.Max(size, 256));
        }
        else if (_message.Length < size)
        {
            // Doubling keeps a message of many small fragments linear; the limit check above bounds the size.
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Max(size, Math.Min((long)_message.Length * 2, Math.Min(_maxMessageSize, Array.MaxLength))));
            _message.AsSpan(0, _messageLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_message);
            _message = larger;
        }
    }

    private void ReturnMessageBuffer()
    {
        if (_message is { } message)
        {
            _message = null;
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(WebSocketCloseStatus status, string message)
    {
        CloseStatus = status;
        throw new WebSocketException(WebSocketError.Faulted, message);
    }
}
