using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TypedSio.Server.SocketIO;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>Namespace handshakes on the wire: CONNECT replies, refusals, timeouts and protocol violations.</summary>
public sealed class SocketIOConnectTests
{
    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task Connect_MainNamespace_RepliesWithSidOnly(string transport)
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await RawSocketIOClient.OpenAsync(server, transport);

        await client.SendAsync("0");
        var reply = await client.ReceiveAsync();

        Assert.StartsWith("0{", reply, StringComparison.Ordinal);
        var body = JsonDocument.Parse(reply[1..]).RootElement;
        Assert.Equal(["sid"], body.EnumerateObject().Select(p => p.Name));
        Assert.NotEqual(client.Sid, body.GetProperty("sid").GetString());
        Assert.Single(server.Main.Sockets);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task Connect_UnknownNamespace_RefusedExactlyAndConnectionStaysOpen(string transport)
    {
        await using var server = await SocketIOTestServer.StartAsync();
        await using var client = await RawSocketIOClient.OpenAsync(server, transport);

        await client.SendAsync("0/foo,");

        Assert.Equal("4/foo,{\"message\":\"Invalid namespace\"}", await client.ReceiveAsync());
        await client.ConnectNamespaceAsync("/");
    }

    [Fact]
    public async Task Connect_WithRecoveryOn_ReplyCarriesPid()
    {
        await using var server = await SocketIOTestServer.StartAsync(configure: o => o.ConnectionStateRecovery = new SocketIOConnectionStateRecovery());
        await using var client = await RawSocketIOClient.OpenAsync(server, "websocket");

        await client.SendAsync("0");
        var body = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement;

        Assert.Equal(["sid", "pid"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Connect_AuthPayload_ReachesHandshake()
    {
        var handshake = new TaskCompletionSource<SocketIOHandshake>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => handshake.TrySetResult(s.Handshake))));
        await using var client = await RawSocketIOClient.OpenAsync(server, "websocket");

        await client.ConnectNamespaceAsync("/", "{\"token\":\"abc\"}");
        var result = await handshake.Task.WaitAsync(SocketIOTestServer.Timeout);

        Assert.Equal("abc", result.Auth.GetProperty("token").GetString());
        Assert.Equal("websocket", result.Query["transport"]);
        Assert.NotNull(result.Address);
        Assert.StartsWith("/socket.io/", result.Url, StringComparison.Ordinal);
        Assert.False(result.Secure);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task Connect_MiddlewareRefuses_ConnectErrorCarriesMessageAndData(string transport)
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.Use((_, _) =>
            throw new SocketIOConnectionRefusedException("not authorized", new Dictionary<string, object?> { ["code"] = 42 }))));
        await using var client = await RawSocketIOClient.OpenAsync(server, transport);

        await client.SendAsync("0");

        Assert.Equal("4{\"message\":\"not authorized\",\"data\":{\"code\":42}}", await client.ReceiveAsync());
        Assert.Empty(server.Main.Sockets);
    }

    [Fact]
    public async Task Connect_MiddlewareCallsNext_Connects()
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.Use(async (s, next) =>
        {
            s.Data["user"] = "ann";
            await next();
        })));
        await using var client = await RawSocketIOClient.OpenAsync(server, "websocket");

        var id = await client.ConnectNamespaceAsync();

        Assert.Equal("ann", server.Main.Sockets[id].Data["user"]);
    }

    [Fact]
    public async Task Connect_DynamicNamespaceByRegex_Accepted()
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of(new System.Text.RegularExpressions.Regex("^/dyn-\\d+$"), _ => { }));
        await using var client = await RawSocketIOClient.OpenAsync(server, "websocket");

        await client.ConnectNamespaceAsync("/dyn-12");
        await client.SendAsync("0/dyn-x,");

        Assert.Equal("4/dyn-x,{\"message\":\"Invalid namespace\"}", await client.ReceiveAsync());
        Assert.True(server.Server.TryGetNamespace("/dyn-12", out _));
    }

    [Fact]
    public async Task NoConnect_ConnectTimeout_ClosesOnlyAtTheDeadline()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SocketIOTestServer.StartAsync(configure: o => o.ConnectTimeout = TimeSpan.FromSeconds(5), time: time);
        await using var client = await RawSocketIOClient.OpenAsync(server, "websocket");
        // The open packet can reach the client before the Socket.IO layer has taken the connection and started its
        // connect timer (the connection handler runs after the handshake); the clock must not move before that.
        await SocketIOTestServer.WaitUntilAsync(() => server.Server.ClientCount == 1);

        time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(1, server.Server.Engine.ClientsCount);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await client.ExpectClosedAsync();
    }

    [Fact]
    public async Task Connected_ConnectTimeoutPasses_StaysOpen()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SocketIOTestServer.StartAsync(configure: o => o.ConnectTimeout = TimeSpan.FromSeconds(5), time: time);
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = client;

        time.Advance(TimeSpan.FromSeconds(6));
        await client.SendAsync("2[\"ping\"]");
        await client.SendAsync("21[\"ping\"]");

        // The handler-less event is dropped; the ack request with no handler gets no answer: the connection is simply alive.
        Assert.Equal(1, server.Server.Engine.ClientsCount);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task ClientNamespaceDisconnect_NothingSentBack_ConnectionStaysOpen(string transport)
    {
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => s.Disconnected += (_, e) => reason.TrySetResult(e.Description))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, transport);
        await using var _ = client;

        await client.SendAsync("1");

        Assert.Equal("client namespace disconnect", await reason.Task.WaitAsync(SocketIOTestServer.Timeout));
        await client.ConnectNamespaceAsync();
        Assert.Single(server.Main.Sockets);
    }

    [Theory]
    [InlineData("2/other,[\"x\"]")]
    [InlineData("0")]
    [InlineData("4{\"message\":\"x\"}")]
    [InlineData("9")]
    [InlineData("2[\"x\"")]
    public async Task ProtocolViolation_ClosesConnection_OtherSessionsUnaffected(string packet)
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => s.On("echo", e => e.AckAsync(e.Arguments.ToValues())))));
        var (bad, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = bad;
        var (good, _) = await RawSocketIOClient.ConnectAsync(server, "polling");
        await using var __ = good;

        await bad.SendAsync(packet);

        await bad.ExpectClosedAsync();
        await good.SendAsync("27[\"echo\",\"still here\"]");
        Assert.Equal("37[\"still here\"]", await good.ReceiveAsync());
    }

    [Fact]
    public async Task GarbageQueryString_HandshakeStillServed()
    {
        await using var server = await SocketIOTestServer.StartAsync();
        using var response = await server.Http.GetAsync(server.Url("EIO=4&transport=polling&%%%=%ZZ&a=%E0%A4%A&&=x"));

        Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode == 400);
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await client.DisposeAsync();
    }
}
