using TypedSio.Client.Tests.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Client.Tests.OwnServer;

/// <summary>
/// The Socket.IO client scenarios run against both the official socket.io server and TypedSio's own, with the same
/// namespaces and handlers. Only what a client can observe is asserted, so the assertions hold for either server.
/// </summary>
public sealed class BothServersSocketTests
{
    public static TheoryData<ServerKind, TransportMode> KindsAndModes => new()
    {
        { ServerKind.Node, TransportMode.Polling }, { ServerKind.Node, TransportMode.WebSocket }, { ServerKind.Node, TransportMode.Upgrade },
        { ServerKind.TypedSio, TransportMode.Polling }, { ServerKind.TypedSio, TransportMode.WebSocket }, { ServerKind.TypedSio, TransportMode.Upgrade },
    };

    public static TheoryData<ServerKind> Kinds => [ServerKind.Node, ServerKind.TypedSio];

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task ConnectAsync_WithAuth_ServerEmitsAuthBack(ServerKind kind, TransportMode mode)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(mode);
        var socket = manager.Socket("/", new SocketIOSocketOptions { Auth = new Dictionary<string, object?> { ["token"] = "abc", ["n"] = 1 } });
        var events = new SocketEvents(socket, "auth");

        await socket.ConnectAsync();

        Assert.True(socket.IsConnected);
        Assert.False(socket.IsRecovered);
        var auth = Assert.IsType<Dictionary<string, object?>>((await events.NextAsync("auth"))[0]);
        Assert.Equal("abc", auth["token"]);
        Assert.Equal(1d, auth["n"]);
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task Socket_SeveralNamespaces_MultiplexedOnOneConnection(ServerKind kind, TransportMode mode)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(mode);
        var main = manager.Socket("/");
        var custom = manager.Socket("/custom");
        var chat = manager.Socket("/chat");

        await Task.WhenAll(main.ConnectAsync(), custom.ConnectAsync(), chat.ConnectAsync());

        Assert.Equal("main", (await main.EmitWithAckAsync("message-with-ack", "main")).GetValue(0));
        Assert.Equal("custom", (await custom.EmitWithAckAsync("message-with-ack", "custom")).GetValue(0));
        Assert.Equal("chat", (await chat.EmitWithAckAsync("message-with-ack", "chat")).GetValue(0));
        Assert.Equal(3, new[] { main.Id, custom.Id, chat.Id }.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task EmitAsync_BinaryAtSeveralDepths_EchoedUnchanged(ServerKind kind, TransportMode mode)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(mode);
        var socket = manager.Socket();
        var events = new SocketEvents(socket, "message-back");
        await socket.ConnectAsync();

        await socket.EmitAsync(
            "message",
            "text",
            new byte[] { 1, 2, 3 },
            new Dictionary<string, object?> { ["nested"] = new List<object?> { new byte[] { 4 }, new Dictionary<string, object?> { ["deep"] = new byte[] { 5, 6 } } } },
            null);

        var echoed = await events.NextAsync("message-back");
        Assert.Equal(4, echoed.Length);
        Assert.Equal("text", echoed[0]);
        Assert.Equal(new byte[] { 1, 2, 3 }, echoed[1]);
        var nested = Assert.IsType<List<object?>>(Assert.IsType<Dictionary<string, object?>>(echoed[2])["nested"]);
        Assert.Equal(new byte[] { 4 }, nested[0]);
        Assert.Equal(new byte[] { 5, 6 }, Assert.IsType<Dictionary<string, object?>>(nested[1])["deep"]);
        Assert.Null(echoed[3]);
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task EmitWithAckAsync_ServerAcks_ReturnsArgumentsWithBinary(ServerKind kind, TransportMode mode)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(mode);
        var socket = manager.Socket();
        await socket.ConnectAsync();

        var reply = await socket.EmitWithAckAsync("message-with-ack", 1, "two", new byte[] { 3 });

        Assert.Equal(3, reply.Count);
        Assert.Equal(1d, reply.GetValue(0));
        Assert.Equal("two", reply.GetValue(1));
        Assert.Equal(new byte[] { 3 }, reply.GetValue(2));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EmitWithAckAsync_ServerNeverAcks_ThrowsAckTimeout(ServerKind kind)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(TransportMode.WebSocket);
        var socket = manager.Socket();
        await socket.ConnectAsync();

        var error = await Assert.ThrowsAsync<SocketIOAckTimeoutException>(
            () => socket.EmitWithAckAsync("silent", ["x"], TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Equal("silent", error.EventName);
        Assert.True(socket.IsConnected);
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task On_ServerAsksWithAck_ReplyReachesServer(ServerKind kind, TransportMode mode)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(mode);
        var socket = manager.Socket();
        var events = new SocketEvents(socket, "answer", "answer-error");
        socket.On("question", async args =>
        {
            await Task.Yield();
            return (object?)new Dictionary<string, object?> { ["got"] = args.GetValue(0) };
        });
        await socket.ConnectAsync();

        await socket.EmitAsync("ask", "hello");

        var answer = Assert.IsType<Dictionary<string, object?>>((await events.NextAsync("answer"))[0]);
        Assert.Equal("hello", answer["got"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ConnectAsync_MiddlewareRefuses_ThrowsNamespaceRefusedWithData(ServerKind kind)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(TransportMode.Polling);
        var admin = manager.Socket("/admin", new SocketIOSocketOptions { Auth = new Dictionary<string, object?> { ["token"] = "wrong" } });

        var error = await Assert.ThrowsAsync<NamespaceRefusedException>(() => admin.ConnectAsync());

        Assert.Equal("/admin", error.Namespace);
        Assert.Equal("not authorized", error.ServerMessage);
        Assert.False(error.WillRetry);
        Assert.Equal("Please retry later", error.ServerData!.Value.GetProperty("content").GetString());
        Assert.False(manager.IsReconnecting);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ConnectAsync_MiddlewareAccepts_Connects(ServerKind kind)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(TransportMode.WebSocket);
        var admin = manager.Socket("/admin", new SocketIOSocketOptions { Auth = new Dictionary<string, object?> { ["token"] = "secret" } });

        await admin.ConnectAsync();

        Assert.True(admin.IsConnected);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ConnectAsync_UnknownNamespace_ThrowsInvalidNamespace(ServerKind kind)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(TransportMode.Polling);

        var error = await Assert.ThrowsAsync<NamespaceRefusedException>(() => manager.Socket("/nope").ConnectAsync());

        Assert.Equal("Invalid namespace", error.ServerMessage);
        Assert.Null(error.ServerData);
        Assert.False(error.WillRetry);
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task ServerDisconnect_ConnectedSocket_RaisesServerReasonAndDoesNotReconnect(ServerKind kind, TransportMode mode)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(mode);
        var attempts = 0;
        manager.ReconnectAttempt += (_, _) => Interlocked.Increment(ref attempts);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();

        await socket.EmitAsync("disconnect-me");

        var disconnected = await events.DisconnectedAsync();
        Assert.Equal("io server disconnect", disconnected.Reason);
        Assert.False(disconnected.WillReconnect);
        Assert.False(socket.IsActive);
        Assert.False(manager.IsReconnecting);
        Assert.Equal(0, attempts);
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task EmitAsync_AcrossServerRestart_BufferedAndFlushedInOrder(ServerKind kind, TransportMode mode)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(mode);
        var socket = manager.Socket();
        var events = new SocketEvents(socket, "message-back");
        await socket.ConnectAsync();
        await events.ConnectedAsync();
        var firstId = socket.Id;

        await server.DownAsync();
        var disconnected = await events.DisconnectedAsync();
        Assert.Contains(disconnected.Reason, new[] { "transport close", "transport error" });
        Assert.True(disconnected.WillReconnect);
        await socket.EmitAsync("message", "while-down-1");
        await socket.EmitAsync("message", "while-down-2", new byte[] { 7 });
        await server.UpAsync();

        await events.ConnectedAsync();
        Assert.NotEqual(firstId, socket.Id);
        Assert.Equal(["while-down-1"], await events.NextAsync("message-back"));
        var second = await events.NextAsync("message-back");
        Assert.Equal("while-down-2", second[0]);
        Assert.Equal(new byte[] { 7 }, second[1]);
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task ConnectionStateRecovery_TransportClosed_SessionRestoredWithMissedEvents(ServerKind kind, TransportMode mode)
    {
        await using var server = await ISocketTestServer.StartAsync(kind, recovery: true);
        await using var manager = server.CreateManager(mode);
        var socket = manager.Socket();
        var events = new SocketEvents(socket, "auth", "missed");
        await socket.ConnectAsync();
        await events.ConnectedAsync();
        var id = socket.Id;
        Assert.IsType<string>((await events.NextAsync("auth"))[^1]); // the offset a server with recovery appends
        Assert.False(socket.IsRecovered);

        await socket.EmitAsync("close-transport");

        Assert.Equal("transport close", (await events.DisconnectedAsync()).Reason);
        await events.ConnectedAsync();
        Assert.True(socket.IsRecovered);
        Assert.Equal(id, socket.Id);
        Assert.Equal("after-close", (await events.NextAsync("missed"))[0]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ConnectionStateRecovery_ServerWithoutIt_NewSessionNotRecovered(ServerKind kind)
    {
        await using var server = await ISocketTestServer.StartAsync(kind);
        await using var manager = server.CreateManager(TransportMode.WebSocket);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();
        await events.ConnectedAsync();
        var id = socket.Id;

        await socket.EmitAsync("close-transport");
        await events.DisconnectedAsync();
        await events.ConnectedAsync();

        Assert.False(socket.IsRecovered);
        Assert.NotEqual(id, socket.Id);
    }
}
