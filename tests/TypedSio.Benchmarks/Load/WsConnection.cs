using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TypedSio.Benchmarks.Load;

/// <summary>What a received Engine.IO message is, from its first bytes.</summary>
internal enum MessageKind
{
    Other,
    Event,
    Ack,
}

/// <summary>
/// A Socket.IO client over a raw socket: the WebSocket handshake by hand, then frames parsed in place from one buffer,
/// many per read. Engine.IO pings are answered; every other message is only classified (event or ack) and counted, so
/// the tool's cost per message is a few byte comparisons.
/// </summary>
internal sealed class WsConnection : IDisposable
{
    private static readonly byte[] s_pong = Frames.Text("3");
    private static readonly byte[] s_connect = Frames.Text("40");
    private readonly Socket _socket;
    private byte[] _buffer;
    private int _start;
    private int _end;

    private WsConnection(Socket socket, int bufferSize)
    {
        _socket = socket;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Called for each event or ack message; runs on the receive loop.</summary>
    public Action<WsConnection, MessageKind>? OnMessage { get; set; }

    public long Events;
    public long Acks;
    public object? State;

    public static async Task<WsConnection> ConnectAsync(IPEndPoint endPoint, int bufferSize, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new WsConnection(socket, bufferSize);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            var request = Encoding.ASCII.GetBytes(
                $"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {endPoint}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            await connection.ReadHandshakeAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExpectAsync((byte)'0', cancellationToken).ConfigureAwait(false); // Engine.IO open
            await socket.SendAsync(s_connect, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            await connection.ExpectAsync((byte)'4', cancellationToken).ConfigureAwait(false); // Socket.IO connect reply
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data) => _socket.SendAsync(data, SocketFlags.None);

    public void Send(ReadOnlySpan<byte> data) => _socket.Send(data, SocketFlags.None);

    /// <summary>Reads until the server closes or the token fires, classifying every message.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                while (TryTakeFrame(out var payloadStart, out var payloadLength, out var opcode))
                {
                    if (opcode == 8)
                    {
                        return;
                    }

                    if (opcode == 1 && payloadLength > 0)
                    {
                        Dispatch(payloadStart, payloadLength);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        // A reset instead of TIME_WAIT: thousands of connections per run must not use up the ephemeral ports.
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
    }

    private void Dispatch(int start, int length)
    {
        var first = _buffer[start];
        if (first == (byte)'2')
        {
            _socket.Send(s_pong);
            return;
        }

        if (first != (byte)'4' || length < 2)
        {
            return;
        }

        var kind = _buffer[start + 1] switch
        {
            (byte)'2' => MessageKind.Event,
            (byte)'3' => MessageKind.Ack,
            _ => MessageKind.Other,
        };
        if (kind == MessageKind.Event)
        {
            Events++;
        }
        else if (kind == MessageKind.Ack)
        {
            Acks++;
        }
        else
        {
            return;
        }

        OnMessage?.Invoke(this, kind);
    }

    // Server frames are unmasked; the calibration echo returns our own frames, masked with a zero key, so the key is
    // skipped and the payload read as is.
    private bool TryTakeFrame(out int payloadStart, out int payloadLength, out int opcode)
    {
        payloadStart = payloadLength = opcode = 0;
        var available = _end - _start;
        if (available < 2)
        {
            return false;
        }

        var b0 = _buffer[_start];
        var b1 = _buffer[_start + 1];
        var header = 2;
        long length = b1 & 0x7f;
        if (length == 126)
        {
            header = 4;
            if (available < header)
            {
                return false;
            }

            length = (_buffer[_start + 2] << 8) | _buffer[_start + 3];
        }
        else if (length == 127)
        {
            header = 10;
            if (available < header)
            {
                return false;
            }

            length = 0;
            for (var i = 0; i < 8; i++)
            {
                length = (length << 8) | _buffer[_start + 2 + i];
            }
        }

        if ((b1 & 0x80) != 0)
        {
            header += 4;
        }

        if (available < header + length)
        {
            if (header + length > _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)Math.Max(_buffer.Length * 2, header + length));
            }

            return false;
        }

        opcode = b0 & 0x0f;
        payloadStart = _start + header;
        payloadLength = (int)length;
        _start += header + (int)length;
        return true;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0 && _end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    private async Task ReadHandshakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("closed during the WebSocket handshake");
            }

            var end = _buffer.AsSpan(0, _end).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                continue;
            }

            if (!_buffer.AsSpan(0, _end).StartsWith("HTTP/1.1 101"u8))
            {
                throw new IOException("upgrade refused: " + Encoding.ASCII.GetString(_buffer, 0, Math.Min(_end, 200)));
            }

            _start = end + 4;
            return;
        }
    }

    private async Task ExpectAsync(byte first, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (TryTakeFrame(out var start, out var length, out var opcode))
            {
                if (opcode == 8)
                {
                    throw new IOException("closed during the Socket.IO handshake");
                }

                if (opcode == 1 && length > 0 && _buffer[start] == first)
                {
                    return;
                }
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("closed during the Socket.IO handshake");
            }
        }
    }
}
