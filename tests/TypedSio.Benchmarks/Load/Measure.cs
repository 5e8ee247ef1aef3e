using System.Diagnostics;

namespace TypedSio.Benchmarks.Load;

/// <summary>One measured window: a counter, the server's CPU time and the tool's own, over wall-clock time.</summary>
internal static class Measure
{
    /// <summary>Runs a warm-up, then measures <paramref name="count"/> over the duration.</summary>
    public static async Task<Dictionary<string, double>> WindowAsync(ServerProcess server, LoadOptions options, Func<long> count, string unit)
    {
        await Task.Delay(TimeSpan.FromSeconds(options.Warmup)).ConfigureAwait(false);
        var self = Process.GetCurrentProcess();
        var c0 = count();
        var s0 = server.CpuTime;
        var t0 = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.Duration)).ConfigureAwait(false);
        var c1 = count();
        var s1 = server.CpuTime;
        self.Refresh();
        var t1 = self.TotalProcessorTime;
        var elapsed = clock.Elapsed.TotalSeconds;
        var serverCpu = (s1 - s0).TotalSeconds;
        return new Dictionary<string, double>
        {
            [unit + "/s"] = (c1 - c0) / elapsed,
            [unit + " per server CPU-s"] = serverCpu > 0 ? (c1 - c0) / serverCpu : 0,
            ["server CPU %"] = 100 * serverCpu / elapsed,
            ["tool CPU %"] = 100 * (t1 - t0).TotalSeconds / elapsed,
        };
    }

    public static async Task<List<WsConnection>> ConnectManyAsync(ServerProcess server, int count, LoadOptions options, int bufferSize, Action<int>? progress = null)
    {
        var connections = new WsConnection?[count];
        var next = -1;
        var failures = 0;
        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        connections[i] = await WsConnection.ConnectAsync(server.EndPoint, bufferSize, cts.Token).ConfigureAwait(false);
                        progress?.Invoke(i);
                        break;
                    }
                    catch (Exception) when (attempt < 2)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(options.ConnectConcurrency, count)).Select(_ => Task.Run(WorkerAsync))).ConfigureAwait(false);
        LastFailures = failures;
        return connections.Select(c => c!).ToList();
    }

    /// <summary>Connection attempts that failed (and were retried) in the last <see cref="ConnectManyAsync"/>.</summary>
    public static int LastFailures { get; private set; }

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public static void Close(IEnumerable<WsConnection> connections, CancellationTokenSource stop)
    {
        stop.Cancel();
        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }
}
