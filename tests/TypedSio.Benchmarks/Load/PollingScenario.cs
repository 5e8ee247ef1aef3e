using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TypedSio.Benchmarks.Load;

/// <summary>
/// Long-polling clients over raw keep-alive HTTP/1.1 sockets: one socket holds the GET poll, another sends POSTs of
/// several events at once, with requests encoded once per session. Replies are counted from the poll responses.
/// </summary>
internal static class PollingScenario
{
    public static async Task<Dictionary<string, double>> RunAsync(ServerProcess server, LoadOptions options)
    {
        using var stop = new CancellationTokenSource();
        var clients = new List<PollingClient>();
        for (var i = 0; i < options.PollingClients; i++)
        {
            clients.Add(await PollingClient.ConnectAsync(server.EndPoint, options.PollingBatch).ConfigureAwait(false));
        }

        var loops = clients.SelectMany(c => new[] { Task.Run(() => c.PollLoopAsync(stop.Token)), Task.Run(() => c.PostLoopAsync(stop.Token)) }).ToList();
        var result = await Measure.WindowAsync(server, options, () => clients.Sum(c => Volatile.Read(ref c.Received)), "messages").ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);

        // How the server batches its replies (over the whole run, warm-up included): fewer polls per message is cheaper.
        var polls = clients.Sum(c => Volatile.Read(ref c.Polls));
        var posts = clients.Sum(c => Volatile.Read(ref c.Posts));
        var received = clients.Sum(c => Volatile.Read(ref c.Received));
        result["messages per poll"] = polls > 0 ? received / (double)polls : 0;
        result["messages per POST"] = posts > 0 ? received / (double)posts : 0;
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return result;
    }

    private sealed class PollingClient : IDisposable
    {
        private readonly HttpConnection _poll;
        private readonly HttpConnection _post;
        private readonly SemaphoreSlim _progress = new(0);
        private readonly int _batch;
        private byte[] _pollRequest = [];
        private byte[] _postRequest = [];
        private byte[] _pongRequest = [];
        private int _pongDue;
        private long _sent;
        public long Received;
        public long Polls;
        public long Posts;

        private PollingClient(HttpConnection poll, HttpConnection post, int batch)
        {
            _poll = poll;
            _post = post;
            _batch = batch;
        }

        public static async Task<PollingClient> ConnectAsync(IPEndPoint endPoint, int batch)
        {
            var poll = await HttpConnection.ConnectAsync(endPoint).ConfigureAwait(false);
            var post = await HttpConnection.ConnectAsync(endPoint).ConfigureAwait(false);
            var client = new PollingClient(poll, post, batch);
            var open = Encoding.UTF8.GetString((await poll.RequestAsync(Get(endPoint, "")).ConfigureAwait(false)).Span);
            var at = open.IndexOf("\"sid\":\"", StringComparison.Ordinal) + 7;
            var sid = open[at..open.IndexOf('"', at)];
            var query = "&sid=" + sid;
            var body = string.Join('\x1e', Enumerable.Repeat("42[\"message\",\"hello\"]", batch));
            client._pollRequest = Get(endPoint, query);
            client._postRequest = Post(endPoint, query, body);
            client._pongRequest = Post(endPoint, query, "3");
            await post.RequestAsync(Post(endPoint, query, "40")).ConfigureAwait(false);
            var connect = Encoding.UTF8.GetString((await poll.RequestAsync(client._pollRequest).ConfigureAwait(false)).Span);
            if (!connect.StartsWith("40", StringComparison.Ordinal))
            {
                throw new IOException("unexpected Socket.IO connect reply over polling: " + connect);
            }

            return client;
        }

        public async Task PollLoopAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var body = await _poll.RequestAsync(_pollRequest).ConfigureAwait(false);
                    var received = 0;
                    foreach (var range in body.Span.Split((byte)0x1e))
                    {
                        var packet = body.Span[range];
                        if (packet.StartsWith("42"u8))
                        {
                            received++;
                        }
                        else if (packet.SequenceEqual("2"u8))
                        {
                            Volatile.Write(ref _pongDue, 1);
                        }
                        else if (packet.SequenceEqual("1"u8))
                        {
                            return;
                        }
                    }

                    Interlocked.Add(ref Received, received);
                    Interlocked.Increment(ref Polls);
                    _progress.Release();
                }
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
            }
        }

        public async Task PostLoopAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    // At most two batches in flight: wait for replies before posting more.
                    while (_sent - Volatile.Read(ref Received) >= 2L * _batch)
                    {
                        await _progress.WaitAsync(50, cancellationToken).ConfigureAwait(false);
                    }

                    if (Interlocked.Exchange(ref _pongDue, 0) == 1)
                    {
                        await _post.RequestAsync(_pongRequest).ConfigureAwait(false);
                        Interlocked.Increment(ref Posts);
                    }

                    await _post.RequestAsync(_postRequest).ConfigureAwait(false);
                    Interlocked.Increment(ref Posts);
                    _sent += _batch;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
            }
        }

        public void Dispose()
        {
            _poll.Dispose();
            _post.Dispose();
        }

        private static byte[] Get(IPEndPoint endPoint, string query) =>
            Encoding.ASCII.GetBytes($"GET /socket.io/?EIO=4&transport=polling{query} HTTP/1.1\r\nHost: {endPoint}\r\n\r\n");

        private static byte[] Post(IPEndPoint endPoint, string query, string body)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            return
            [
                .. Encoding.ASCII.GetBytes($"POST /socket.io/?EIO=4&transport=polling{query} HTTP/1.1\r\nHost: {endPoint}\r\n" +
                    $"Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {bytes.Length}\r\n\r\n"),
                .. bytes,
            ];
        }
    }
}
