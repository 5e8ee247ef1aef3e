using System.Diagnostics;

namespace TypedSio.Benchmarks.Load;

/// <summary>The WebSocket scenarios. Each returns named metrics for one run against one server.</summary>
internal static class Scenarios
{
    private sealed class LoopState
    {
        public int SinceSend;
    }

    /// <summary>Closed loop: every connection keeps a window of events (or acked events) in flight, refilled in batches.</summary>
    public static async Task<Dictionary<string, double>> ClosedLoopAsync(ServerProcess server, LoadOptions options, bool ack)
    {
        var frame = Frames.Text(ack ? "421[\"message-with-ack\",\"hello\"]" : "42[\"message\",\"hello\"]");
        var batch = Frames.Repeat(frame, options.Batch);
        var want = ack ? MessageKind.Ack : MessageKind.Event;
        var connections = await Measure.ConnectManyAsync(server, options.EchoConnections, options, 64 * 1024).ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        var loops = new List<Task>();
        foreach (var connection in connections)
        {
            connection.State = new LoopState();
            connection.OnMessage = (c, kind) =>
            {
                var state = (LoopState)c.State!;
                if (kind == want && ++state.SinceSend == options.Batch)
                {
                    state.SinceSend = 0;
                    c.Send(batch);
                }
            };
            loops.Add(Task.Run(() => connection.RunAsync(stop.Token)));
        }

        foreach (var connection in connections)
        {
            for (var i = 0; i < options.Window / options.Batch; i++)
            {
                connection.Send(batch);
            }
        }

        var result = await Measure.WindowAsync(server, options, () => connections.Sum(c => ack ? c.Acks : c.Events), ack ? "acks" : "messages").ConfigureAwait(false);
        Measure.Close(connections, stop);
        return result;
    }

    private sealed class LatencyState
    {
        public readonly Queue<long> Sent = new();
        public readonly List<double> Samples = [];
    }

    /// <summary>Open loop at a fixed total rate, spread over the connections; round trips timed per message.</summary>
    public static async Task<Dictionary<string, double>> LatencyAsync(ServerProcess server, LoadOptions options)
    {
        var frame = Frames.Text("42[\"message\",\"hello\"]");
        var connections = await Measure.ConnectManyAsync(server, options.LatencyConnections, options, 16 * 1024).ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        var measureFrom = long.MaxValue;
        foreach (var connection in connections)
        {
            connection.State = new LatencyState();
            connection.OnMessage = (c, kind) =>
            {
                if (kind != MessageKind.Event)
                {
                    return;
                }

                var now = Stopwatch.GetTimestamp();
                var state = (LatencyState)c.State!;
                lock (state)
                {
                    var sent = state.Sent.Dequeue();
                    if (sent >= Volatile.Read(ref measureFrom))
                    {
                        state.Samples.Add((now - sent) * 1000.0 / Stopwatch.Frequency);
                    }
                }
            };
            _ = Task.Run(() => connection.RunAsync(stop.Token));
        }

        var total = options.Warmup + options.Duration;
        var sender = new Thread(() =>
        {
            var start = Stopwatch.GetTimestamp();
            var end = start + (long)(total * Stopwatch.Frequency);
            long sent = 0;
            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= end)
                {
                    return;
                }

                var due = (long)((now - start) * (double)options.LatencyRate / Stopwatch.Frequency);
                while (sent < due)
                {
                    var connection = connections[(int)(sent % connections.Count)];
                    var state = (LatencyState)connection.State!;
                    lock (state)
                    {
                        state.Sent.Enqueue(Stopwatch.GetTimestamp());
                    }

                    connection.Send(frame);
                    sent++;
                }

                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = "latency sender" };
        sender.Start();
        await Task.Delay(TimeSpan.FromSeconds(options.Warmup)).ConfigureAwait(false);
        Volatile.Write(ref measureFrom, Stopwatch.GetTimestamp());
        var s0 = server.CpuTime;
        var clock = Stopwatch.StartNew();
        sender.Join();
        var serverCpu = (server.CpuTime - s0).TotalSeconds;
        var elapsed = clock.Elapsed.TotalSeconds;
        await Task.Delay(500).ConfigureAwait(false); // the last replies
        var samples = new List<double>();
        foreach (var connection in connections)
        {
            var state = (LatencyState)connection.State!;
            lock (state)
            {
                samples.AddRange(state.Samples);
            }
        }

        Measure.Close(connections, stop);
        samples.Sort();
        return new Dictionary<string, double>
        {
            ["p50 ms"] = Measure.Percentile(samples, 0.50),
            ["p99 ms"] = Measure.Percentile(samples, 0.99),
            ["replies/s"] = samples.Count / elapsed,
            ["server CPU %"] = 100 * serverCpu / elapsed,
        };
    }

    /// <summary>
    /// A room of <paramref name="size"/> sockets; one of them keeps a window of broadcasts in flight (it is in the room,
    /// so its own copy tells it one went out). Deliveries are the copies every socket receives.
    /// </summary>
    public static async Task<Dictionary<string, double>> FanOutAsync(ServerProcess server, LoadOptions options, int size)
    {
        var broadcast = Frames.Text("42[\"broadcast\",\"room\",\"hello everyone\"]");
        var connections = await Measure.ConnectManyAsync(server, size, options, 4096).ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        await JoinRoomAsync(connections, stop.Token).ConfigureAwait(false);

        var sender = connections[0];
        sender.OnMessage = (c, kind) =>
        {
            if (kind == MessageKind.Event)
            {
                c.Send(broadcast);
            }
        };
        sender.Send(Frames.Repeat(broadcast, options.FanOutWindow));
        var result = await Measure.WindowAsync(server, options, () => connections.Sum(c => c.Events), "deliveries").ConfigureAwait(false);
        Measure.Close(connections, stop);
        return result;
    }

    /// <summary>Starts every connection's receive loop and joins them all to "room", returning once every join is done.</summary>
    public static async Task JoinRoomAsync(List<WsConnection> connections, CancellationToken stop)
    {
        var join = Frames.Text("42[\"join\",\"room\"]");
        var probe = Frames.Text("421[\"message-with-ack\",0]");
        var pending = connections.Count;
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var connection in connections)
        {
            connection.OnMessage = (_, kind) =>
            {
                if (kind == MessageKind.Ack && Interlocked.Decrement(ref pending) == 0)
                {
                    joined.TrySetResult();
                }
            };
            _ = Task.Run(() => connection.RunAsync(stop), CancellationToken.None);
            connection.Send([.. join, .. probe]); // packets are handled in order: the probe's ack says the join is done
        }

        // Awaited, never blocked on: the tool runs on one core, where a blocked pool thread starves the receive loops.
        if (await Task.WhenAny(joined.Task, Task.Delay(TimeSpan.FromSeconds(60), CancellationToken.None)).ConfigureAwait(false) != joined.Task)
        {
            throw new TimeoutException($"only {connections.Count - Volatile.Read(ref pending)} of {connections.Count} sockets joined");
        }
    }

    /// <summary>
    /// A connect storm in one go, RSS sampled as it goes (memory per connection while connecting), then the same
    /// connections left idle (memory per idle connection). Samples feed the memory plot.
    /// </summary>
    public static async Task<Dictionary<string, double>> ConnectionsAsync(ServerProcess server, LoadOptions options, List<(double Connections, double RssMb)> plot)
    {
        await Task.Delay(1000).ConfigureAwait(false);
        var rss0 = server.Rss;
        plot.Add((0, rss0 / 1048576.0));
        var connected = 0;
        var clock = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                await Task.Delay(100).ConfigureAwait(false);
                lock (plot)
                {
                    plot.Add((Volatile.Read(ref connected), server.Rss / 1048576.0));
                }
            }
        });
        var connections = await Measure.ConnectManyAsync(server, options.IdleConnections, options, 1024, _ => Interlocked.Increment(ref connected)).ConfigureAwait(false);
        var stormSeconds = clock.Elapsed.TotalSeconds;
        var failures = Measure.LastFailures;
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var rssStorm = server.Rss;
        using var stop = new CancellationTokenSource();
        foreach (var connection in connections)
        {
            _ = Task.Run(() => connection.RunAsync(stop.Token));
        }

        var s0 = server.CpuTime;
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(3, options.Duration))).ConfigureAwait(false);
        var idleCpu = (server.CpuTime - s0).TotalSeconds;
        var rssIdle = server.Rss;
        plot.Add((connections.Count, rssIdle / 1048576.0));
        Measure.Close(connections, stop);
        return new Dictionary<string, double>
        {
            ["connections/s"] = connections.Count / stormSeconds,
            ["failed attempts"] = failures,
            ["KB per connection (storm)"] = (rssStorm - rss0) / 1024.0 / connections.Count,
            ["KB per idle connection"] = (rssIdle - rss0) / 1024.0 / connections.Count,
            ["idle RSS MB"] = rssIdle / 1048576.0,
            ["idle server CPU %"] = 100 * idleCpu / Math.Max(3, options.Duration),
        };
    }
}
