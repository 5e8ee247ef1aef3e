using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace TypedSio.Server.Tests.Support;

/// <summary>A WebSocket client written against RFC 6455 by hand, to send frames no well-behaved client would.</summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    private static readonly byte[] Mask = [0x11, 0x22, 0x33, 0x44];
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>The server's answer to the upgrade request, headers included.</summary>
    public string Response { get; private set; } = string.Empty;

    public static async Task<RawWebSocket> ConnectAsync(int port, string pathAndQuery, string extraHeaders = "")
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var socket = new RawWebSocket(tcp);
        var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n";
        await socket._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        socket.Response = await socket.ReadHeadAsync();
        return socket;
    }

    /// <summary>A masked frame as bytes (several can be sent in one write, or one split across writes).</summary>
    public static byte[] Frame(int opcode, byte[] payload, bool fin = true, bool masked = true)
    {
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (payload.Length <= 125)
        {
            frame.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame.AddRange([(byte)(maskBit | 126), (byte)(payload.Length >> 8), (byte)payload.Length]);
        }
        else
        {
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            frame.Add((byte)(maskBit | 127));
            frame.AddRange(length);
        }

        if (masked)
        {
            frame.AddRange(Mask);
        }

        frame.AddRange(masked ? payload.Select((b, i) => (byte)(b ^ Mask[i % 4])) : payload);
        return [.. frame];
    }

    public static byte[] Text(string text, bool fin = true) => Frame(0x1, Encoding.UTF8.GetBytes(text), fin);

    public async Task SendAsync(params byte[][] frames)
    {
        await _stream.WriteAsync(frames.SelectMany(f => f).ToArray());
    }

    /// <summary>Sends bytes one write at a time.</summary>
    public async Task SendByteByByteAsync(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            await _stream.WriteAsync(new[] { b });
            await _stream.FlushAsync();
        }
    }

    /// <summary>Reads one server frame (which must be unmasked).</summary>
    public async Task<(bool Fin, int Opcode, byte[] Payload)> ReceiveAsync()
    {
        var head = await ReadExactlyAsync(2);
        if ((head[1] & 0x80) != 0)
        {
            throw new InvalidOperationException("The server masked a frame.");
        }

        long length = head[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2));
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8));
        }

        return ((head[0] & 0x80) != 0, head[0] & 0x0F, await ReadExactlyAsync((int)length));
    }

    public async Task<string> ReceiveTextAsync()
    {
        var (_, opcode, payload) = await ReceiveAsync();
        Assert.Equal(0x1, opcode);
        return Encoding.UTF8.GetString(payload);
    }

    /// <summary>Reads frames until the close frame and returns its status code.</summary>
    public async Task<int> ReceiveCloseStatusAsync()
    {
        while (true)
        {
            var (_, opcode, payload) = await ReceiveAsync();
            if (opcode == 0x8)
            {
                return payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005;
            }
        }
    }

    /// <summary>Whether the server closed the TCP connection (a read returns nothing).</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(EngineIOTestServer.Timeout);
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }

    private async Task<string> ReadHeadAsync()
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await _stream.ReadAsync(one).AsTask().WaitAsync(EngineIOTestServer.Timeout) == 0)
            {
                break;
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. head]);
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(EngineIOTestServer.Timeout);
        return buffer;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
