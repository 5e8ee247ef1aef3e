using System.Text.Json;
using System.Text.Json.Nodes;
using TypedSio.Redis.Tests.Support;

namespace TypedSio.Redis.Tests;

/// <summary>fetchSockets, socketsJoin/Leave, disconnectSockets, serverSideEmit (with ack), broadcast acks and serverCount across languages, on sharded pub/sub.</summary>
public sealed class ShardedClusterOperationTests
{
    public static TheoryData<RedisSubscriptionMode> Modes() => [RedisSubscriptionMode.Static, RedisSubscriptionMode.Dynamic];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ServerCountAndFetchSockets_SeeBothServers(RedisSubscriptionMode mode)
    {
        await using var cluster = await Cluster.StartShardedAsync(mode);
        var clients = await BroadcastTests.ClientsAsync(cluster);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "client-emit", ["name"] = "js-node", ["event"] = "join", ["args"] = new JsonArray("blue") });
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "setData", ["socket"] = clients.JsNodeId, ["data"] = JsonNode.Parse("""{"bytes":{"$bin":"CQg="}}""") });
        cluster.Dotnet.Main.Sockets[clients.OnDotnet.Id].Data["bytes"] = new byte[] { 7, 6 };

        Assert.Equal(2, await cluster.Dotnet.Main.Adapter.ServerCountAsync());
        Assert.Equal("2", await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverCount" }));

        var sockets = await cluster.Dotnet.Main.FetchSocketsAsync();
        Assert.Equal(4, sockets.Count);
        var jsNode = Assert.Single(sockets, s => s.Id == clients.JsNodeId);
        Assert.Equal("node", jsNode.Data["server"]);
        Assert.Equal([9, 8], Assert.IsType<byte[]>(jsNode.Data["bytes"]));
        Assert.Contains("blue", jsNode.Rooms);
        Assert.StartsWith("/socket.io/", jsNode.Handshake.Url, StringComparison.Ordinal);
        Assert.True(jsNode.Handshake.Headers.ContainsKey("host"));

        var inBlue = await cluster.Dotnet.Main.In("blue").FetchSocketsAsync();
        Assert.Equal(clients.JsNodeId, Assert.Single(inBlue).Id);

        // The TypedSio server's answer holds binary data, so it travels as msgpack.
        using var fromNode = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject { ["op"] = "fetch" }));
        Assert.Equal(4, fromNode.RootElement.GetArrayLength());
        var dotnetSocket = fromNode.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == clients.OnDotnet.Id);
        Assert.Equal("dotnet", dotnetSocket.GetProperty("data").GetProperty("server").GetString());
        Assert.Equal("BwY=", dotnetSocket.GetProperty("data").GetProperty("bytes").GetProperty("$bin").GetString());
        Assert.Equal(clients.OnDotnet.Id, dotnetSocket.GetProperty("rooms")[0].GetString());
        Assert.StartsWith("/socket.io/", dotnetSocket.GetProperty("handshake").GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SocketsJoinLeaveAndDisconnect_ActOnSocketsOfTheOtherServer(RedisSubscriptionMode mode)
    {
        await using var cluster = await Cluster.StartShardedAsync(mode);
        var clients = await BroadcastTests.ClientsAsync(cluster);

        await cluster.Dotnet.Main.In(clients.JsNodeId).SocketsJoinAsync("green");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "join", ["to"] = new JsonArray(clients.OnDotnet.Id), ["rooms"] = new JsonArray("green") });
        await ClusterOperationTests.WaitForRoomMembersAsync(cluster, "green", 2);
        await ShardedBroadcastTests.WaitForShardSubscribersAsync(cluster, "socket.io#/#green#", mode == RedisSubscriptionMode.Static ? 0 : 2);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray("green"), ["event"] = "green", ["args"] = new JsonArray() });
        await cluster.Node.ReceivedAsync("js-node", "green");
        await clients.OnDotnet.ReceivedAsync("green");

        await cluster.Dotnet.Main.In(clients.JsNodeId).SocketsLeaveAsync("green");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "leave", ["to"] = new JsonArray(clients.OnDotnet.Id), ["rooms"] = new JsonArray("green") });
        await ClusterOperationTests.WaitForRoomMembersAsync(cluster, "green", 0);

        await cluster.Dotnet.Main.In(clients.JsNodeId).DisconnectSocketsAsync();
        Assert.EndsWith("io server disconnect", await cluster.Node.Output.WaitPrefixAsync("CLIENT-DISCONNECT js-node "), StringComparison.Ordinal);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "disconnect", ["to"] = new JsonArray(clients.JsDotnetId), ["close"] = true });
        Assert.Matches("(io server disconnect|transport close)$", await cluster.Node.Output.WaitPrefixAsync("CLIENT-DISCONNECT js-dotnet "));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ServerSideEmit_WithAndWithoutAck_CrossesLanguages(RedisSubscriptionMode mode)
    {
        await using var cluster = await Cluster.StartShardedAsync(mode);

        await cluster.Dotnet.Main.ServerSideEmitAsync("server-ping", 1, "a", new Dictionary<string, object?> { ["b"] = true });
        Assert.Equal("SERVER-EVENT / server-ping [1,\"a\",{\"b\":true}]", await cluster.Node.Output.WaitPrefixAsync("SERVER-EVENT / server-ping"));
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverSideEmit", ["event"] = "server-ping", ["args"] = JsonNode.Parse("""[2,"b",{"$bin":"AQ=="}]""") });
        Assert.Equal("SERVER-EVENT / server-ping [2,\"b\",{\"$bin\":\"AQ==\"}]", await cluster.Dotnet.ServerEvents.WaitPrefixAsync("SERVER-EVENT / server-ping"));

        var answers = await cluster.Dotnet.Main.ServerSideEmitWithAckAsync("server-ask", 3, new byte[] { 4 });
        Assert.True(answers.Complete);
        JsonShow.AssertEquivalent("[{\"from\":\"node\",\"args\":[3,{\"$bin\":\"BA==\"}]}]", JsonShow.Show(Assert.Single(answers.Responses)));

        var fromNode = await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverSideEmitWithAck", ["event"] = "server-ask", ["args"] = JsonNode.Parse("""[4,{"$bin":"BQ=="}]""") });
        JsonShow.AssertEquivalent("{\"ok\":true,\"responses\":[{\"from\":\"dotnet\",\"args\":[4,{\"$bin\":\"BQ==\"}]}]}", fromNode);

        // The chat namespace is a cluster of its own.
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverSideEmit", ["nsp"] = "/chat", ["event"] = "server-ping", ["args"] = new JsonArray(5) });
        Assert.Equal("SERVER-EVENT /chat server-ping [5]", await cluster.Dotnet.ServerEvents.WaitPrefixAsync("SERVER-EVENT /chat server-ping"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task BroadcastWithAck_CollectsEveryClientOfEveryServer(RedisSubscriptionMode mode)
    {
        await using var cluster = await Cluster.StartShardedAsync(mode);
        await BroadcastTests.ClientsAsync(cluster);

        var result = await cluster.Dotnet.Main.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("ask-client", new byte[] { 1, 2 }, 5);
        Assert.True(result.Complete);
        var answers = result.Responses.Select(JsonShow.Show).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, answers.Count);
        Assert.Contains("[{\"client\":\"js-node\",\"event\":\"ask-client\",\"args\":[{\"$bin\":\"AQI=\"},5]}]", answers);
        Assert.Contains("[{\"client\":\"js-dotnet\",\"event\":\"ask-client\",\"args\":[{\"$bin\":\"AQI=\"},5]}]", answers);
        Assert.Equal(2, answers.Count(a => a == "[{\"client\":\"dotnet\",\"args\":[{\"$bin\":\"AQI=\"},5]}]"));

        using var fromNode = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject
        {
            ["op"] = "emitWithAck", ["timeout"] = 10000, ["event"] = "ask-client", ["args"] = JsonNode.Parse("""[6,{"$bin":"Bw=="}]"""),
        }));
        Assert.True(fromNode.RootElement.GetProperty("ok").GetBoolean(), fromNode.RootElement.GetRawText());
        var responses = fromNode.RootElement.GetProperty("responses").EnumerateArray().Select(r => r.GetRawText()).ToList();
        Assert.Equal(4, responses.Count);
        Assert.Equal(2, responses.Count(r => r.Contains("\"client\":\"dotnet\"", StringComparison.Ordinal) && r.Contains("{\"$bin\":\"Bw==\"}", StringComparison.Ordinal)));

        // Clients that never answer: the acks of the others still arrive, and the result says it is incomplete.
        using var partial = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject
        {
            ["op"] = "emitWithAck", ["timeout"] = 3000, ["event"] = "ask-silent", ["args"] = new JsonArray(),
        }));
        Assert.False(partial.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(2, partial.RootElement.GetProperty("responses").GetArrayLength());
    }

    [Fact]
    public async Task ThreeServers_CountAndAnswerEachOther()
    {
        await using var cluster = await Cluster.StartShardedAsync(RedisSubscriptionMode.Dynamic);
        var second = cluster.Own(await DotnetServer.StartAsync(cluster.Redis, sharded: new RedisShardedAdapterOptions()));
        await cluster.Node.ClientAsync("js-node", cluster.Node.Url);
        await cluster.DotnetClientAsync(cluster.Dotnet.Url);
        var onSecond = await cluster.DotnetClientAsync(second.Url);

        Assert.Equal(3, await cluster.Dotnet.Main.Adapter.ServerCountAsync());
        Assert.Equal("3", await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverCount" }));
        Assert.Equal(3, (await second.Main.FetchSocketsAsync()).Count);

        using var fetched = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject { ["op"] = "fetch" }));
        Assert.Equal(3, fetched.RootElement.GetArrayLength());
        var answers = await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverSideEmitWithAck", ["event"] = "server-ask", ["args"] = new JsonArray(1) });
        JsonShow.AssertEquivalent("""{"ok":true,"responses":[{"from":"dotnet","args":[1]},{"from":"dotnet","args":[1]}]}""", answers);

        await onSecond.JoinAsync("only-second");
        await ShardedBroadcastTests.WaitForShardSubscribersAsync(cluster, "socket.io#/#only-second#", 1);
        await cluster.Dotnet.Main.To("only-second").EmitAsync("hello", 1);
        Assert.Equal("[1]", await onSecond.ReceivedAsync("hello"));
    }
}
