using System.Text.Json.Nodes;
using StackExchange.Redis;
using TypedSio.Redis.Tests.Support;

namespace TypedSio.Redis.Tests;

/// <summary>
/// Broadcasts in a mixed cluster on sharded pub/sub: a Node server with createShardedAdapter and a TypedSio server with
/// the sharded adapter, official JS and TypedSio clients on each, in every subscription mode.
/// </summary>
public sealed class ShardedBroadcastTests
{
    public static TheoryData<RedisSubscriptionMode> Modes() => [RedisSubscriptionMode.Static, RedisSubscriptionMode.Dynamic, RedisSubscriptionMode.DynamicPrivate];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Broadcast_FromEitherServer_ReachesEveryClientWithIdenticalValues(RedisSubscriptionMode mode)
    {
        await using var cluster = await Cluster.StartShardedAsync(mode);
        var clients = await BroadcastTests.ClientsAsync(cluster);

        // With binary the Node adapter publishes msgpack, without it JSON: both kinds, dates in each.
        const string withBinary = """
            [0,1,-1,127,128,255,65536,-33,-129,4294967296,-2147483649,9007199254740991,1.5,-0.25,null,true,false,"","héllo ✓ \"q\"",
             [1,[2,[3]]],{},{"a":{"b":[1,"c",null]}},{"$bin":"AQID"},{"nested":{"$bin":"BwcHBw=="}},{"$date":"2024-01-02T03:04:05.678Z"}]
            """;
        const string plain = """[1,"two",{"three":[3,null]},{"$date":"1969-12-31T23:59:59.999Z"}]""";
        foreach (var (eventName, args) in new[] { ("binary", withBinary), ("plain", plain) })
        {
            await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["event"] = eventName, ["args"] = JsonNode.Parse(args) });
            var reference = await cluster.Node.ReceivedAsync("js-node", eventName);
            JsonShow.AssertEquivalent(reference, await cluster.Node.ReceivedAsync("js-dotnet", eventName));
            JsonShow.AssertEquivalent(reference, await clients.OnDotnet.ReceivedAsync(eventName));
            JsonShow.AssertEquivalent(reference, await clients.OnNode.ReceivedAsync(eventName));
        }

        Assert.Contains("\"2024-01-02T03:04:05.678Z\"", await clients.OnDotnet.ReceivedAsync("binary"), StringComparison.Ordinal);
        Assert.Contains("\"1969-12-31T23:59:59.999Z\"", await clients.OnDotnet.ReceivedAsync("plain"), StringComparison.Ordinal);

        object?[] values =
        [
            0, -1, 4294967296L, 9007199254740991L, 1.5, null, true, "héllo ✓",
            new object?[] { 1, new object?[] { 2 } }, new Dictionary<string, object?> { ["a"] = new object?[] { 1, "c", null } },
            new byte[] { 1, 2, 3 }, new Dictionary<string, object?> { ["nested"] = new byte[] { 7, 7 } },
        ];
        await cluster.Dotnet.Main.EmitAsync("from-dotnet", values);
        await cluster.Dotnet.Main.EmitAsync("plain-dotnet", 1, "two", new Dictionary<string, object?> { ["when"] = "2024-01-02T03:04:05.678Z" });
        foreach (var eventName in new[] { "from-dotnet", "plain-dotnet" })
        {
            var local = await clients.OnDotnet.ReceivedAsync(eventName);
            JsonShow.AssertEquivalent(local, await cluster.Node.ReceivedAsync("js-node", eventName));
            JsonShow.AssertEquivalent(local, await cluster.Node.ReceivedAsync("js-dotnet", eventName));
            JsonShow.AssertEquivalent(local, await clients.OnNode.ReceivedAsync(eventName));
        }

        Assert.Contains("{\"$bin\":\"AQID\"}", await clients.OnNode.ReceivedAsync("from-dotnet"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Broadcast_ToRoomExceptAndSocketId_ReachesOnlyTargetsAcrossServers(RedisSubscriptionMode mode)
    {
        await using var cluster = await Cluster.StartShardedAsync(mode);
        var clients = await BroadcastTests.ClientsAsync(cluster);
        await clients.OnDotnet.JoinAsync("room1");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "client-emit", ["name"] = "js-node", ["event"] = "join", ["args"] = new JsonArray("room1") });

        // In the dynamic modes a room broadcast travels on the room's own channel, which each server subscribes to once it
        // has members there; in static mode nobody subscribes to it.
        await WaitForShardSubscribersAsync(cluster, "socket.io#/#room1#", mode == RedisSubscriptionMode.Static ? 0 : 2);
        await WaitForShardSubscribersAsync(cluster, $"socket.io#/#{clients.OnDotnet.Id}#", mode == RedisSubscriptionMode.DynamicPrivate ? 1 : 0);

        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray("room1"), ["event"] = "to-room", ["args"] = new JsonArray(1) });
        await cluster.Dotnet.Main.To("room1").EmitAsync("to-room-dotnet", 2);
        await cluster.Dotnet.Main.Except("room1").EmitAsync("except-room", 3);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["except"] = new JsonArray("room1"), ["event"] = "except-room-node", ["args"] = new JsonArray(4) });
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray(clients.OnDotnet.Id), ["event"] = "to-id", ["args"] = new JsonArray(5) });
        await cluster.Dotnet.Main.To(clients.JsNodeId).EmitAsync("to-id", 6);
        await cluster.Dotnet.Main.To("nobody-here").EmitAsync("to-empty", 7);

        Assert.Equal("[1]", await clients.OnDotnet.ReceivedAsync("to-room"));
        Assert.Equal("[1]", await cluster.Node.ReceivedAsync("js-node", "to-room"));
        Assert.Equal("[2]", await clients.OnDotnet.ReceivedAsync("to-room-dotnet"));
        Assert.Equal("[2]", await cluster.Node.ReceivedAsync("js-node", "to-room-dotnet"));
        Assert.Equal("[3]", await cluster.Node.ReceivedAsync("js-dotnet", "except-room"));
        Assert.Equal("[3]", await clients.OnNode.ReceivedAsync("except-room"));
        Assert.Equal("[4]", await cluster.Node.ReceivedAsync("js-dotnet", "except-room-node"));
        Assert.Equal("[4]", await clients.OnNode.ReceivedAsync("except-room-node"));
        Assert.Equal("[5]", await clients.OnDotnet.ReceivedAsync("to-id"));
        Assert.Equal("[6]", await cluster.Node.ReceivedAsync("js-node", "to-id"));

        // Markers on the namespace channel, sent after everything above: once every client has both, every broadcast of
        // that channel has been handled. Room broadcasts reach a non-member server on no channel at all.
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["event"] = "marker", ["args"] = new JsonArray() });
        await cluster.Dotnet.Main.EmitAsync("marker2");
        foreach (var marker in new[] { "marker", "marker2" })
        {
            await cluster.Node.ReceivedAsync("js-node", marker);
            await cluster.Node.ReceivedAsync("js-dotnet", marker);
            await clients.OnDotnet.ReceivedAsync(marker);
            await clients.OnNode.ReceivedAsync(marker);
        }

        foreach (var eventName in new[] { "to-room", "to-room-dotnet", "to-id" })
        {
            Assert.False(cluster.Node.HasReceived("js-dotnet", eventName), eventName);
            Assert.False(clients.OnNode.HasReceived(eventName), eventName);
        }

        Assert.False(clients.OnDotnet.HasReceived("except-room"));
        Assert.False(cluster.Node.HasReceived("js-node", "except-room-node"));
        Assert.False(clients.OnDotnet.HasReceived("to-empty"));
        Assert.Single(clients.OnDotnet.Received.All, l => l.StartsWith("to-room ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DynamicMode_SubscribesToRoomChannelsWhileRoomsHaveLocalMembers()
    {
        await using var cluster = await Cluster.StartShardedAsync(RedisSubscriptionMode.Dynamic);
        var client = await cluster.DotnetClientAsync(cluster.Dotnet.Url);
        var second = await cluster.DotnetClientAsync(cluster.Dotnet.Url);

        await client.JoinAsync("blue");
        await second.JoinAsync("blue");
        await WaitForShardSubscribersAsync(cluster, "socket.io#/#blue#", 1);

        // A private room (socket id) has no channel of its own in dynamic mode.
        await WaitForShardSubscribersAsync(cluster, $"socket.io#/#{client.Id}#", 0);

        await cluster.Dotnet.Main.In(client.Id).SocketsLeaveAsync("blue");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray("blue"), ["event"] = "still", ["args"] = new JsonArray() });
        await second.ReceivedAsync("still");
        await WaitForShardSubscribersAsync(cluster, "socket.io#/#blue#", 1);

        // The last member leaves: the channel is unsubscribed; joining again subscribes it again.
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "leave", ["to"] = new JsonArray(second.Id), ["rooms"] = new JsonArray("blue") });
        await WaitForShardSubscribersAsync(cluster, "socket.io#/#blue#", 0);
        await client.JoinAsync("blue");
        await WaitForShardSubscribersAsync(cluster, "socket.io#/#blue#", 1);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray("blue"), ["event"] = "again", ["args"] = new JsonArray() });
        await client.ReceivedAsync("again");
    }

    internal static async Task WaitForShardSubscribersAsync(Cluster cluster, string channel, int count)
    {
        // Node subscribes without waiting and so does this adapter: the subscriptions are observed in Redis itself.
        var database = cluster.Dotnet.Redis.GetDatabase();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        long last = -1;
        while (true)
        {
            try
            {
                var entries = (RedisResult[])(await database.ExecuteAsync("PUBSUB", "SHARDNUMSUB", channel))!;
                last = (long)entries[1];
                if (last == count)
                {
                    return;
                }
            }
            catch (RedisConnectionException) when (!deadline.IsCancellationRequested)
            {
                // After a Redis restart the multiplexer reconnects its connections one by one: ask again.
            }

            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{channel} has {last} shard subscribers, expected {count}");
            }
        }
    }
}
