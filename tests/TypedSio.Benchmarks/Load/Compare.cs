using System.Globalization;
using System.Text;

namespace TypedSio.Benchmarks.Load;

/// <summary>
/// The whole comparison: every scenario run against our server and the Node one in interleaved pairs (the order
/// alternating), each run on a freshly started server pinned to its own core; medians of the per-pair ratios. With a
/// connection-level variant of our server, the WebSocket scenarios run it too, in the same pairs, as rows of their own.
/// </summary>
internal sealed class Compare(LoadOptions options, ServerSpec ours, ServerSpec node, ServerSpec? oursAot, ServerSpec? oursConnectionLevel, ServerSpec echo)
{
    private readonly List<Row> _rows = [];
    private readonly Dictionary<string, List<(double Connections, double RssMb)>> _memory = [];
    private readonly StringBuilder _notes = new();

    private sealed record Row(string Scenario, string Metric, double Ours, double Node, double Ratio, bool HigherIsBetter);

    public async Task<int> RunAsync()
    {
        Directory.CreateDirectory(options.Out);
        if (options.Includes("calibration"))
        {
            await CalibrateAsync().ConfigureAwait(false);
        }

        if (options.Includes("connections"))
        {
            await PairsAsync("connect storm + idle", (s, plot) => Scenarios.ConnectionsAsync(s, options, plot),
                ["connections/s", "failed attempts", "KB per connection (storm)", "KB per idle connection", "idle server CPU %"]).ConfigureAwait(false);
        }

        if (options.Includes("echo"))
        {
            await PairsAsync("echo", (s, _) => Scenarios.ClosedLoopAsync(s, options, ack: false), ["messages/s", "messages per server CPU-s", "tool CPU %"]).ConfigureAwait(false);
        }

        if (options.Includes("ack"))
        {
            await PairsAsync("ack round trips", (s, _) => Scenarios.ClosedLoopAsync(s, options, ack: true), ["acks/s", "acks per server CPU-s", "tool CPU %"]).ConfigureAwait(false);
        }

        if (options.Includes("latency"))
        {
            await PairsAsync($"latency at {options.LatencyRate} msg/s", (s, _) => Scenarios.LatencyAsync(s, options), ["p50 ms", "p99 ms", "server CPU %", "replies/s"]).ConfigureAwait(false);
        }

        if (options.Includes("fanout"))
        {
            foreach (var size in new[] { options.FanOutSmall, options.FanOutLarge })
            {
                await PairsAsync($"broadcast to {size} sockets", (s, _) => Scenarios.FanOutAsync(s, options, size), ["deliveries/s", "deliveries per server CPU-s", "tool CPU %"]).ConfigureAwait(false);
            }
        }

        if (options.Includes("polling"))
        {
            await PairsAsync("long-polling echo", (s, _) => PollingScenario.RunAsync(s, options), ["messages/s", "messages per server CPU-s", "tool CPU %"]).ConfigureAwait(false);
        }

        if (options.Includes("redis"))
        {
            if (RedisScenario.FindRedisServer() is { } redisServer)
            {
                foreach (var size in options.RedisRoomSizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
                {
                    await PairsAsync(
                        $"Redis cluster: {RedisScenario.Nodes} nodes × {size} sockets",
                        spec => RedisScenario.RunAsync(spec, options, redisServer, size),
                        ["broadcasts/s", "deliveries/s", "broadcasts per server CPU-s", "servers CPU % (3 nodes)", "redis-server CPU %", "tool CPU %"]).ConfigureAwait(false);
                }

                _notes.AppendLine(CultureInfo.InvariantCulture,
                    $"Redis cluster: {RedisScenario.Nodes} servers of one kind (ours with TypedSio.Redis, Node's with @socket.io/redis-adapter) pinned together to CPU {options.ServerCpu}, redis-server {RedisServerVersion(redisServer)} and the tool on CPU {options.ToolCpu}; " +
                    $"one sender on the first node keeps {options.RedisWindow} broadcasts to a room with sockets on every node in flight (refilled on delivery at the last node); broadcasts/s counts broadcasts delivered to every socket of the room.");
            }
            else
            {
                _notes.AppendLine("Redis cluster: skipped, no redis-server on PATH (tests/setup.sh installs it).");
            }
        }

        if (options.Includes("startup"))
        {
            await StartupAsync().ConfigureAwait(false);
        }

        var markdown = Report.Markdown(_rows.Select(r => (r.Scenario, r.Metric, r.Ours, r.Node, r.Ratio)).ToList(), options, _notes.ToString());
        await File.WriteAllTextAsync(Path.Combine(options.Out, "comparison.md"), markdown).ConfigureAwait(false);
        if (_memory.Count > 0)
        {
            await File.WriteAllTextAsync(Path.Combine(options.Out, "memory.svg"), Report.MemorySvg(_memory)).ConfigureAwait(false);
        }

        Console.WriteLine(markdown);
        return 0;
    }

    private async Task CalibrateAsync()
    {
        Console.Error.WriteLine("== calibration: the load tool against a raw Kestrel echo");
        using var server = await ServerProcess.StartAsync(echo, options.ServerCpu).ConfigureAwait(false);
        var result = await Scenarios.ClosedLoopAsync(server, options, ack: false).ConfigureAwait(false);
        _notes.AppendLine(CultureInfo.InvariantCulture,
            $"Calibration: against a raw Kestrel byte echo on the server core, the tool drove {result["messages/s"]:N0} echoed messages/s with {result["tool CPU %"]:N0}% of its core ({result["server CPU %"]:N0}% on the echo's core).");
        Console.Error.WriteLine(_notes.ToString());
    }

    // Every scenario on one server is a WebSocket scenario except long-polling, which the connection-level path leaves alone.
    private Task PairsAsync(string scenario, Func<ServerProcess, List<(double, double)>, Task<Dictionary<string, double>>> run, string[] metrics) =>
        PairsAsync(scenario, run, null, metrics, scenario.Contains("polling", StringComparison.Ordinal) ? null : oursConnectionLevel);

    private Task PairsAsync(string scenario, Func<ServerSpec, Task<Dictionary<string, double>>> run, string[] metrics) =>
        PairsAsync(scenario, null, run, metrics, null);

    // A scenario runs either against one freshly started server (most) or starts its own servers from the spec.
    private async Task PairsAsync(
        string scenario,
        Func<ServerProcess, List<(double, double)>, Task<Dictionary<string, double>>>? runOnServer,
        Func<ServerSpec, Task<Dictionary<string, double>>>? runOnSpec,
        string[] metrics,
        ServerSpec? variant)
    {
        var ourRuns = new List<Dictionary<string, double>>();
        var nodeRuns = new List<Dictionary<string, double>>();
        var variantRuns = new List<Dictionary<string, double>>();
        for (var pair = 0; pair < options.Pairs; pair++)
        {
            var order = new List<ServerSpec> { ours, node };
            if (variant is not null)
            {
                order.Insert(1, variant);
            }

            if (pair % 2 == 1)
            {
                order.Reverse();
            }

            foreach (var spec in order)
            {
                Console.Error.WriteLine($"== {scenario}: {spec.Name} (pair {pair + 1}/{options.Pairs})");
                var plot = new List<(double, double)>();
                Dictionary<string, double> result;
                try
                {
                    if (runOnSpec is not null)
                    {
                        result = await runOnSpec(spec).ConfigureAwait(false);
                    }
                    else
                    {
                        using var server = await ServerProcess.StartAsync(spec, options.ServerCpu).ConfigureAwait(false);
                        result = await runOnServer!(server, plot).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
                {
                    // One failed run is reported as missing values, not the end of the comparison.
                    Console.Error.WriteLine($"   failed: {e.Message}");
                    _notes.AppendLine(CultureInfo.InvariantCulture, $"{scenario}, {spec.Name}, pair {pair + 1}: failed ({e.Message}).");
                    result = metrics.ToDictionary(m => m, _ => double.NaN);
                }

                Console.Error.WriteLine("   " + string.Join(", ", result.Select(kv => $"{kv.Key} = {kv.Value:G4}")));
                (spec == ours ? ourRuns : spec == node ? nodeRuns : variantRuns).Add(result);
                if (plot.Count > 0 && pair == 0)
                {
                    _memory[spec.Name] = plot;
                }
            }
        }

        AddRows(scenario, metrics, ourRuns, nodeRuns);
        if (variant is not null)
        {
            AddRows(scenario + " (connection-level)", metrics, variantRuns, nodeRuns);
        }
    }

    private void AddRows(string scenario, string[] metrics, List<Dictionary<string, double>> ourRuns, List<Dictionary<string, double>> nodeRuns)
    {
        foreach (var metric in metrics)
        {
            var ratios = ourRuns.Zip(nodeRuns, (a, b) => b[metric] == 0 ? double.NaN : a[metric] / b[metric]).ToList();
            _rows.Add(new Row(scenario, metric, Median(ourRuns.Select(r => r[metric])), Median(nodeRuns.Select(r => r[metric])), Median(ratios), true));
        }
    }

    private async Task StartupAsync()
    {
        var candidates = new List<ServerSpec> { ours, node };
        if (oursAot is not null)
        {
            candidates.Insert(0, oursAot);
        }

        var startup = candidates.ToDictionary(s => s.Name, _ => new List<double>());
        var rss = candidates.ToDictionary(s => s.Name, _ => new List<double>());
        for (var run = 0; run < options.StartupRuns; run++)
        {
            foreach (var spec in run % 2 == 0 ? candidates : Enumerable.Reverse(candidates))
            {
                using var server = await ServerProcess.StartAsync(spec, options.ServerCpu).ConfigureAwait(false);
                startup[spec.Name].Add(server.StartupTime.TotalMilliseconds);
                await Task.Delay(1000).ConfigureAwait(false);
                rss[spec.Name].Add(server.Rss / 1048576.0);
            }
        }

        foreach (var spec in candidates.Where(s => s != node))
        {
            var name = spec == oursAot ? "startup (Native AOT)" : "startup (JIT)";
            _rows.Add(new Row(name, "ms to first connection", Median(startup[spec.Name]), Median(startup[node.Name]),
                Median(startup[spec.Name]) / Median(startup[node.Name]), false));
            _rows.Add(new Row(name, "idle RSS MB", Median(rss[spec.Name]), Median(rss[node.Name]), Median(rss[spec.Name]) / Median(rss[node.Name]), false));
        }
    }

    private static string RedisServerVersion(string redisServer)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(redisServer, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var at = text.IndexOf("v=", StringComparison.Ordinal);
            return at < 0 ? "" : text[(at + 2)..].Split(' ')[0];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
