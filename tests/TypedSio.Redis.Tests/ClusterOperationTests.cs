using System.Text.Json;
using System.Text.Json.Nodes;
using TypedSio.Redis.Tests.Support;

namespace TypedSio.Redis.Tests;

/// <summary>fetchSockets, socketsJoin/Leave, disconnectSockets, serverSideEmit (with ack), broadcast acks and serverCount across languages.</summary>
public sealed class ClusterOperationTests
{
    [Fact]
    public async Task ServerCountAndFetchSockets_SeeBothServers()
    {
        await using var cluster = await Cluster.StartAsync();
        var clients = await BroadcastTests.ClientsAsync(cluster);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "client-emit", ["name"] = "js-node", ["event"] = "join", ["args"] = new JsonArray("blue") });

        Assert.Equal(2, await cluster.Dotnet.Main.Adapter.ServerCountAsync());
        Assert.Equal("2", await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverCount" }));

        var sockets = await cluster.Dotnet.Main.FetchSocketsAsync();
        Assert.Equal(4, sockets.Count);
        var jsNode = Assert.Single(sockets, s => s.Id == clients.JsNodeId);
        Assert.Equal("node", jsNode.Data["server"]);
        Assert.Contains("blue", jsNode.Rooms);
        Assert.Contains(clients.JsNodeId, jsNode.Rooms);
        Assert.StartsWith("/socket.io/", jsNode.Handshake.Url, StringComparison.Ordinal);
        Assert.True(jsNode.Handshake.Headers.ContainsKey("host"));
        Assert.Equal("dotnet", Assert.Single(sockets, s => s.Id == clients.OnDotnet.Id).Data["server"]);

        var inBlue = await cluster.Dotnet.Main.In("blue").FetchSocketsAsync();
        Assert.Equal(clients.JsNodeId, Assert.Single(inBlue).Id);

        using var fromNode = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject { ["op"] = "fetch" }));
        Assert.Equal(4, fromNode.RootElement.GetArrayLength());
        var dotnetSocket = fromNode.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == clients.OnDotnet.Id);
        Assert.Equal("dotnet", dotnetSocket.GetProperty("data").GetProperty("server").GetString());
        Assert.Equal(clients.OnDotnet.Id, dotnetSocket.GetProperty("rooms")[0].GetString());
        Assert.StartsWith("/socket.io/", dotnetSocket.GetProperty("handshake").GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SocketsJoinLeaveAndDisconnect_ActOnSocketsOfTheOtherServer()
    {
        await using var cluster = await Cluster.StartAsync();
        var clients = await BroadcastTests.ClientsAsync(cluster);

        await cluster.Dotnet.Main.In(clients.JsNodeId).SocketsJoinAsync("green");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "join", ["to"] = new JsonArray(clients.OnDotnet.Id), ["rooms"] = new JsonArray("green") });
        await WaitForRoomMembersAsync(cluster, "green", 2);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray("green"), ["event"] = "green", ["args"] = new JsonArray() });
        await cluster.Node.ReceivedAsync("js-node", "green");
        await clients.OnDotnet.ReceivedAsync("green");

        await cluster.Dotnet.Main.In(clients.JsNodeId).SocketsLeaveAsync("green");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "leave", ["to"] = new JsonArray(clients.OnDotnet.Id), ["rooms"] = new JsonArray("green") });
        await WaitForRoomMembersAsync(cluster, "green", 0);

        await cluster.Dotnet.Main.In(clients.JsNodeId).DisconnectSocketsAsync();
        Assert.EndsWith("io server disconnect", await cluster.Node.Output.WaitPrefixAsync("CLIENT-DISCONNECT js-node "), StringComparison.Ordinal);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "disconnect", ["to"] = new JsonArray(clients.JsDotnetId) });
        Assert.EndsWith("io server disconnect", await cluster.Node.Output.WaitPrefixAsync("CLIENT-DISCONNECT js-dotnet "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerSideEmit_WithAndWithoutAck_CrossesLanguages()
    {
        await using var cluster = await Cluster.StartAsync();

        await cluster.Dotnet.Main.ServerSideEmitAsync("server-ping", 1, "a", new Dictionary<string, object?> { ["b"] = true });
        Assert.Equal("SERVER-EVENT / server-ping [1,\"a\",{\"b\":true}]", await cluster.Node.Output.WaitPrefixAsync("SERVER-EVENT / server-ping"));
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverSideEmit", ["event"] = "server-ping", ["args"] = new JsonArray(2, "b") });
        Assert.Equal("SERVER-EVENT / server-ping [2,\"b\"]", await cluster.Dotnet.ServerEvents.WaitPrefixAsync("SERVER-EVENT / server-ping"));

        var answers = await cluster.Dotnet.Main.ServerSideEmitWithAckAsync("server-ask", 3);
        Assert.True(answers.Complete);
        JsonShow.AssertEquivalent("[{\"from\":\"node\",\"args\":[3]}]", JsonShow.Show(Assert.Single(answers.Responses)));

        var fromNode = await cluster.Node.RunAsync(new JsonObject { ["op"] = "serverSideEmitWithAck", ["event"] = "server-ask", ["args"] = new JsonArray(4) });
        JsonShow.AssertEquivalent("{\"ok\":true,\"responses\":[{\"from\":\"dotnet\",\"args\":[4]}]}", fromNode);
    }

    [Fact]
    public async Task BroadcastWithAck_CollectsEveryClientOfEveryServer()
    {
        await using var cluster = await Cluster.StartAsync();
        await BroadcastTests.ClientsAsync(cluster);

        var result = await cluster.Dotnet.Main.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync("ask-client", new byte[] { 1, 2 }, 5);
        Assert.True(result.Complete);
        var answers = result.Responses.Select(JsonShow.Show).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, answers.Count);
        Assert.Contains("[{\"client\":\"js-node\",\"event\":\"ask-client\",\"args\":[{\"$bin\":\"AQI=\"},5]}]", answers);
        Assert.Contains("[{\"client\":\"js-dotnet\",\"event\":\"ask-client\",\"args\":[{\"$bin\":\"AQI=\"},5]}]", answers);
        Assert.Equal(2, answers.Count(a => a.StartsWith("[{\"client\":\"dotnet\"", StringComparison.Ordinal)));

        using var fromNode = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject
        {
            ["op"] = "emitWithAck", ["timeout"] = 10000, ["event"] = "ask-client", ["args"] = new JsonArray(6),
        }));
        Assert.True(fromNode.RootElement.GetProperty("ok").GetBoolean(), fromNode.RootElement.GetRawText());
        Assert.Equal(4, fromNode.RootElement.GetProperty("responses").GetArrayLength());
    }

    [Fact]
    public async Task NodeBroadcastWithAck_AnsweredHere_RelaysEachAckAndToleratesSilentClients()
    {
        await using var cluster = await Cluster.StartAsync();
        await BroadcastTests.ClientsAsync(cluster);
        var third = await cluster.DotnetClientAsync(cluster.Dotnet.Url);

        // Three sockets on the TypedSio server share one encoded packet; each answer is relayed on its own, binary intact.
        using var all = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject
        {
            ["op"] = "emitWithAck", ["timeout"] = 10000, ["event"] = "ask-client", ["args"] = JsonNode.Parse("""[{"$bin":"CQ=="}]"""),
        }));
        Assert.True(all.RootElement.GetProperty("ok").GetBoolean(), all.RootElement.GetRawText());
        var responses = all.RootElement.GetProperty("responses").EnumerateArray().Select(r => r.GetRawText()).ToList();
        Assert.Equal(5, responses.Count);
        Assert.Equal(3, responses.Count(r => r == """{"client":"dotnet","args":[{"$bin":"CQ=="}]}"""));

        // The TypedSio clients do not answer this event: the JS clients' acks still arrive before the timeout.
        using var partial = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject
        {
            ["op"] = "emitWithAck", ["timeout"] = 3000, ["event"] = "ask-silent", ["args"] = new JsonArray(),
        }));
        Assert.False(partial.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(2, partial.RootElement.GetProperty("responses").GetArrayLength());
        await third.ReceivedAsync("ask-silent");
    }

    [Fact]
    public async Task SpecificResponseChannels_OnBothSides_AnswerFetchSocketsAndAllRooms()
    {
        await using var cluster = await Cluster.StartAsync(
            new RedisAdapterOptions { PublishOnSpecificResponseChannel = true },
            """{"publishOnSpecificResponseChannel":true}""");
        var clients = await BroadcastTests.ClientsAsync(cluster);
        await clients.OnDotnet.JoinAsync("dotnet-room");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "client-emit", ["name"] = "js-node", ["event"] = "join", ["args"] = new JsonArray("node-room") });

        Assert.Equal(4, (await cluster.Dotnet.Main.FetchSocketsAsync()).Count);
        using var fromNode = JsonDocument.Parse(await cluster.Node.RunAsync(new JsonObject { ["op"] = "fetch" }));
        Assert.Equal(4, fromNode.RootElement.GetArrayLength());

        var rooms = await ((RedisSocketIOAdapter)cluster.Dotnet.Main.Adapter).AllRoomsAsync();
        Assert.Contains("node-room", rooms);
        Assert.Contains("dotnet-room", rooms);
        Assert.Contains(clients.JsNodeId, rooms);
        var nodeRooms = JsonSerializer.Deserialize(await cluster.Node.RunAsync(new JsonObject { ["op"] = "allRooms" }), TestJson.Default.StringArray)!;
        Assert.Contains("dotnet-room", nodeRooms);
        Assert.Contains(clients.OnDotnet.Id, nodeRooms);
    }

    internal static async Task WaitForRoomMembersAsync(Cluster cluster, string room, int count)
    {
        // Join and leave requests are fire-and-forget, as in Node: their effect is observed through fetchSockets.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((await cluster.Dotnet.Main.In(room).FetchSocketsAsync()).Count != count)
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
