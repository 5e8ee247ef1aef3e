using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TypedSio.Benchmarks.Load;

/// <summary>A minimal keep-alive HTTP/1.1 client over a raw socket: one request at a time, Content-Length or chunked bodies.</summary>
internal sealed class HttpConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private HttpConnection(Socket socket) => _socket = socket;

    public static async Task<HttpConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint).ConfigureAwait(false);
        return new HttpConnection(socket);
    }

    /// <summary>Sends a request and returns the body of a 200 response (valid until the next request).</summary>
    public async Task<ReadOnlyMemory<byte>> RequestAsync(byte[] request)
    {
        await _socket.SendAsync(request, SocketFlags.None).ConfigureAwait(false);
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync().ConfigureAwait(false);
        }

        var headers = Encoding.ASCII.GetString(_buffer, _start, headerEnd);
        if (!headers.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            throw new IOException("HTTP error: " + headers.Split('\r')[0]);
        }

        _start += headerEnd + 4;
        var lengthAt = headers.IndexOf("\r\ncontent-length:", StringComparison.OrdinalIgnoreCase);
        if (lengthAt >= 0)
        {
            var value = headers[(lengthAt + 17)..].Split('\r')[0].Trim();
            var length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            await EnsureAsync(length).ConfigureAwait(false);
            var body = _buffer.AsMemory(_start, length);
            _start += length;
            return body;
        }

        // Chunked: gather the chunks into one body at the front of a fresh array.
        var output = new MemoryStream();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
            {
                await FillAsync().ConfigureAwait(false);
            }

            if (!Utf8Parser.TryParse(_buffer.AsSpan(_start, lineEnd), out int size, out _, 'x'))
            {
                throw new IOException("bad chunk size");
            }

            _start += lineEnd + 2;
            await EnsureAsync(size + 2).ConfigureAwait(false);
            output.Write(_buffer, _start, size);
            _start += size + 2;
            if (size == 0)
            {
                return output.ToArray();
            }
        }
    }

    public void Dispose()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Dispose();
    }

    private async Task EnsureAsync(int count)
    {
        while (_end - _start < count)
        {
            await FillAsync().ConfigureAwait(false);
        }
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("connection closed");
        }

        _end += read;
    }
}
