using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TypedSio.Client.Tests.Support;

/// <summary>
/// A minimal HTTP proxy on a free loopback port: absolute-form forwarding for plain HTTP requests and CONNECT tunnels,
/// recording every request line that passed through. With <see cref="RefuseWith"/> set it answers every request with
/// that status instead, as a proxy demanding authentication would.
/// </summary>
public sealed class TestHttpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _accepting;
    private volatile TaskCompletionSource _flowing = Completed();

    public TestHttpProxy(int? refuseWith = null)
    {
        RefuseWith = refuseWith;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int? RefuseWith { get; }

    public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>The request lines seen, e.g. <c>GET http://127.0.0.1:5000/engine.io/?... HTTP/1.1</c> or <c>CONNECT 127.0.0.1:5000 HTTP/1.1</c>.</summary>
    public IReadOnlyCollection<string> Requests => [.. _requests];

    /// <summary>Holds every byte in transit (both ways) until <see cref="Resume"/>, as a stalled network would.</summary>
    public void Pause() => _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets traffic flow again.</summary>
    public void Resume() => _flowing.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Resume();
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var downstream = client.GetStream();
                var head = await ReadHeadAsync(downstream);
                if (head is null)
                {
                    return;
                }

                var requestLine = head[0];
                _requests.Enqueue(requestLine);
                if (RefuseWith is { } status)
                {
                    await WriteAsync(downstream, $"HTTP/1.1 {status} Refused\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }

                var parts = requestLine.Split(' ');
                if (parts[0] == "CONNECT")
                {
                    var (host, port) = SplitAuthority(parts[1]);
                    using var upstream = new TcpClient();
                    await upstream.ConnectAsync(host, port, _stop.Token);
                    await WriteAsync(downstream, "HTTP/1.1 200 Connection Established\r\n\r\n");
                    await PipeAsync(downstream, upstream.GetStream());
                    return;
                }

                // Absolute form: forward in origin form, one request per connection so that each one is recorded.
                var target = new Uri(parts[1]);
                using var origin = new TcpClient();
                await origin.ConnectAsync(target.Host, target.Port, _stop.Token);
                var forwarded = new StringBuilder($"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n");
                foreach (var header in head.Skip(1))
                {
                    if (!header.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !header.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase))
                    {
                        forwarded.Append(header).Append("\r\n");
                    }
                }

                forwarded.Append("Connection: close\r\n\r\n");
                await WriteAsync(origin.GetStream(), forwarded.ToString());
                await PipeAsync(downstream, origin.GetStream());
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A peer went away; the proxy only has to carry traffic while both ends want it.
            }
        }
    }

    private async Task PipeAsync(NetworkStream a, NetworkStream b)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var one = CopyAsync(a, b, done.Token);
        var two = CopyAsync(b, a, done.Token);
        await Task.WhenAny(one, two);
        await done.CancelAsync();
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await _flowing.Task.WaitAsync(cancellationToken);
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    private static async Task<List<string>?> ReadHeadAsync(NetworkStream stream)
    {
        // Byte by byte so that nothing after the head (a POST body, tunnelled TLS) is consumed here.
        var lines = new List<string>();
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer) == 1)
        {
            if (buffer[0] == '\n')
            {
                var text = line.ToString().TrimEnd('\r');
                if (text.Length == 0)
                {
                    return lines;
                }

                lines.Add(text);
                line.Clear();
            }
            else
            {
                line.Append((char)buffer[0]);
            }
        }

        return null;
    }

    private static (string Host, int Port) SplitAuthority(string authority)
    {
        var colon = authority.LastIndexOf(':');
        return (authority[..colon], int.Parse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();
}
