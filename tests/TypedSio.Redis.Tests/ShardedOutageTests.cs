using System.Text.Json.Nodes;
using TypedSio.Redis.Tests.Support;

namespace TypedSio.Redis.Tests;

/// <summary>Redis down and back under the sharded adapter: local delivery goes on, cluster calls fail fast, every channel is subscribed again.</summary>
public sealed class ShardedOutageTests
{
    [Fact]
    public async Task RedisDown_LocalDeliveryGoesOn_ThenNamespaceAndRoomChannelsAreSubscribedAgain()
    {
        await using var cluster = await Cluster.StartShardedAsync(RedisSubscriptionMode.Dynamic);
        var client = await cluster.DotnetClientAsync(cluster.Dotnet.Url);
        await client.JoinAsync("before");
        await ShardedBroadcastTests.WaitForShardSubscribersAsync(cluster, "socket.io#/#before#", 1);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.Dotnet.Redis.ConnectionFailed += (_, _) => lost.TrySetResult();
        cluster.Dotnet.Redis.ConnectionRestored += (_, _) => restored.TrySetResult();

        await cluster.Redis.StopAsync();
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await cluster.Dotnet.Main.To("before").EmitAsync("while-down", 1);
        Assert.Equal("[1]", await client.ReceivedAsync("while-down"));
        await Assert.ThrowsAnyAsync<RedisAdapterException>(() => cluster.Dotnet.Main.FetchSocketsAsync());
        await Assert.ThrowsAnyAsync<RedisAdapterException>(async () => await cluster.Dotnet.Main.Adapter.ServerCountAsync());
        await Assert.ThrowsAnyAsync<RedisAdapterException>(() => cluster.Dotnet.Main.In("before").SocketsJoinAsync("x"));

        // A room created while Redis is down gets its channel once Redis is back.
        await client.JoinAsync("during");

        await cluster.Redis.StartAgainAsync();
        await restored.Task.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var channel in new[] { "socket.io#/#before#", "socket.io#/#during#", $"socket.io#/#{((RedisShardedSocketIOAdapter)cluster.Dotnet.Main.Adapter).Uid}#" })
        {
            await ShardedBroadcastTests.WaitForShardSubscribersAsync(cluster, channel, 1);
        }

        // The Node server subscribes again too: both count again, and a broadcast from here reaches its clients.
        await ShardedBroadcastTests.WaitForShardSubscribersAsync(cluster, "socket.io#/#", 2);
        Assert.Equal(2, await cluster.Dotnet.Main.Adapter.ServerCountAsync());

        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray("during"), ["event"] = "to-during", ["args"] = new JsonArray(2) });
        Assert.Equal("[2]", await client.ReceivedAsync("to-during", TimeSpan.FromSeconds(30)));
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray("before"), ["event"] = "to-before", ["args"] = new JsonArray(3) });
        Assert.Equal("[3]", await client.ReceivedAsync("to-before", TimeSpan.FromSeconds(30)));
    }
}
