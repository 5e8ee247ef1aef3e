using TypedSio.Client.Tests.Support;
using TypedSio.EngineIO;
using TypedSio.Testing;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests;

/// <summary>Every refusal the official engine.io server can be made to send, read as the typed exceptions.</summary>
public sealed class ReferenceServerErrorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OpenAsync_PollingAgainstWebSocketOnlyServer_ThrowsTransportUnknown()
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["transports"] = new[] { "websocket" } });
        await using var client = new EngineIOClient(Options(server, EngineIOTransportKind.Polling));

        var error = await Assert.ThrowsAsync<EngineIOTransportUnknownException>(() => client.OpenAsync());

        Assert.Equal(EngineIOErrorCode.TransportUnknown, error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("""{"code":0,"message":"Transport unknown"}""", error.RawBody);
        Assert.False(error.WillRetry);
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task OpenAsync_WebSocketAgainstPollingOnlyServer_ThrowsTransportUnknownFromPlainTextRefusal()
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["transports"] = new[] { "polling" } });
        await using var client = new EngineIOClient(Options(server, EngineIOTransportKind.WebSocket));

        var error = await Assert.ThrowsAsync<EngineIOTransportUnknownException>(() => client.OpenAsync());

        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("Transport unknown", error.RawBody);
    }

    [Fact]
    public async Task OpenAsync_TryAllTransportsAndWebSocketRefused_FallsBackToPolling()
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["transports"] = new[] { "polling" } });
        var options = Options(server, EngineIOTransportKind.WebSocket);
        options.Transports.Add(EngineIOTransportKind.Polling);
        options.TryAllTransports = true;
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);

        await client.OpenAsync();
        await client.SendAsync("via the fallback");

        Assert.Equal(EngineIOTransportKind.Polling, client.Transport);
        Assert.Equal("via the fallback", (await events.NextMessageAsync()).Text);
    }

    [Fact]
    public async Task OpenAsync_TryAllTransportsAndAllRefused_ThrowsTheLastError()
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["refuse"] = "closed today" });
        var options = Options(server, EngineIOTransportKind.WebSocket);
        options.Transports.Add(EngineIOTransportKind.Polling);
        options.TryAllTransports = true;
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<EngineIOForbiddenException>(() => client.OpenAsync());

        Assert.Equal("closed today", error.ServerMessage);
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task SendAsync_AfterServerRestart_ThrowsSessionIdUnknownAndCloses()
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var client = new EngineIOClient(Options(server, EngineIOTransportKind.Polling));
        var events = new ClientEvents(client);
        await client.OpenAsync();
        await server.WaitForLineAsync("CONNECTION ");

        // Restart while the client's poll is held by the old engine, so that the message is what meets the new one.
        await server.WaitForLineAsync($"POLL {client.Id}");
        await server.Node.SendLineAsync("restart");
        await server.WaitForLineAsync("RESTARTED");

        var error = await Assert.ThrowsAsync<EngineIOSessionIdUnknownException>(() => client.SendAsync("anyone there?"));

        Assert.Equal("""{"code":1,"message":"Session ID unknown"}""", error.RawBody);
        var closed = await events.Closed;
        Assert.Equal("transport error", closed.Reason);
        Assert.IsType<EngineIOSessionIdUnknownException>(closed.Exception);
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task OpenAsync_PollingRefusedByAllowRequest_ThrowsForbiddenWithServerMessage()
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["refuse"] = "no entry for you" });
        await using var client = new EngineIOClient(Options(server, EngineIOTransportKind.Polling));

        var error = await Assert.ThrowsAsync<EngineIOForbiddenException>(() => client.OpenAsync());

        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("no entry for you", error.ServerMessage);
        Assert.Contains("allowRequest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WebSocketRefusedByAllowRequest_ThrowsForbiddenFromPlainTextRefusal()
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["refuse"] = null });
        await using var client = new EngineIOClient(Options(server, EngineIOTransportKind.WebSocket));

        var error = await Assert.ThrowsAsync<EngineIOForbiddenException>(() => client.OpenAsync());

        Assert.Equal("Forbidden", error.RawBody);
    }

    [Fact]
    public async Task OpenAsync_WebSocketRefusedWithCustomMessage_ThrowsUnexpectedHttpResponseKeepingTheMessage()
    {
        // engine.io refuses upgrades with HTTP 400 and the bare message, so a custom allowRequest message carries no code.
        await using var server = await ReferenceServer.StartAsync(new() { ["refuse"] = "no entry for you" });
        await using var client = new EngineIOClient(Options(server, EngineIOTransportKind.WebSocket));

        var error = await Assert.ThrowsAsync<UnexpectedHttpResponseException>(() => client.OpenAsync());

        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("no entry for you", error.RawBody);
    }

    [Fact]
    public async Task OpenAsync_V3PollingClientAgainstV4OnlyServer_ThrowsUnsupportedProtocolVersion()
    {
        await using var server = await ReferenceServer.StartAsync();
        var options = Options(server, EngineIOTransportKind.Polling);
        options.ProtocolVersion = EngineIOProtocolVersion.V3;
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<EngineIOUnsupportedProtocolVersionException>(() => client.OpenAsync());

        Assert.Equal(EngineIOErrorCode.UnsupportedProtocolVersion, error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("""{"code":5,"message":"Unsupported protocol version"}""", error.RawBody);
    }

    [Fact]
    public async Task OpenAsync_V3WebSocketClientAgainstV4OnlyServer_ThrowsProtocolViolationNamingTheVersion()
    {
        // engine.io accepts the upgrade, then writes its HTTP 400 into the WebSocket: no status or body reaches the
        // client, only an invalid frame, so the error can name the likely cause but not carry code 5.
        await using var server = await ReferenceServer.StartAsync();
        var options = Options(server, EngineIOTransportKind.WebSocket);
        options.ProtocolVersion = EngineIOProtocolVersion.V3;
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<ServerProtocolViolationException>(() => client.OpenAsync());

        Assert.Contains("Unsupported protocol version", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task OpenAsync_WrongPath_ThrowsUnexpectedHttpResponseNamingThePath()
    {
        await using var server = await ReferenceServer.StartAsync();
        var options = Options(server, EngineIOTransportKind.Polling);
        options.Path = "/socket.io/";
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<UnexpectedHttpResponseException>(() => client.OpenAsync());

        Assert.Equal(404, error.HttpStatus);
        Assert.Contains("path", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task OpenAsync_NothingListening_ThrowsServerUnreachable(EngineIOTransportKind transport)
    {
        var port = FreePort.Next();
        var options = new EngineIOClientOptions(new Uri($"http://127.0.0.1:{port}"));
        options.Transports.Clear();
        options.Transports.Add(transport);
        options.LoggerFactory = new TestOutputLoggerFactory(output);
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<ServerUnreachableException>(() => client.OpenAsync());

        Assert.Equal("127.0.0.1", error.Host);
        Assert.Equal(port, error.Port);
        Assert.NotNull(error.InnerException);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task OpenAsync_HostDoesNotResolve_ThrowsServerUnreachable(EngineIOTransportKind transport)
    {
        // .invalid is reserved (RFC 2606): it never resolves.
        var options = new EngineIOClientOptions(new Uri("http://typedsio-test.invalid:3000")) { LoggerFactory = new TestOutputLoggerFactory(output) };
        options.Transports.Clear();
        options.Transports.Add(transport);
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<ServerUnreachableException>(() => client.OpenAsync());

        Assert.Equal("typedsio-test.invalid", error.Host);
        Assert.Equal(3000, error.Port);
    }

    private EngineIOClientOptions Options(ReferenceServer server, EngineIOTransportKind transport)
    {
        var options = server.ClientOptions(transport);
        options.LoggerFactory = new TestOutputLoggerFactory(output);
        return options;
    }
}
