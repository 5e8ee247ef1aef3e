using System.Collections.Concurrent;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>Rooms, broadcast operators, broadcast acknowledgements and the adapter's server-side operations.</summary>
public sealed class SocketIOBroadcastTests
{
    private static async Task<(SocketIOTestServer Server, ConcurrentDictionary<string, SocketIOSocket> Sockets)> StartAsync(
        Action<SocketIOSocket>? onConnection = null, Action<SocketIOServerOptions>? configure = null)
    {
        var sockets = new ConcurrentDictionary<string, SocketIOSocket>();
        var server = await SocketIOTestServer.StartAsync(
            b => b.Of("/", n => n.OnConnection(s =>
            {
                sockets[s.Id] = s;
                onConnection?.Invoke(s);
            })),
            configure);
        return (server, sockets);
    }

    [Fact]
    public async Task Room_BroadcastToRoom_ReachesMembersOnly()
    {
        var (server, sockets) = await StartAsync();
        await using var _ = server;
        var (a, aId) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var (b, bId) = await RawSocketIOClient.ConnectAsync(server, "polling");
        var (c, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var __ = a;
        await using var ___ = b;
        await using var ____ = c;
        await sockets[aId].JoinAsync("r1");
        await sockets[bId].JoinAsync("r1", "r2");

        await server.Main.To("r1").Except("r2").EmitAsync("news", 1);
        await server.Main.To("r2").EmitAsync("news", 2);
        await server.Main.EmitAsync("news", 3);

        Assert.Equal("2[\"news\",1]", await a.ReceiveAsync());
        Assert.Equal("2[\"news\",3]", await a.ReceiveAsync());
        Assert.Equal("2[\"news\",2]", await b.ReceiveAsync());
        Assert.Equal("2[\"news\",3]", await b.ReceiveAsync());
        Assert.Equal("2[\"news\",3]", await c.ReceiveAsync());
        Assert.Equal(new HashSet<string> { aId, "r1" }, sockets[aId].Rooms);
    }

    [Fact]
    public async Task SocketBroadcast_LeavesTheSenderOut()
    {
        var (server, _) = await StartAsync(s => s.On("shout", e => s.Broadcast.EmitAsync("heard", e.Arguments.GetValue(0))));
        await using var _ = server;
        var (a, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var (b, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var __ = a;
        await using var ___ = b;

        await a.SendAsync("2[\"shout\",\"hey\"]");
        await a.SendAsync("2[\"shout\",\"again\"]");

        Assert.Equal("2[\"heard\",\"hey\"]", await b.ReceiveAsync());
        Assert.Equal("2[\"heard\",\"again\"]", await b.ReceiveAsync());
        Assert.True(await a.IsSilentAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task BroadcastWithAck_CollectsEveryResponse()
    {
        var (server, _) = await StartAsync();
        await using var _ = server;
        var (a, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var (b, _) = await RawSocketIOClient.ConnectAsync(server, "polling");
        await using var __ = a;
        await using var ___ = b;

        var pending = server.Main.Timeout(TimeSpan.FromSeconds(30)).EmitWithAckAsync("vote");
        foreach (var (client, answer) in new[] { (a, "\"yes\""), (b, "\"no\"") })
        {
            var sent = await client.ReceiveAsync();
            Assert.Matches("^2\\d+\\[\"vote\"\\]$", sent);
            await client.SendAsync("3" + sent[1..sent.IndexOf('[', StringComparison.Ordinal)] + "[" + answer + "]");
        }

        var result = await pending.WaitAsync(SocketIOTestServer.Timeout);
        Assert.True(result.Complete);
        Assert.Equal(["no", "yes"], result.Responses.Select(r => r.Get(0, SocketIOTestJson.String)).Order());
    }

    [Fact]
    public async Task BroadcastWithAck_OneSilent_TimesOutWithTheOthersResponses()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => s.On("sync", e => e.AckAsync()))), time: time);
        var (a, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var (b, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var __ = a;
        await using var ___ = b;

        var pending = server.Main.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("vote");
        var sent = await a.ReceiveAsync();
        await b.ReceiveAsync();
        await a.SendAsync("3" + sent[1..sent.IndexOf('[', StringComparison.Ordinal)] + "[1]");
        // Packets are handled in order: once "sync" is answered, the ack before it has been taken.
        await a.SendAsync("2999[\"sync\"]");
        Assert.Equal("3999[]", await a.ReceiveAsync());
        time.Advance(TimeSpan.FromSeconds(5));

        var result = await pending.WaitAsync(SocketIOTestServer.Timeout);
        Assert.False(result.Complete);
        Assert.Single(result.Responses);
    }

    [Fact]
    public async Task Broadcast_Binary_EachRecipientGetsPlaceholderAndAttachment()
    {
        var (server, _) = await StartAsync();
        await using var _ = server;
        var (a, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var (b, _) = await RawSocketIOClient.ConnectAsync(server, "polling");
        await using var __ = a;
        await using var ___ = b;

        await server.Main.EmitAsync("bin", new Dictionary<string, object?> { ["deep"] = new object?[] { new byte[] { 1 } } });

        foreach (var client in new[] { a, b })
        {
            Assert.Equal("51-[\"bin\",{\"deep\":[{\"_placeholder\":true,\"num\":0}]}]", await client.ReceiveAsync());
            Assert.Equal("b:AQ==", await client.ReceiveAsync());
        }
    }

    [Fact]
    public async Task ServerSideOperations_FetchJoinLeaveDisconnect()
    {
        var (server, sockets) = await StartAsync();
        await using var _ = server;
        var (a, aId) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var (b, bId) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var __ = a;
        await using var ___ = b;
        sockets[aId].Data["name"] = "a";

        await server.Main.SocketsJoinAsync("all");
        await server.Main.In(bId).SocketsLeaveAsync("all");
        var inAll = await server.Main.In("all").FetchSocketsAsync();
        await server.Main.In("all").DisconnectSocketsAsync();

        var fetched = Assert.Single(inAll);
        Assert.Equal(aId, fetched.Id);
        Assert.Equal("a", fetched.Data["name"]);
        Assert.Contains("all", fetched.Rooms);
        Assert.Equal("1", await a.ReceiveAsync());
        await SocketIOTestServer.WaitUntilAsync(() => server.Main.Sockets.Count == 1);
        Assert.True(server.Main.Sockets.ContainsKey(bId));
    }

    [Fact]
    public async Task Disconnect_LeavesEveryRoom()
    {
        var (server, sockets) = await StartAsync(s => s.JoinAsync("lobby").GetAwaiter().GetResult());
        await using var _ = server;
        var (a, aId) = await RawSocketIOClient.ConnectAsync(server, "websocket");

        await a.DisposeAsync();
        await SocketIOTestServer.WaitUntilAsync(() => server.Main.Sockets.Count == 0);

        var adapter = Assert.IsType<SocketIOInMemoryAdapter>(server.Main.Adapter);
        Assert.Empty(adapter.GetRooms());
        Assert.Empty(adapter.GetSocketRooms(aId));
    }

    [Fact]
    public async Task Broadcast_EncodedOnce_EveryRecipientGetsTheSamePacket()
    {
        var outgoing = new ConcurrentBag<SocketIOPacket>();
        var (server, _) = await StartAsync(s => s.OnAnyOutgoing(outgoing.Add));
        await using var _ = server;
        var (a, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var (b, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var __ = a;
        await using var ___ = b;

        await server.Main.EmitAsync("once", "x");
        await a.ReceiveAsync();
        await b.ReceiveAsync();

        Assert.Equal(2, outgoing.Count);
        Assert.Single(outgoing.Distinct(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public async Task HostStopping_SocketsLeaveWithServerShuttingDown()
    {
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (server, _) = await StartAsync(s => s.Disconnected += (_, e) => reason.TrySetResult(e.Description));
        await using var _ = server;
        var (a, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var __ = a;

        await server.StopAsync();

        Assert.Equal("server shutting down", await reason.Task.WaitAsync(SocketIOTestServer.Timeout));
    }

    [Fact]
    public async Task DisconnectedToken_TakenBeforeOrAfterTheSocketLeaves_IsCancelled()
    {
        var tokenBefore = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gone = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (server, _) = await StartAsync(s =>
        {
            tokenBefore.TrySetResult(s.DisconnectedToken);
            s.Disconnected += (_, _) => gone.TrySetResult(s);
        });
        await using var _ = server;
        var (a, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var before = await tokenBefore.Task.WaitAsync(SocketIOTestServer.Timeout);
        Assert.False(before.IsCancellationRequested);

        await a.DisposeAsync();
        var socket = await gone.Task.WaitAsync(SocketIOTestServer.Timeout);

        Assert.True(before.IsCancellationRequested);
        Assert.True(socket.DisconnectedToken.IsCancellationRequested);
    }

    [Fact]
    public async Task DisconnectedToken_FirstAskedForAfterTheSocketLeft_IsAlreadyCancelled()
    {
        var gone = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (server, _) = await StartAsync(s => s.Disconnected += (_, _) => gone.TrySetResult(s));
        await using var _ = server;
        var (a, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");

        await a.DisposeAsync();
        var socket = await gone.Task.WaitAsync(SocketIOTestServer.Timeout);

        Assert.True(socket.DisconnectedToken.IsCancellationRequested);
        Assert.Empty(socket.Data);
    }
}
