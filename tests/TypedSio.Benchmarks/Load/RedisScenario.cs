using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TypedSio.Benchmarks.Load;

/// <summary>
/// Broadcasts through Redis: a fresh <c>redis-server</c>, three servers of one kind joined to it (ours with
/// TypedSio.Redis, Node's with <c>@socket.io/redis-adapter</c>), a room of sockets on every node, and one sender on the
/// first node broadcasting to the room in a closed loop. Every broadcast is delivered locally by the sender's node and
/// through Redis by the other two; the loop refills when a socket on the last node receives one, so the window is held
/// across Redis rather than by the local delivery alone.
/// </summary>
internal static class RedisScenario
{
    public const int Nodes = 3;

    /// <summary>Whether a <c>redis-server</c> can be started here.</summary>
    public static string? FindRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    public static async Task<Dictionary<string, double>> RunAsync(ServerSpec spec, LoadOptions options, string redisServer, int roomSize)
    {
        using var redis = await RedisProcess.StartAsync(redisServer, options.ToolCpu).ConfigureAwait(false);
        var clustered = spec with { Arguments = spec.Arguments + " --redis " + redis.EndPoint };
        var servers = new List<ServerProcess>();
        var connections = new List<WsConnection>[Nodes];
        using var stop = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < Nodes; i++)
            {
                servers.Add(await ServerProcess.StartAsync(clustered, options.ServerCpu).ConfigureAwait(false));
            }

            for (var i = 0; i < Nodes; i++)
            {
                connections[i] = await JoinRoomAsync(servers[i], roomSize, options, stop.Token).ConfigureAwait(false);
            }

            var broadcast = Frames.Text("42[\"broadcast\",\"room\",\"hello everyone\"]");
            var sender = connections[0][0];
            await WaitUntilClusteredAsync(sender, connections, broadcast).ConfigureAwait(false);

            var watcher = connections[Nodes - 1][0];
            watcher.OnMessage = (_, kind) =>
            {
                if (kind == MessageKind.Event)
                {
                    sender.Send(broadcast);
                }
            };
            sender.Send(Frames.Repeat(broadcast, options.RedisWindow));
            return await MeasureAsync(servers, redis, connections, options).ConfigureAwait(false);
        }
        finally
        {
            foreach (var nodeConnections in connections.Where(c => c is not null))
            {
                Measure.Close(nodeConnections, stop);
            }

            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    private static async Task<List<WsConnection>> JoinRoomAsync(ServerProcess server, int roomSize, LoadOptions options, CancellationToken stop)
    {
        var connections = await Measure.ConnectManyAsync(server, roomSize, options, 4096).ConfigureAwait(false);
        await Scenarios.JoinRoomAsync(connections, stop).ConfigureAwait(false);
        return connections;
    }

    // The adapters subscribe in the background after the server starts: broadcast until a socket of every node has
    // received one, so the measured window starts with the whole cluster in place.
    private static async Task WaitUntilClusteredAsync(WsConnection sender, List<WsConnection>[] connections, byte[] broadcast)
    {
        var clock = Stopwatch.StartNew();
        while (!connections.All(node => Volatile.Read(ref node[^1].Events) > 0))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the nodes did not form a cluster through Redis within 30 s");
            }

            sender.Send(broadcast);
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static async Task<Dictionary<string, double>> MeasureAsync(List<ServerProcess> servers, RedisProcess redis, List<WsConnection>[] connections, LoadOptions options)
    {
        long Deliveries() => connections.Sum(node => node.Sum(c => Volatile.Read(ref c.Events)));
        double ServersCpu() => servers.Sum(s => s.CpuTime.TotalSeconds);

        await Task.Delay(TimeSpan.FromSeconds(options.Warmup)).ConfigureAwait(false);
        var self = Process.GetCurrentProcess();
        var d0 = Deliveries();
        var s0 = ServersCpu();
        var r0 = ServerProcess.ReadCpu(redis.Pid).TotalSeconds;
        var t0 = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.Duration)).ConfigureAwait(false);
        var d1 = Deliveries();
        var s1 = ServersCpu();
        var r1 = ServerProcess.ReadCpu(redis.Pid).TotalSeconds;
        self.Refresh();
        var t1 = self.TotalProcessorTime;
        var elapsed = clock.Elapsed.TotalSeconds;
        var receivers = connections.Sum(node => node.Count);
        var broadcasts = (d1 - d0) / (double)receivers;
        return new Dictionary<string, double>
        {
            ["broadcasts/s"] = broadcasts / elapsed,
            ["deliveries/s"] = (d1 - d0) / elapsed,
            ["broadcasts per server CPU-s"] = s1 > s0 ? broadcasts / (s1 - s0) : 0,
            ["servers CPU % (3 nodes)"] = 100 * (s1 - s0) / elapsed,
            ["redis-server CPU %"] = 100 * (r1 - r0) / elapsed,
            ["tool CPU %"] = 100 * (t1 - t0).TotalSeconds / elapsed,
        };
    }

    /// <summary>A throw-away <c>redis-server</c> on a free loopback port, without persistence, stopped by its id.</summary>
    private sealed class RedisProcess : IDisposable
    {
        private readonly Process _process;

        private RedisProcess(Process process, int port)
        {
            _process = process;
            EndPoint = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        }

        public string EndPoint { get; }

        public int Pid => _process.Id;

        public static async Task<RedisProcess> StartAsync(string redisServer, string cpu)
        {
            var port = FreePort();
            var info = new ProcessStartInfo("taskset", $"-c {cpu} {redisServer} --bind 127.0.0.1 --port {port} --save \"\" --appendonly no")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + redisServer);
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var redis = new RedisProcess(process, port);
            var clock = Stopwatch.StartNew();
            while (!await PingAsync(port).ConfigureAwait(false))
            {
                if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
                {
                    redis.Dispose();
                    throw new InvalidOperationException("redis-server did not answer PING within 10 s");
                }

                await Task.Delay(20).ConfigureAwait(false);
            }

            return redis;
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill();
                    _process.WaitForExit(3000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        private static async Task<bool> PingAsync(int port)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n")).ConfigureAwait(false);
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
