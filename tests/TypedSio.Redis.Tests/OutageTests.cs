using System.Text.Json.Nodes;
using StackExchange.Redis;
using TypedSio.Redis.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests;

/// <summary>Redis down or restarting, a server killed, a server that never answers: local delivery goes on, cluster calls fail cleanly.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task RedisDown_LocalDeliveryGoesOnAndClusterCallsFailFast_ThenAdapterResubscribes()
    {
        await using var cluster = await Cluster.StartAsync();
        var clients = await BroadcastTests.ClientsAsync(cluster);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.Dotnet.Redis.ConnectionFailed += (_, _) => lost.TrySetResult();
        cluster.Dotnet.Redis.ConnectionRestored += (_, _) => restored.TrySetResult();

        await cluster.Redis.StopAsync();
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await cluster.Dotnet.Main.EmitAsync("while-down", 1);
        Assert.Equal("[1]", await clients.OnDotnet.ReceivedAsync("while-down"));
        Assert.Equal("[1]", await cluster.Node.ReceivedAsync("js-dotnet", "while-down"));
        await Assert.ThrowsAnyAsync<RedisAdapterException>(() => cluster.Dotnet.Main.FetchSocketsAsync());
        await Assert.ThrowsAnyAsync<RedisAdapterException>(async () => await cluster.Dotnet.Main.Adapter.ServerCountAsync());
        await Assert.ThrowsAnyAsync<RedisAdapterException>(() => cluster.Dotnet.Main.ServerSideEmitAsync("server-ping"));

        await cluster.Redis.StartAgainAsync();
        await restored.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForServersAsync(cluster.Dotnet, 2);

        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["event"] = "after-restart", ["args"] = new JsonArray(2) });
        Assert.Equal("[2]", await clients.OnDotnet.ReceivedAsync("after-restart", TimeSpan.FromSeconds(30)));
        await cluster.Dotnet.Main.EmitAsync("after-restart-2", 3);
        Assert.Equal("[3]", await cluster.Node.ReceivedAsync("js-node", "after-restart-2", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task ServerThatNeverAnswers_RequestsTimeOutWithTypedError_AndServerGoesOn()
    {
        await using var cluster = await Cluster.StartAsync(new RedisAdapterOptions { RequestsTimeout = TimeSpan.FromMilliseconds(500) });
        var clients = await BroadcastTests.ClientsAsync(cluster);

        // A subscriber on the request channel counts as a server (PUBSUB NUMSUB) but answers nothing, like a hung node.
        await using var silent = await DotnetServer.ConnectAsync(cluster.Redis);
        await silent.GetSubscriber().SubscribeAsync(RedisChannel.Literal("socket.io-request#/#"));
        await WaitForServersAsync(cluster.Dotnet, 3);

        var timeout = await Assert.ThrowsAsync<RedisAdapterTimeoutException>(() => cluster.Dotnet.Main.FetchSocketsAsync());
        Assert.Contains("fetchSockets", timeout.Message, StringComparison.Ordinal);
        var answers = await cluster.Dotnet.Main.ServerSideEmitWithAckAsync("server-ask", 1);
        Assert.False(answers.Complete);
        Assert.Single(answers.Responses);
        var acks = await cluster.Dotnet.Main.Timeout(TimeSpan.FromMilliseconds(1500)).EmitWithAckAsync("ask-client", 2);
        Assert.False(acks.Complete);
        Assert.Equal(4, acks.Responses.Count);

        await cluster.Dotnet.Main.EmitAsync("still-working", 3);
        Assert.Equal("[3]", await cluster.Node.ReceivedAsync("js-node", "still-working"));
        Assert.Equal("[3]", await clients.OnDotnet.ReceivedAsync("still-working"));
    }

    [Fact]
    public async Task NodeServerKilled_ClusterShrinksAndTypedSioServerGoesOn()
    {
        await using var cluster = await Cluster.StartAsync();
        var onDotnet = await cluster.DotnetClientAsync(cluster.Dotnet.Url);
        await cluster.Node.ClientAsync("js-node", cluster.Node.Url);
        Assert.Equal(2, (await cluster.Dotnet.Main.FetchSocketsAsync()).Count);

        await cluster.Node.KillAsync();
        await WaitForServersAsync(cluster.Dotnet, 1);

        Assert.Equal(onDotnet.Id, Assert.Single(await cluster.Dotnet.Main.FetchSocketsAsync()).Id);
        var answers = await cluster.Dotnet.Main.ServerSideEmitWithAckAsync("server-ask");
        Assert.True(answers.Complete);
        Assert.Empty(answers.Responses);
        await cluster.Dotnet.Main.EmitAsync("alone", 1);
        Assert.Equal("[1]", await onDotnet.ReceivedAsync("alone"));
    }

    [Fact]
    public async Task RedisDownAtStartup_ServerServesLocally_ThenJoinsTheCluster()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await redis.StopAsync();
        await using var server = await DotnetServer.StartAsync(redis, waitForSubscriptions: false);
        await using var client = await TestClient.ConnectAsync(server.Url);

        await server.Main.EmitAsync("local", 1);
        Assert.Equal("[1]", await client.ReceivedAsync("local"));
        await Assert.ThrowsAnyAsync<RedisAdapterException>(() => server.Main.FetchSocketsAsync());

        await redis.StartAgainAsync();
        await ((RedisSocketIOAdapter)server.Main.Adapter).Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        await using var node = await NodeServer.StartAsync(redis);
        await WaitForServersAsync(server, 2);
        await node.RunAsync(new JsonObject { ["op"] = "emit", ["event"] = "from-node", ["args"] = new JsonArray(2) });
        Assert.Equal("[2]", await client.ReceivedAsync("from-node"));
    }

    private static async Task WaitForServersAsync(DotnetServer server, int count)
    {
        // Redis counts subscribers as connections come and go; there is no event to wait on, so the count is re-read.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                if (await server.Main.Adapter.ServerCountAsync() == count)
                {
                    return;
                }
            }
            catch (RedisAdapterException) when (!deadline.IsCancellationRequested)
            {
            }

            await Task.Delay(50, deadline.Token);
        }
    }
}
