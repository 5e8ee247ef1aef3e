using System.Text.Json;
using TypedSio.Client.Tests.Support;
using TypedSio.Testing;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests.SocketIO;

public sealed class SocketIOErrorTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task ConnectAsync_MiddlewareRefuses_ThrowsNamespaceRefusedWithData(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var attempts = 0;
        manager.ReconnectAttempt += (_, _) => Interlocked.Increment(ref attempts);
        var admin = manager.Socket("/admin", new SocketIOSocketOptions { Auth = new Dictionary<string, object?> { ["token"] = "wrong" } });
        var events = new SocketEvents(admin);

        var error = await Assert.ThrowsAsync<NamespaceRefusedException>(() => admin.ConnectAsync());

        Assert.Equal("/admin", error.Namespace);
        Assert.Equal("not authorized", error.ServerMessage);
        Assert.False(error.WillRetry);
        Assert.Equal("Please retry later", error.ServerData!.Value.GetProperty("content").GetString());
        Assert.Same(error, await events.ConnectErrorAsync());
        Assert.False(admin.IsActive);
        Assert.False(admin.IsConnected);
        Assert.False(manager.IsReconnecting);
        Assert.Equal(0, attempts);
    }

    [Fact]
    public async Task ConnectAsync_RefusedNamespaceBesideConnectedOne_LeavesConnectionOpen()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var main = manager.Socket();
        await main.ConnectAsync();

        await Assert.ThrowsAsync<NamespaceRefusedException>(() => manager.Socket("/admin").ConnectAsync());

        Assert.True(manager.IsOpen);
        var reply = await main.EmitWithAckAsync("message-with-ack", "still here");
        Assert.Equal("still here", reply.GetValue(0));
    }

    [Fact]
    public async Task ConnectAsync_UnknownNamespace_ThrowsInvalidNamespace()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.Polling, output);

        var error = await Assert.ThrowsAsync<NamespaceRefusedException>(() => manager.Socket("/nope").ConnectAsync());

        Assert.Equal("Invalid namespace", error.ServerMessage);
        Assert.Null(error.ServerData);
        Assert.False(error.WillRetry);
    }

    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task AuthProvider_EveryConnection_IsEvaluatedAgain(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var calls = 0;
        var admin = manager.Socket("/admin", new SocketIOSocketOptions
        {
            AuthProvider = async _ =>
            {
                await Task.Yield();
                var call = Interlocked.Increment(ref calls);
                return new Dictionary<string, object?> { ["token"] = "secret", ["call"] = call };
            },
        });
        var events = new SocketEvents(admin);
        await admin.ConnectAsync();
        Assert.Equal("""{"token":"secret","call":1}""", (await server.WaitForLineAsync("CONNECTED /admin "))[5]);

        await admin.EmitAsync("close-transport");
        await events.DisconnectedAsync();
        await events.ConnectedAsync();
        await events.ConnectedAsync();

        Assert.Equal("""{"token":"secret","call":2}""", (await server.WaitForLineAsync("CONNECTED /admin "))[5]);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AuthProvider_Throws_ConnectAsyncFailsWithItsException()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket("/", new SocketIOSocketOptions { AuthProvider = _ => throw new InvalidOperationException("no token") });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => socket.ConnectAsync());

        Assert.Equal("no token", error.Message);
        Assert.False(socket.IsActive);
    }

    [Fact]
    public async Task ConnectAsync_ServerNeverAnswers_ThrowsConnectTimeout()
    {
        await using var stub = new StubHttpServer(_ => null);
        await using var manager = new SocketIOManager(stub.Uri, new SocketIOManagerOptions
        {
            Reconnection = false,
            Timeout = TimeSpan.FromMilliseconds(500),
            LoggerFactory = new TestOutputLoggerFactory(output),
        });
        var socket = manager.Socket();
        var events = new SocketEvents(socket);

        var error = await Assert.ThrowsAsync<ConnectTimeoutException>(() => socket.ConnectAsync());

        Assert.Equal(TimeSpan.FromMilliseconds(500), error.Timeout);
        Assert.False(error.WillRetry);
        await events.ConnectErrorAsync();
        Assert.False(socket.IsActive);
    }

    [Fact]
    public async Task ConnectAsync_Forbidden_DoesNotRetry()
    {
        await using var stub = new StubHttpServer(_ => new StubResponse(403, "application/json", """{"code":4,"message":"Forbidden"}"""));
        await using var manager = new SocketIOManager(stub.Uri, new SocketIOManagerOptions { LoggerFactory = new TestOutputLoggerFactory(output) });
        var attempts = 0;
        manager.ReconnectAttempt += (_, _) => Interlocked.Increment(ref attempts);
        var socket = manager.Socket();

        var error = await Assert.ThrowsAsync<EngineIOForbiddenException>(() => socket.ConnectAsync());

        Assert.False(error.WillRetry);
        Assert.False(manager.IsReconnecting);
        Assert.False(socket.IsActive);
        Assert.Equal(0, attempts);
    }

    [Fact]
    public async Task ConnectAsync_Unreachable_ThrowsServerUnreachableAndRetries()
    {
        var port = FreePort.Next();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var manager = new SocketIOManager(new Uri($"http://127.0.0.1:{port}"), new SocketIOManagerOptions
        {
            TimeProvider = time,
            LoggerFactory = new TestOutputLoggerFactory(output),
        });
        var socket = manager.Socket();

        var error = await Assert.ThrowsAsync<ServerUnreachableException>(() => socket.ConnectAsync());

        Assert.True(error.WillRetry);
        Assert.True(socket.IsActive);
        Assert.True(manager.IsReconnecting);
    }

    [Fact]
    public async Task ConnectAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var stub = new StubHttpServer(_ => null);
        await using var manager = new SocketIOManager(stub.Uri, new SocketIOManagerOptions { Reconnection = false });
        using var cts = new CancellationTokenSource();
        var connecting = manager.Socket().ConnectAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting);
    }

    [Fact]
    public void NamespaceRefusedException_Data_ReadsTyped()
    {
        using var document = JsonDocument.Parse("""{"name":"n","count":3}""");
        var error = new NamespaceRefusedException("/admin", "nope", document.RootElement);

        Assert.Equal(new Reply("n", 3), error.GetServerData(SocketTestJsonContext.Default.Reply));
    }
}
