using System.Text.Json.Nodes;
using TypedSio.Redis.Tests.Support;

namespace TypedSio.Redis.Tests;

/// <summary>Broadcasts in a mixed cluster: a Node server and a TypedSio server, official JS and TypedSio clients on each.</summary>
public sealed class BroadcastTests
{
    private const string NodeValues = """
        [0,1,-1,127,128,255,256,65535,65536,-33,-129,-32769,4294967295,4294967296,-2147483649,9007199254740991,-9007199254740991,
         1.5,-0.25,3.0e-7,null,true,false,"","héllo ✓ \"q\"",[1,[2,[3]]],{},{"a":{"b":[1,"c",null]}},{"$bin":"AQID"},
         {"nested":{"$bin":"BwcHBw=="}},{"$date":"2024-01-02T03:04:05.678Z"},{"$date":"1969-12-31T23:59:59.999Z"}]
        """;

    [Fact]
    public async Task Broadcast_FromEitherServer_ReachesEveryClientWithIdenticalValues()
    {
        await using var cluster = await Cluster.StartAsync();
        var clients = await ClientsAsync(cluster);

        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["event"] = "from-node", ["args"] = JsonNode.Parse(NodeValues) });
        var reference = await cluster.Node.ReceivedAsync("js-node", "from-node");
        Assert.Contains("\"2024-01-02T03:04:05.678Z\"", reference, StringComparison.Ordinal);
        Assert.Contains("{\"$bin\":\"AQID\"}", reference, StringComparison.Ordinal);
        JsonShow.AssertEquivalent(reference, await cluster.Node.ReceivedAsync("js-dotnet", "from-node"));
        JsonShow.AssertEquivalent(reference, await clients.OnDotnet.ReceivedAsync("from-node"));
        JsonShow.AssertEquivalent(reference, await clients.OnNode.ReceivedAsync("from-node"));

        object?[] values =
        [
            0, 1, -1, 65536, 4294967296L, -2147483649L, 9007199254740991L, 1.5, -0.25, null, true, false, "", "héllo ✓ \"q\"",
            new object?[] { 1, new object?[] { 2 } }, new Dictionary<string, object?> { ["a"] = new Dictionary<string, object?> { ["b"] = new object?[] { 1, "c", null } } },
            new byte[] { 1, 2, 3 }, new Dictionary<string, object?> { ["nested"] = new byte[] { 7, 7, 7, 7 } },
        ];
        await cluster.Dotnet.Main.EmitAsync("from-dotnet", values);
        var local = await clients.OnDotnet.ReceivedAsync("from-dotnet");
        Assert.Contains("{\"$bin\":\"AQID\"}", local, StringComparison.Ordinal);
        JsonShow.AssertEquivalent(local, await cluster.Node.ReceivedAsync("js-node", "from-dotnet"));
        JsonShow.AssertEquivalent(local, await cluster.Node.ReceivedAsync("js-dotnet", "from-dotnet"));
        JsonShow.AssertEquivalent(local, await clients.OnNode.ReceivedAsync("from-dotnet"));
    }

    [Fact]
    public async Task Broadcast_ToRoomExceptAndSocketId_ReachesOnlyTargetsAcrossServers()
    {
        await using var cluster = await Cluster.StartAsync();
        var clients = await ClientsAsync(cluster);

        // Glob characters in a room name: its channel is literal, and the pattern subscription must not treat it as one.
        const string room = "room*?[x]";
        await clients.OnDotnet.JoinAsync(room);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "client-emit", ["name"] = "js-node", ["event"] = "join", ["args"] = new JsonArray(room) });

        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray(room), ["event"] = "to-room", ["args"] = new JsonArray(1) });
        await cluster.Dotnet.Main.Except(room).EmitAsync("except-room", 2);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["to"] = new JsonArray(clients.OnDotnet.Id), ["event"] = "to-id", ["args"] = new JsonArray(3) });
        await cluster.Dotnet.Main.To(clients.JsNodeId).EmitAsync("to-id", 4);
        await cluster.Dotnet.Main.To("room*").EmitAsync("to-room-star", 5);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["event"] = "marker", ["args"] = new JsonArray() });
        await cluster.Dotnet.Main.EmitAsync("marker2");
        await AllReceivedAsync(cluster, clients, "marker");
        await AllReceivedAsync(cluster, clients, "marker2");

        // Messages from one server arrive in order, so after the markers every earlier broadcast has been delivered.
        Assert.Equal("[1]", await clients.OnDotnet.ReceivedAsync("to-room"));
        Assert.Equal("[1]", await cluster.Node.ReceivedAsync("js-node", "to-room"));
        Assert.False(cluster.Node.HasReceived("js-dotnet", "to-room"));
        Assert.False(clients.OnNode.HasReceived("to-room"));

        Assert.Equal("[2]", await cluster.Node.ReceivedAsync("js-dotnet", "except-room"));
        Assert.Equal("[2]", await clients.OnNode.ReceivedAsync("except-room"));
        Assert.False(clients.OnDotnet.HasReceived("except-room"));
        Assert.False(cluster.Node.HasReceived("js-node", "except-room"));

        Assert.Equal("[3]", await clients.OnDotnet.ReceivedAsync("to-id"));
        Assert.Equal("[4]", await cluster.Node.ReceivedAsync("js-node", "to-id"));
        Assert.False(clients.OnNode.HasReceived("to-id"));
        Assert.False(cluster.Node.HasReceived("js-dotnet", "to-id"));

        Assert.False(clients.OnDotnet.HasReceived("to-room-star"));
        Assert.False(cluster.Node.HasReceived("js-node", "to-room-star"));
    }

    [Fact]
    public async Task LocalBroadcastAndOtherNamespaces_StayWhereTheyBelong()
    {
        await using var cluster = await Cluster.StartAsync();
        var clients = await ClientsAsync(cluster);
        var chatOnDotnet = await cluster.DotnetClientAsync(cluster.Dotnet.Url, "/chat");
        await cluster.Node.ClientAsync("js-chat", cluster.Node.Url, "/chat");

        await cluster.Dotnet.Main.Local.EmitAsync("local-only", 1);
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["local"] = true, ["event"] = "local-only", ["args"] = new JsonArray(2) });
        await cluster.Dotnet.Chat.EmitAsync("chat", "from-dotnet");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["nsp"] = "/chat", ["event"] = "chat", ["args"] = new JsonArray("from-node") });
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["event"] = "marker", ["args"] = new JsonArray() });
        await cluster.Dotnet.Main.EmitAsync("marker2");
        await cluster.Node.RunAsync(new JsonObject { ["op"] = "emit", ["nsp"] = "/chat", ["event"] = "marker", ["args"] = new JsonArray() });
        await cluster.Dotnet.Chat.EmitAsync("marker2");
        await AllReceivedAsync(cluster, clients, "marker");
        await AllReceivedAsync(cluster, clients, "marker2");
        await chatOnDotnet.ReceivedAsync("marker");
        await chatOnDotnet.ReceivedAsync("marker2");
        await cluster.Node.ReceivedAsync("js-chat", "marker");
        await cluster.Node.ReceivedAsync("js-chat", "marker2");

        Assert.Equal("[1]", await clients.OnDotnet.ReceivedAsync("local-only"));
        Assert.Equal("[1]", await cluster.Node.ReceivedAsync("js-dotnet", "local-only"));
        Assert.Equal("[2]", await clients.OnNode.ReceivedAsync("local-only"));
        Assert.Equal("[2]", await cluster.Node.ReceivedAsync("js-node", "local-only"));
        Assert.Single(clients.OnDotnet.Received.All, l => l.StartsWith("local-only", StringComparison.Ordinal));
        Assert.Single(clients.OnNode.Received.All, l => l.StartsWith("local-only", StringComparison.Ordinal));

        Assert.Contains(chatOnDotnet.Received.All, l => l == "chat [\"from-node\"]");
        Assert.Contains(chatOnDotnet.Received.All, l => l == "chat [\"from-dotnet\"]");
        Assert.Contains(cluster.Node.Output.All, l => l == "RECV js-chat chat [\"from-dotnet\"]");
        Assert.False(clients.OnDotnet.HasReceived("chat"));
        Assert.False(cluster.Node.HasReceived("js-node", "chat"));
    }

    internal static async Task<Clients> ClientsAsync(Cluster cluster)
    {
        var jsNode = await cluster.Node.ClientAsync("js-node", cluster.Node.Url);
        var jsDotnet = await cluster.Node.ClientAsync("js-dotnet", cluster.Dotnet.Url);
        var onDotnet = await cluster.DotnetClientAsync(cluster.Dotnet.Url);
        var onNode = await cluster.DotnetClientAsync(cluster.Node.Url);
        return new Clients(jsNode, jsDotnet, onDotnet, onNode);
    }

    private static async Task AllReceivedAsync(Cluster cluster, Clients clients, string eventName)
    {
        await cluster.Node.ReceivedAsync("js-node", eventName);
        await cluster.Node.ReceivedAsync("js-dotnet", eventName);
        await clients.OnDotnet.ReceivedAsync(eventName);
        await clients.OnNode.ReceivedAsync(eventName);
    }

    /// <summary>The four clients: JS on Node, JS on TypedSio, TypedSio on TypedSio, TypedSio on Node.</summary>
    internal sealed record Clients(string JsNodeId, string JsDotnetId, TestClient OnDotnet, TestClient OnNode);
}
