using System.Text.Json.Nodes;
using TypedSio.Redis.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests;

/// <summary>Node's @socket.io/redis-emitter and the C# <see cref="TypedSioRedisEmitter"/> reach every server's clients.</summary>
public sealed class EmitterTests
{
    [Fact]
    public async Task NodeEmitter_ReachesClientsOfBothServers()
    {
        await using var cluster = await Cluster.StartAsync();
        var clients = await BroadcastTests.ClientsAsync(cluster);
        var chat = await cluster.DotnetClientAsync(cluster.Dotnet.Url, "/chat");
        await clients.OnDotnet.JoinAsync("red");

        var commands = new JsonArray
        {
            new JsonObject { ["op"] = "emit", ["event"] = "news", ["args"] = JsonNode.Parse("""[1,"x",{"$bin":"AAE="},{"$date":"2024-05-06T07:08:09.010Z"}]""") },
            new JsonObject { ["op"] = "emit", ["to"] = "red", ["event"] = "red", ["args"] = new JsonArray(2) },
            new JsonObject { ["op"] = "emit", ["except"] = "red", ["event"] = "not-red", ["args"] = new JsonArray(3) },
            new JsonObject { ["op"] = "emit", ["nsp"] = "/chat", ["event"] = "chat", ["args"] = new JsonArray(4) },
            new JsonObject { ["op"] = "serverSideEmit", ["event"] = "server-ping", ["args"] = new JsonArray(5) },
            new JsonObject { ["op"] = "join", ["to"] = clients.JsNodeId, ["rooms"] = new JsonArray("joined-by-emitter") },
            new JsonObject { ["op"] = "emit", ["event"] = "marker" },
        };
        Assert.Contains("DONE", await NodeScript.RunAsync("redis-emitter.mjs", [cluster.Redis.Url, commands.ToJsonString()], timeout: TimeSpan.FromSeconds(30)), StringComparison.Ordinal);

        const string news = """[1,"x",{"$bin":"AAE="},"2024-05-06T07:08:09.010Z"]""";
        JsonShow.AssertEquivalent(news, await clients.OnDotnet.ReceivedAsync("news"));
        JsonShow.AssertEquivalent(news, await cluster.Node.ReceivedAsync("js-dotnet", "news"));
        JsonShow.AssertEquivalent(news, await cluster.Node.ReceivedAsync("js-node", "news"));
        Assert.Equal("[2]", await clients.OnDotnet.ReceivedAsync("red"));
        Assert.Equal("[3]", await clients.OnNode.ReceivedAsync("not-red"));
        Assert.Equal("[4]", await chat.ReceivedAsync("chat"));
        Assert.Equal("SERVER-EVENT / server-ping [5]", await cluster.Dotnet.ServerEvents.WaitPrefixAsync("SERVER-EVENT / server-ping"));
        await clients.OnDotnet.ReceivedAsync("marker");
        await clients.OnNode.ReceivedAsync("marker");
        Assert.False(clients.OnNode.HasReceived("red"));
        Assert.False(clients.OnDotnet.HasReceived("not-red"));
        Assert.False(clients.OnDotnet.HasReceived("chat"));
    }

    [Fact]
    public async Task DotnetEmitter_ReachesClientsAndServersOfBothLanguages()
    {
        await using var cluster = await Cluster.StartAsync();
        var clients = await BroadcastTests.ClientsAsync(cluster);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "client-emit", ["name"] = "js-node", ["event"] = "join", ["args"] = new JsonArray("red") });
        await cluster.Node.ClientAsync("js-chat", cluster.Node.Url, "/chat");
        await using var redis = await DotnetServer.ConnectAsync(cluster.Redis);
        var emitter = new TypedSioRedisEmitter(redis);

        await emitter.EmitAsync("news", 1, "x", new byte[] { 0, 1 }, new Dictionary<string, object?> { ["k"] = 1.5 });
        await emitter.To("red").EmitAsync("red", 2);
        await emitter.Except("red").EmitAsync("not-red", 3);
        await emitter.Of("chat").EmitAsync("chat", 4);
        await emitter.ServerSideEmitAsync("server-ping", 5);
        await emitter.To(clients.OnDotnet.Id).SocketsJoinAsync("joined");
        await emitter.EmitAsync("marker");

        const string news = """[1,"x",{"$bin":"AAE="},{"k":1.5}]""";
        JsonShow.AssertEquivalent(news, await cluster.Node.ReceivedAsync("js-node", "news"));
        JsonShow.AssertEquivalent(news, await cluster.Node.ReceivedAsync("js-dotnet", "news"));
        JsonShow.AssertEquivalent(news, await clients.OnDotnet.ReceivedAsync("news"));
        JsonShow.AssertEquivalent(news, await clients.OnNode.ReceivedAsync("news"));
        Assert.Equal("[2]", await cluster.Node.ReceivedAsync("js-node", "red"));
        Assert.Equal("[3]", await clients.OnDotnet.ReceivedAsync("not-red"));
        Assert.Equal("[4]", await cluster.Node.ReceivedAsync("js-chat", "chat"));
        Assert.Equal("SERVER-EVENT / server-ping [5]", await cluster.Node.Output.WaitPrefixAsync("SERVER-EVENT / server-ping"));
        Assert.Equal("SERVER-EVENT / server-ping [5]", await cluster.Dotnet.ServerEvents.WaitPrefixAsync("SERVER-EVENT / server-ping"));
        await cluster.Node.ReceivedAsync("js-node", "marker");
        await clients.OnDotnet.ReceivedAsync("marker");
        Assert.False(cluster.Node.HasReceived("js-dotnet", "red"));
        Assert.False(cluster.Node.HasReceived("js-node", "not-red"));

        // Requests and broadcasts come through different subscriptions, each in order: wait until the join is applied.
        await ClusterOperationTests.WaitForRoomMembersAsync(cluster, "joined", 1);
        await emitter.To("joined").EmitAsync("in-joined", 6);
        Assert.Equal("[6]", await clients.OnDotnet.ReceivedAsync("in-joined"));

        await emitter.In(clients.JsDotnetId).DisconnectSocketsAsync();
        Assert.EndsWith("io server disconnect", await cluster.Node.Output.WaitPrefixAsync("CLIENT-DISCONNECT js-dotnet "), StringComparison.Ordinal);
    }
}
