using System.Diagnostics;
using System.Globalization;
using TypedSio.Redis.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests;

/// <summary>
/// The benchmark servers' <c>--redis</c> option, which the Redis cluster benchmark relies on: samples/BenchServer and
/// tests/js/bench-server.mjs joined to one Redis deliver each other's room broadcasts.
/// </summary>
public sealed class BenchClusterTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task BenchServers_WithRedisOption_DeliverRoomBroadcastsAcrossTypedSioAndNode()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        var dotnetPort = FreePort.Next();
        using var dotnet = new OwnedProcess(StartBenchServer(dotnetPort, redis.Configuration));
        await using var node = await NodeProcess.StartAsync(
            "bench-server.mjs",
            ["--port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--redis", redis.Configuration],
            readyPrefix: "bench-server:");
        var nodeUrl = node.Output[0][(node.Output[0].IndexOf("http://", StringComparison.Ordinal))..];
        await WaitUntilListeningAsync(dotnet.Process, dotnetPort);

        await using var onDotnet = await TestClient.ConnectAsync($"http://127.0.0.1:{dotnetPort}/");
        await using var onNode = await TestClient.ConnectAsync(new Uri(new Uri(nodeUrl), "/").ToString());
        await using var outsider = await TestClient.ConnectAsync($"http://127.0.0.1:{dotnetPort}/");
        await JoinAsync(onDotnet, "room");
        await JoinAsync(onNode, "room");

        await BroadcastUntilReceivedAsync(from: onNode, to: onDotnet, "from node");
        await BroadcastUntilReceivedAsync(from: onDotnet, to: onNode, "from dotnet");
        await onDotnet.Received.WaitAsync(line => line == "broadcast [\"from dotnet\"]"); // the sender's own node delivers too
        Assert.False(outsider.HasReceived("broadcast"), "a socket outside the room got the room's broadcast");
    }

    // The bench servers' join handler sends no ack: the ack of the probe that follows it says the join was handled.
    private static async Task JoinAsync(TestClient client, string room)
    {
        await client.Socket.EmitAsync("join", [room]);
        await client.Socket.EmitWithAckAsync("message-with-ack", [0], TimeSpan.FromSeconds(20), CancellationToken.None);
    }

    // The adapters subscribe in the background once their server is up, so the first broadcasts may precede the
    // subscription: repeat until one arrives (every repeat carries the same payload).
    private static async Task BroadcastUntilReceivedAsync(TestClient from, TestClient to, string payload)
    {
        var clock = Stopwatch.StartNew();
        while (!to.Received.All.Contains($"broadcast [\"{payload}\"]"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"'{payload}' never crossed the cluster");
            await from.Socket.EmitAsync("broadcast", ["room", payload]);
            await Task.Delay(200);
        }
    }

    private static Process StartBenchServer(int port, string redis)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "samples", "BenchServer", "bin", Configuration, "net10.0", "BenchServer.dll"));
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--redis", redis })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilListeningAsync(Process server, int port)
    {
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient();
        while (true)
        {
            Assert.False(server.HasExited, "BenchServer exited before listening");
            try
            {
                await http.GetAsync(new Uri($"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling"));
                return;
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A started process killed (with its children) when the test ends, whatever happened.</summary>
    private sealed class OwnedProcess(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            try
            {
                if (!Process.HasExited)
                {
                    Process.Kill(entireProcessTree: true);
                    Process.WaitForExit(20_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            Process.Dispose();
        }
    }
}
