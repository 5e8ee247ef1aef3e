using System.Text.Json;
using TypedSio.Server.EngineIO;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>The official socket.io-client (tests/js/server-socket-client.mjs) against this server.</summary>
public partial class SocketIOClientInteropTests : SocketIOServerTestBase
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task JsClient_PollingThenUpgrade_EchoesOverWebSocket()
    {
        await using var server = await StartEchoServerAsync();
        await using var node = await StartNodeAsync(server);

        await node.SendLineAsync("connect a / {}");
        var opened = await CollectAsync(node, l => l.StartsWith("CONNECT a ", StringComparison.Ordinal) || l == "UPGRADE a websocket", 2);
        Assert.Contains("UPGRADE a websocket", opened);
        await node.SendLineAsync("emit a message [\"héllo\",1,{\"x\":[true,null]}]");

        await ExpectEventAsync(node, "EVENT a message-back ", "[\"héllo\",1,{\"x\":[true,null]}]");
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task JsClient_SingleTransport_MultiByteTextAndBinaryAtDepth(string transport)
    {
        await using var server = await StartEchoServerAsync();
        await using var node = await StartNodeAsync(server);
        var text = "ünïcødé ✓ 😀 end";

        await node.SendLineAsync($"connect a / {{\"transports\":[\"{transport}\"]}}");
        await ExpectPrefixAsync(node, "CONNECT a ");
        await node.SendLineAsync("emit a message " + JsonSerializer.Serialize(new object[] { text }));
        await node.SendLineAsync("emit a message [{\"$bin\":\"AQID\"},{\"a\":{\"b\":[{\"$bin\":\"/w==\"},2]}},[[{\"$bin\":\"\"}]]]");

        await ExpectEventAsync(node, "EVENT a message-back ", JsonSerializer.Serialize(new object[] { text }));
        await ExpectAsync(node, "EVENT a message-back [{\"$bin\":\"AQID\"},{\"a\":{\"b\":[{\"$bin\":\"/w==\"},2]}},[[{\"$bin\":\"\"}]]]");
    }

    [Fact]
    public async Task JsClient_AuthAndUnknownNamespace_AuthEmittedAndRefusal()
    {
        await using var server = await StartEchoServerAsync();
        await using var node = await StartNodeAsync(server);

        await node.SendLineAsync("connect a / {\"auth\":{\"token\":\"t1\"}}");
        await ExpectAsync(node, "EVENT a auth [{\"token\":\"t1\"}]");
        await node.SendLineAsync("connect b /nowhere {}");

        await ExpectAsync(node, "CONNECT_ERROR b Invalid namespace null");
    }

    [Fact]
    public async Task JsClient_TwoNamespaces_ShareOneConnection()
    {
        var sockets = new System.Collections.Concurrent.ConcurrentBag<SocketIOSocket>();
        await using var server = await StartServerAsync(
            b => b.Of("/", n => n.OnConnection(sockets.Add)).Of("/chat", n => n.OnConnection(s =>
            {
                sockets.Add(s);
                s.On("message", e => s.EmitAsync("chat-back", e.Arguments.ToValues()));
            })),
            engine: Configure);
        await using var node = await StartNodeAsync(server);

        await node.SendLineAsync("connect a / {}");
        await ExpectPrefixAsync(node, "CONNECT a ");
        await node.SendLineAsync("connect c /chat {}");
        await ExpectPrefixAsync(node, "CONNECT c ");
        await node.SendLineAsync("emit c message [\"in chat\"]");

        await ExpectAsync(node, "EVENT c chat-back [\"in chat\"]");
        Assert.Equal(2, sockets.Count);
        Assert.Single(sockets.Select(s => s.Connection.Id).Distinct());
        Assert.Equal(1, server.Server.Engine.ClientsCount);
    }

    [Fact]
    public async Task JsClients_RoomsAndBroadcasts_ReachTheRightSockets()
    {
        await using var server = await StartServerAsync(
            b => b.Of("/", n => n.OnConnection(s =>
            {
                s.On("join", e => s.JoinAsync(e.Arguments.Get(0, SocketIOTestJson.String)!).ContinueWith(_ => e.AckAsync(), TaskScheduler.Default).Unwrap());
                s.On("to-room", e => s.To(e.Arguments.Get(0, SocketIOTestJson.String)!).EmitAsync("room-msg", e.Arguments.GetValue(1)));
                s.On("to-all", e => s.Namespace.EmitAsync("all-msg", e.Arguments.GetValue(0)));
            })),
            engine: Configure);
        await using var node = await StartNodeAsync(server);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await node.SendLineAsync($"connect {name} / {{\"forceNew\":true,\"transports\":[\"websocket\"]}}");
            await ExpectPrefixAsync(node, $"CONNECT {name} ");
        }

        await node.SendLineAsync("emitack b 20000 join [\"r\"]");
        await ExpectAsync(node, "ACK b join [null]");
        await node.SendLineAsync("emitack c 20000 join [\"r\"]");
        await ExpectAsync(node, "ACK c join [null]");
        await node.SendLineAsync("emit c to-room [\"r\",\"from c\"]");
        await ExpectAsync(node, "EVENT b room-msg [\"from c\"]");
        await node.SendLineAsync("emit a to-all [\"everyone\"]");

        var lines = await CollectAsync(node, l => l.Contains(" all-msg ", StringComparison.Ordinal) || l.Contains(" room-msg ", StringComparison.Ordinal), 3);
        Assert.Equal(
            ["EVENT a all-msg [\"everyone\"]", "EVENT b all-msg [\"everyone\"]", "EVENT c all-msg [\"everyone\"]"],
            lines.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task JsClient_AcksBothWays_WithTimeouts(string transport)
    {
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartServerAsync(
            b => b.Of("/", n => n.OnConnection(s =>
            {
                s.On("double", e => e.AckAsync(e.Arguments.Get(0, SocketIOTestJson.Int) * 2));
                s.On("ignore", _ => { });
                connected.TrySetResult(s);
            })),
            engine: Configure);
        await using var node = await StartNodeAsync(server);
        await node.SendLineAsync($"connect a / {{\"transports\":[\"{transport}\"]}}");
        await ExpectPrefixAsync(node, "CONNECT a ");
        var socket = await connected.Task.WaitAsync(LineTimeout);

        await node.SendLineAsync("emitack a 20000 double [21]");
        await ExpectAsync(node, "ACK a double [42]");
        Assert.Equal(ConnectionLevel && transport == "websocket" ? 1 : 0, server.Server.Engine.ConnectionLevelSockets);
        await node.SendLineAsync("emitack a 300 ignore []");
        await ExpectAsync(node, "ACKERR a ignore operation has timed out");
        var reply = await socket.EmitWithAckAsync("ask", ["q", new byte[] { 7 }], TimeSpan.FromSeconds(20));
        await node.SendLineAsync("reply a silent");
        await ExpectAsync(node, "REPLY a silent");
        var silent = socket.EmitWithAckAsync("ask", ["again"], TimeSpan.FromMilliseconds(500));

        Assert.Equal("q", reply.Get(0, SocketIOTestJson.String));
        Assert.Equal(new byte[] { 7 }, reply.GetValue(1));
        await Assert.ThrowsAsync<TimeoutException>(() => silent);
    }

    [Fact]
    public async Task JsClients_BroadcastWithAcks_CollectsEveryAnswer()
    {
        await using var server = await StartEchoServerAsync();
        await using var node = await StartNodeAsync(server);
        foreach (var name in new[] { "a", "b" })
        {
            await node.SendLineAsync($"connect {name} / {{\"forceNew\":true}}");
            await ExpectPrefixAsync(node, $"CONNECT {name} ");
        }

        var result = await server.Main.Timeout(TimeSpan.FromSeconds(20)).EmitWithAckAsync("poll", "which?");

        Assert.True(result.Complete);
        Assert.Equal(2, result.Responses.Count);
        Assert.All(result.Responses, r => Assert.Equal("which?", r.Get(0, SocketIOTestJson.String)));
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task JsClient_Burst_ArrivesInOrder(string transport)
    {
        var received = new List<int>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartServerAsync(
            b => b.Of("/", n => n.OnConnection(s => s.On("seq", e =>
            {
                received.Add(e.Arguments.Get(0, SocketIOTestJson.Int));
                if (received.Count == 300)
                {
                    done.TrySetResult();
                }
            }))),
            engine: Configure);
        await using var node = await StartNodeAsync(server);
        await node.SendLineAsync($"connect a / {{\"transports\":[\"{transport}\"]}}");
        await ExpectPrefixAsync(node, "CONNECT a ");

        await node.SendLineAsync("burst a 300");
        await done.Task.WaitAsync(LineTimeout);

        Assert.Equal(Enumerable.Range(0, 300), received);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task JsClient_MessageNearMaxPayload_Echoed(string transport)
    {
        await using var server = await StartEchoServerAsync();
        await using var node = await StartNodeAsync(server);
        var large = new string('L', 990_000);
        await node.SendLineAsync($"connect a / {{\"transports\":[\"{transport}\"]}}");
        await ExpectPrefixAsync(node, "CONNECT a ");

        await node.SendLineAsync("emit a message " + JsonSerializer.Serialize(new object[] { large }));

        await ExpectAsync(node, "EVENT a message-back " + JsonSerializer.Serialize(new object[] { large }));
    }

    [Fact]
    public async Task JsClient_MiddlewareRefuses_ErrorDataArrives()
    {
        await using var server = await StartServerAsync(
            b => b.Of("/", n => n.Use((_, _) => throw new SocketIOConnectionRefusedException("denied", new Dictionary<string, object?> { ["reason"] = "no token", ["retry"] = false }))),
            engine: Configure);
        await using var node = await StartNodeAsync(server);

        await node.SendLineAsync("connect a / {\"reconnection\":false}");

        await ExpectAsync(node, "CONNECT_ERROR a denied {\"reason\":\"no token\",\"retry\":false}");
    }

    private static void Configure(EngineIOServerOptions o)
    {
        o.PingInterval = TimeSpan.FromMilliseconds(500);
        o.PingTimeout = TimeSpan.FromSeconds(5);
        o.MaxHttpBufferSize = 1_000_000;
    }

    // The conformance behaviour: "message" echoed as "message-back", "message-with-ack" and "poll" acknowledged with their arguments.
    private Task<SocketIOTestServer> StartEchoServerAsync(Action<SocketIOServerOptions>? configure = null, Action<EngineIOServerOptions>? engine = null) =>
        StartServerAsync(
            b => b.Of("/", n => n.OnConnection(async s =>
            {
                s.On("message", e => ((TypedSio.Hubs.ISocketIOEmitter)s).EmitAsync(Reuse(e, SocketIOPacketType.Event, "message-back"), CancellationToken.None));
                s.On("message-with-ack", e => e.AckAsync(Reuse(e, SocketIOPacketType.Ack, null)));
                await s.EmitAsync("auth", s.Handshake.Auth);
            })),
            configure,
            engine ?? Configure);

    private static SocketIOPacket Reuse(SocketIOEventContext e, SocketIOPacketType type, string? eventName)
    {
        var writer = new SocketIOPayloadWriter();
        writer.WriteStartArray();
        if (eventName is not null)
        {
            writer.WriteValue(eventName);
        }

        for (var i = 0; i < e.Arguments.Count; i++)
        {
            writer.WriteRawValue(System.Text.Encoding.UTF8.GetBytes(e.Arguments.GetJson(i).GetRawText()));
        }

        writer.WriteEndArray();
        return new SocketIOPacket(type, "/", writer.ToPacket(type).Payload, null, e.Packet.Attachments);
    }

    private static Task<NodeProcess> StartNodeAsync(SocketIOTestServer server) =>
        NodeProcess.StartAsync("server-socket-client.mjs", [server.HttpBase]);

    private static async Task ExpectAsync(NodeProcess node, string line)
    {
        var got = await node.WaitForLineAsync(l => l == line || l.StartsWith("ERROR", StringComparison.Ordinal), LineTimeout);
        Assert.True(got == line, $"expected '{Shorten(line)}', got '{Shorten(got)}'");
    }

    private static async Task ExpectEventAsync(NodeProcess node, string prefix, string json)
    {
        var got = await ExpectPrefixAsync(node, prefix);
        var actual = JsonDocument.Parse(got[prefix.Length..]).RootElement;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(json).RootElement, actual), $"expected {Shorten(json)}, got {Shorten(got)}");
    }

    private static async Task<string> ExpectPrefixAsync(NodeProcess node, string prefix)
    {
        var got = await node.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal) || l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("CONNECT_ERROR", StringComparison.Ordinal), LineTimeout);
        Assert.True(got.StartsWith(prefix, StringComparison.Ordinal), $"expected '{prefix}…', got '{Shorten(got)}'");
        return got;
    }

    private static async Task<List<string>> CollectAsync(NodeProcess node, Func<string, bool> predicate, int count)
    {
        var lines = new List<string>();
        while (lines.Count < count)
        {
            lines.Add(await node.WaitForLineAsync(predicate, LineTimeout));
        }

        return lines;
    }

    private static string Shorten(string s) => s.Length > 200 ? s[..200] + "…" : s;
}

/// <summary>The official socket.io-client against the connection-level WebSocket path.</summary>
public sealed class ConnectionLevelSocketIOClientInteropTests : SocketIOClientInteropTests
{
    protected override bool ConnectionLevel => true;
}
