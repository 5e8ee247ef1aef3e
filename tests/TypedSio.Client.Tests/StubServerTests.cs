using Microsoft.Extensions.Time.Testing;
using TypedSio.Client.Tests.Support;
using TypedSio.EngineIO;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests;

/// <summary>Behaviour the official server cannot be made to show, against a stub that answers exactly as told.</summary>
public sealed class StubServerTests(ITestOutputHelper output)
{
    public static TheoryData<EngineIOTransportKind, int, string, string, Type> Refusals()
    {
        var data = new TheoryData<EngineIOTransportKind, int, string, string, Type>();
        foreach (var transport in new[] { EngineIOTransportKind.Polling, EngineIOTransportKind.WebSocket })
        {
            data.Add(transport, 400, "application/json", """{"code":2,"message":"Bad handshake method"}""", typeof(EngineIOBadHandshakeMethodException));
            data.Add(transport, 400, "application/json", """{"code":3,"message":"Bad request"}""", typeof(EngineIOBadRequestException));
            data.Add(transport, 400, "application/json", """{"code":"1","message":"Session ID unknown"}""", typeof(EngineIOSessionIdUnknownException));
            data.Add(transport, 403, "text/plain", "", typeof(EngineIOForbiddenException));
            data.Add(transport, 403, "text/html", "<h1>Forbidden</h1>", typeof(EngineIOForbiddenException));
            data.Add(transport, 400, "text/html", "Session ID unknown", typeof(EngineIOSessionIdUnknownException));
            data.Add(transport, 400, "text/html", "Bad request", typeof(EngineIOBadRequestException));
            data.Add(transport, 502, "text/html", "Bad Gateway", typeof(UnexpectedHttpResponseException));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task OpenAsync_HandshakeRefused_ThrowsTypedException(EngineIOTransportKind transport, int status, string contentType, string body, Type expected)
    {
        await using var stub = new StubHttpServer(_ => new StubResponse(status, contentType, body));
        var options = Options(stub);
        options.Transports.Clear();
        options.Transports.Add(transport);
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAnyAsync<ConnectErrorException>(() => client.OpenAsync());

        Assert.IsType(expected, error);
        if (error is EngineIOHandshakeException handshake)
        {
            Assert.Equal(status, handshake.HttpStatus);
            Assert.Equal(body, handshake.RawBody);
        }
    }

    public static TheoryData<EngineIOTransportKind, string> InvalidHandshakes()
    {
        var data = new TheoryData<EngineIOTransportKind, string>();
        foreach (var transport in new[] { EngineIOTransportKind.Polling, EngineIOTransportKind.WebSocket })
        {
            data.Add(transport, """0{"upgrades":[],"pingInterval":1,"pingTimeout":1}""");
            data.Add(transport, "0not json");
            data.Add(transport, "4hello");
            data.Add(transport, "9");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidHandshakes))]
    public async Task OpenAsync_InvalidHandshake_ThrowsProtocolViolation(EngineIOTransportKind transport, string body)
    {
        await using var stub = new StubHttpServer(request => request.Headers.ContainsKey("Sec-WebSocket-Key")
            ? new StubResponse(101, "", "", [body])
            : new StubResponse(200, "text/plain", body));
        var options = Options(stub);
        options.Transports.Clear();
        options.Transports.Add(transport);
        await using var client = new EngineIOClient(options);

        await Assert.ThrowsAsync<ServerProtocolViolationException>(() => client.OpenAsync());

        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task Heartbeat_ServerStopsPinging_ClosesWithPingTimeoutAfterIntervalPlusTimeout(EngineIOTransportKind transport)
    {
        var time = new FakeTimeProvider();
        await using var stub = new StubHttpServer(StubHttpServer.SilentSessionOnEitherTransport(pingInterval: 1000, pingTimeout: 500));
        var options = Options(stub);
        options.Transports.Clear();
        options.Transports.Add(transport);
        options.TimeProvider = time;
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);
        await client.OpenAsync();

        time.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.Equal(EngineIOReadyState.Open, client.ReadyState);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var closed = await events.Closed;
        Assert.Equal("ping timeout", closed.Reason);
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task OpenAsync_ServerNeverAnswers_ThrowsConnectTimeout()
    {
        var time = new FakeTimeProvider();
        await using var stub = new StubHttpServer(_ => null);
        var options = Options(stub);
        options.TimeProvider = time;
        options.ConnectTimeout = TimeSpan.FromSeconds(5);
        await using var client = new EngineIOClient(options);

        var open = client.OpenAsync();
        time.Advance(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<ConnectTimeoutException>(() => open.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(TimeSpan.FromSeconds(5), error.Timeout);
    }

    [Fact]
    public async Task OpenAsync_TokenCancelled_ThrowsOperationCanceled()
    {
        await using var stub = new StubHttpServer(_ => null);
        await using var client = new EngineIOClient(Options(stub));
        using var cancellation = new CancellationTokenSource();

        var open = client.OpenAsync(cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => open.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task SendAsync_QueueFull_WaitsForRoomAndClosingFailsTheQueued()
    {
        // POSTs are never answered, so nothing queued is ever written.
        await using var stub = new StubHttpServer(request => request.HasSid ? null : StubHttpServer.Handshake());
        var options = Options(stub);
        options.SendQueueLimit = 2;
        await using var client = new EngineIOClient(options);
        await client.OpenAsync();

        var first = client.SendAsync("1");
        var second = client.SendAsync("2");
        using var giveUp = new CancellationTokenSource();
        var third = client.SendAsync("3", giveUp.Token);

        Assert.False(third.IsCompleted);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
        Assert.False(first.IsCompleted);

        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        await client.CloseAsync(now.Token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => first.WaitAsync(TimeSpan.FromSeconds(20)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task CloseAsync_WhileOpening_OpenAsyncThrowsOperationCanceled()
    {
        await using var stub = new StubHttpServer(_ => null);
        await using var client = new EngineIOClient(Options(stub));

        var open = client.OpenAsync();
        await client.CloseAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => open.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task OpenAsync_QueryHeadersAndProtocol_AreSentWithEveryRequest()
    {
        await using var stub = new StubHttpServer(StubHttpServer.SilentSession());
        var options = Options(stub);
        options.Query["token"] = "a b&c";
        options.ExtraHeaders["X-Test"] = "yes";
        await using var client = new EngineIOClient(options);

        await client.OpenAsync();

        var handshake = stub.Requests.First();
        Assert.Equal("GET", handshake.Method);
        Assert.StartsWith("/engine.io/?token=a%20b%26c&EIO=4&transport=polling&t=", handshake.Target, StringComparison.Ordinal);
        Assert.Equal("yes", handshake.Headers["X-Test"]);
    }

    [Fact]
    public async Task OpenAsync_UriQueryAndCookies_AreSent()
    {
        await using var stub = new StubHttpServer(StubHttpServer.SilentSession());
        var options = Options(stub);
        options.Cookies = new System.Net.CookieContainer();
        options.Cookies.Add(stub.Uri, new System.Net.Cookie("io", "sticky-node-2"));
        var withQuery = new EngineIOClientOptions(new Uri(stub.Uri, "/?room=1")) { Path = options.Path, Cookies = options.Cookies };
        withQuery.Transports.Remove(EngineIOTransportKind.WebSocket);
        await using var client = new EngineIOClient(withQuery);

        await client.OpenAsync();

        var handshake = stub.Requests.First();
        Assert.StartsWith("/engine.io/?room=1&EIO=4&transport=polling", handshake.Target, StringComparison.Ordinal);
        Assert.Equal("io=sticky-node-2", handshake.Headers["Cookie"]);
    }

    private EngineIOClientOptions Options(StubHttpServer stub)
    {
        var options = new EngineIOClientOptions(stub.Uri) { Path = "/engine.io/" };
        options.Transports.Remove(EngineIOTransportKind.WebSocket);
        options.LoggerFactory = new TestOutputLoggerFactory(output);
        return options;
    }
}
