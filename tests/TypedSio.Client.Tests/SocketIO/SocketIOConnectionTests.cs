using Xunit.Abstractions;
namespace TypedSio.Client.Tests.SocketIO;

public sealed class SocketIOConnectionTests(ITestOutputHelper output)
{
    public static TheoryData<TransportMode> Modes => [TransportMode.Polling, TransportMode.WebSocket, TransportMode.Upgrade];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ConnectAsync_DefaultNamespaceWithAuth_ConnectsAndServerSeesAuth(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket("/", new SocketIOSocketOptions { Auth = new Dictionary<string, object?> { ["token"] = "abc", ["n"] = 1 } });
        var events = new SocketEvents(socket, "auth");

        await socket.ConnectAsync();

        Assert.True(socket.IsConnected);
        Assert.True(socket.IsActive);
        Assert.False(socket.IsRecovered);
        var line = await server.WaitForLineAsync("CONNECTED / ");
        Assert.Equal(socket.Id, line[2]);
        Assert.Equal("""{"token":"abc","n":1}""", line[5]);
        var auth = Assert.IsType<Dictionary<string, object?>>((await events.NextAsync("auth"))[0]);
        Assert.Equal("abc", auth["token"]);
        Assert.Equal(1d, auth["n"]);
        Assert.Equal(socket.Id, await events.ConnectedAsync());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Socket_SeveralNamespaces_ShareOneEngineConnection(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var main = manager.Socket("/");
        var custom = manager.Socket("/custom");
        var chat = manager.Socket("chat");

        await Task.WhenAll(main.ConnectAsync(), custom.ConnectAsync(), chat.ConnectAsync());

        Assert.Same(chat, manager.Socket("/chat"));
        Assert.Equal("/chat", chat.Namespace);
        var engineIds = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            engineIds.Add((await server.WaitForLineAsync("CONNECTED "))[4]);
        }

        Assert.Single(engineIds);
        var customEvents = new SocketEvents(custom, "message-back");
        var mainEvents = new SocketEvents(main, "message-back");
        await custom.EmitAsync("message", "for custom");
        await main.EmitAsync("message", "for main");
        Assert.Equal("for custom", (await customEvents.NextAsync("message-back"))[0]);
        Assert.Equal("for main", (await mainEvents.NextAsync("message-back"))[0]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task DisconnectAsync_LastSocket_ClosesConnectionWithClientReason(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var main = manager.Socket("/");
        var custom = manager.Socket("/custom");
        var mainEvents = new SocketEvents(main);
        var customEvents = new SocketEvents(custom);
        await main.ConnectAsync();
        await custom.ConnectAsync();

        await custom.DisconnectAsync();

        Assert.Equal("io client disconnect", (await customEvents.DisconnectedAsync()).Reason);
        Assert.Equal("client namespace disconnect", await server.WaitForDisconnectAsync("/custom"));
        Assert.True(manager.IsOpen);
        Assert.True(main.IsConnected);
        Assert.False(custom.IsActive);

        await main.DisconnectAsync();

        var disconnected = await mainEvents.DisconnectedAsync();
        Assert.Equal("io client disconnect", disconnected.Reason);
        Assert.False(disconnected.WillReconnect);
        Assert.Equal("client namespace disconnect", await server.WaitForDisconnectAsync("/"));
        Assert.False(manager.IsOpen);
        Assert.Null(main.Id);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ServerDisconnect_ConnectedSocket_RaisesServerReasonAndDoesNotReconnect(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var attempts = 0;
        manager.ReconnectAttempt += (_, _) => Interlocked.Increment(ref attempts);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();
        var firstId = socket.Id;

        await socket.EmitAsync("disconnect-me");

        var disconnected = await events.DisconnectedAsync();
        Assert.Equal("io server disconnect", disconnected.Reason);
        Assert.False(disconnected.WillReconnect);
        Assert.False(socket.IsActive);
        Assert.False(manager.IsReconnecting);
        Assert.Equal(0, attempts);

        // Reconnecting is the application's decision after a server disconnect, as in socket.io-client.
        await socket.ConnectAsync();
        Assert.NotEqual(firstId, socket.Id);
    }

    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task DisconnectAsync_WhileOpening_CancelsAndNextConnectSucceeds(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket();

        var connecting = socket.ConnectAsync();
        await socket.DisconnectAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting);
        await socket.ConnectAsync();

        Assert.True(socket.IsConnected);
        Assert.Equal(socket.Id, (await server.WaitForLineAsync($"CONNECTED / {socket.Id} "))[2]);
    }

    [Fact]
    public async Task ConnectAsync_AlreadyConnected_ReturnsAtOnce()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket();
        await socket.ConnectAsync();
        var id = socket.Id;

        await socket.ConnectAsync();

        Assert.Equal(id, socket.Id);
    }

    [Fact]
    public async Task DisposeAsync_ConnectedManager_DisconnectsSockets()
    {
        await using var server = await SocketServer.StartAsync();
        var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();

        await manager.DisposeAsync();

        Assert.Equal("io client disconnect", (await events.DisconnectedAsync()).Reason);
        Assert.False(socket.IsActive);
        Assert.Throws<ObjectDisposedException>(() => manager.Socket("/other"));
        Assert.Equal("client namespace disconnect", await server.WaitForDisconnectAsync("/"));
    }

    [Fact]
    public async Task Query_InUriAndOptions_ReachesTheServer()
    {
        await using var server = await SocketServer.StartAsync();
        var options = SocketServer.Options(TransportMode.Polling, output);
        options.Query["b"] = "2";
        options.ExtraHeaders["X-Test"] = "yes";
        await using var manager = new SocketIOManager(new Uri(server.Uri, "/?a=1"), options);
        var socket = manager.Socket();

        await socket.ConnectAsync();
        var reply = await socket.EmitWithAckAsync("handshake");

        var handshake = Assert.IsType<Dictionary<string, object?>>(reply.GetValue(0));
        var query = Assert.IsType<Dictionary<string, object?>>(handshake["query"]);
        Assert.Equal("1", query["a"]);
        Assert.Equal("2", query["b"]);
        Assert.Equal("yes", Assert.IsType<Dictionary<string, object?>>(handshake["headers"])["x-test"]);
    }

    [Fact]
    public async Task Socket_NamespaceWithoutSlash_IsNormalised()
    {
        await using var manager = new SocketIOManager(new Uri("http://127.0.0.1:1"));

        Assert.Equal("/chat", manager.Socket("chat").Namespace);
        Assert.Same(manager.Socket("/chat"), manager.Socket("chat"));
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    public async Task EmitAsync_ReservedName_Throws(string name)
    {
        await using var manager = new SocketIOManager(new Uri("http://127.0.0.1:1"));

        await Assert.ThrowsAsync<ArgumentException>(() => manager.Socket().EmitAsync(name));
    }
}
