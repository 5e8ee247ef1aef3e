using TypedSio.Client.Tests.Support;
using TypedSio.EngineIO;

namespace TypedSio.Client.Tests.OwnServer;

/// <summary>
/// The Engine.IO client scenarios run against both the official engine.io server and TypedSio's own, with the same
/// handlers and options, so that client and server are each proven against the reference and against each other.
/// </summary>
public sealed class BothServersEngineTests
{
    public static TheoryData<ServerKind, string> KindsAndModes => new()
    {
        { ServerKind.Node, "polling" }, { ServerKind.Node, "websocket" }, { ServerKind.Node, "upgrade" },
        { ServerKind.TypedSio, "polling" }, { ServerKind.TypedSio, "websocket" }, { ServerKind.TypedSio, "upgrade" },
    };

    public static TheoryData<ServerKind> Kinds => [ServerKind.Node, ServerKind.TypedSio];

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task OpenAsync_EitherServer_CompletesHandshakeWithDefaults(ServerKind kind, string mode)
    {
        await using var server = await IEngineTestServer.StartAsync(kind);
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);

        await client.OpenAsync();

        Assert.Equal(EngineIOReadyState.Open, client.ReadyState);
        Assert.False(string.IsNullOrEmpty(client.Id));
        Assert.Equal(TimeSpan.FromSeconds(25), client.Handshake!.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), client.Handshake.PingTimeout);
        Assert.Equal(1_000_000, client.Handshake.MaxPayload);
        if (mode == "upgrade")
        {
            Assert.Equal(EngineIOTransportKind.WebSocket, await events.Upgraded);
        }
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public async Task SendAsync_MultiByteTextAndBinary_AreEchoed(ServerKind kind, string mode)
    {
        await using var server = await IEngineTestServer.StartAsync(kind);
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);
        await client.OpenAsync();
        const string text = "héllo wörld — 你好 🎉";
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await client.SendAsync(text);
        await client.SendAsync(data);

        var echo = await events.NextMessageAsync();
        Assert.False(echo.IsBinary);
        Assert.Equal(text, echo.Text);
        var binary = await events.NextMessageAsync();
        Assert.True(binary.IsBinary);
        Assert.Equal(data, binary.Data.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAsync_PollingAgainstWebSocketOnlyServer_ThrowsTransportUnknown(ServerKind kind)
    {
        await using var server = await IEngineTestServer.StartAsync(kind, new EngineServerSettings(Transports: ["websocket"]));
        await using var client = new EngineIOClient(server.ClientOptions(EngineIOTransportKind.Polling));

        var error = await Assert.ThrowsAsync<EngineIOTransportUnknownException>(() => client.OpenAsync());

        Assert.Equal(EngineIOErrorCode.TransportUnknown, error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("""{"code":0,"message":"Transport unknown"}""", error.RawBody);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAsync_WebSocketAgainstPollingOnlyServer_ThrowsTransportUnknown(ServerKind kind)
    {
        await using var server = await IEngineTestServer.StartAsync(kind, new EngineServerSettings(Transports: ["polling"]));
        await using var client = new EngineIOClient(server.ClientOptions(EngineIOTransportKind.WebSocket));

        var error = await Assert.ThrowsAsync<EngineIOTransportUnknownException>(() => client.OpenAsync());

        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("Transport unknown", error.RawBody);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SendAsync_AfterServerRestart_ThrowsSessionIdUnknownAndCloses(ServerKind kind)
    {
        await using var server = await IEngineTestServer.StartAsync(kind);
        await using var client = new EngineIOClient(server.ClientOptions(EngineIOTransportKind.Polling));
        var events = new ClientEvents(client);
        await client.OpenAsync();

        // Restart while the client's poll is held by the old engine, so that the message is what meets the new one.
        await server.WaitForPollAsync(client.Id!);
        await server.RestartAsync();

        var error = await Assert.ThrowsAsync<EngineIOSessionIdUnknownException>(() => client.SendAsync("anyone there?"));
        Assert.Equal("""{"code":1,"message":"Session ID unknown"}""", error.RawBody);
        var closed = await events.Closed;
        Assert.Equal("transport error", closed.Reason);
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAsync_PollingRefusedByAllowRequest_ThrowsForbiddenWithServerMessage(ServerKind kind)
    {
        await using var server = await IEngineTestServer.StartAsync(kind, new EngineServerSettings(Refuse: "no entry for you"));
        await using var client = new EngineIOClient(server.ClientOptions(EngineIOTransportKind.Polling));

        var error = await Assert.ThrowsAsync<EngineIOForbiddenException>(() => client.OpenAsync());

        Assert.Equal(EngineIOErrorCode.Forbidden, error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("no entry for you", error.ServerMessage);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAsync_V3PollingClientAgainstV4OnlyServer_ThrowsUnsupportedProtocolVersion(ServerKind kind)
    {
        await using var server = await IEngineTestServer.StartAsync(kind);
        var options = server.ClientOptions(EngineIOTransportKind.Polling);
        options.ProtocolVersion = EngineIOProtocolVersion.V3;
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<EngineIOUnsupportedProtocolVersionException>(() => client.OpenAsync());

        Assert.Equal(EngineIOErrorCode.UnsupportedProtocolVersion, error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("""{"code":5,"message":"Unsupported protocol version"}""", error.RawBody);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAsync_WebSocketRefusedByAllowRequest_ThrowsForbiddenFromPlainTextRefusal(ServerKind kind)
    {
        await using var server = await IEngineTestServer.StartAsync(kind, new EngineServerSettings(RefuseWithoutMessage: true));
        await using var client = new EngineIOClient(server.ClientOptions(EngineIOTransportKind.WebSocket));

        var error = await Assert.ThrowsAsync<EngineIOForbiddenException>(() => client.OpenAsync());

        Assert.Equal("Forbidden", error.RawBody);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAsync_WebSocketRefusedWithCustomMessage_KeepsTheMessage(ServerKind kind)
    {
        await using var server = await IEngineTestServer.StartAsync(kind, new EngineServerSettings(Refuse: "no entry for you"));
        await using var client = new EngineIOClient(server.ClientOptions(EngineIOTransportKind.WebSocket));

        var error = await Assert.ThrowsAsync<UnexpectedHttpResponseException>(() => client.OpenAsync());

        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("no entry for you", error.RawBody);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenAsync_V3WebSocketClientAgainstV4OnlyServer_FailsNamingTheVersion(ServerKind kind)
    {
        await using var server = await IEngineTestServer.StartAsync(kind);
        var options = server.ClientOptions(EngineIOTransportKind.WebSocket);
        options.ProtocolVersion = EngineIOProtocolVersion.V3;
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAnyAsync<ConnectErrorException>(() => client.OpenAsync());

        // A known difference: engine.io accepts the upgrade and then writes its HTTP 400 into the WebSocket (the client
        // sees an invalid frame), while TypedSio refuses the upgrade itself, so only there does code 5 reach the client.
        Assert.Contains("Unsupported protocol version", error.Message, StringComparison.Ordinal);
        if (kind == ServerKind.Node)
        {
            Assert.IsType<ServerProtocolViolationException>(error);
        }
        else
        {
            Assert.Equal(EngineIOErrorCode.UnsupportedProtocolVersion, Assert.IsType<EngineIOUnsupportedProtocolVersionException>(error).Code);
        }
    }

    private static EngineIOClientOptions Options(IEngineTestServer server, string mode) => mode switch
    {
        "polling" => server.ClientOptions(EngineIOTransportKind.Polling),
        "websocket" => server.ClientOptions(EngineIOTransportKind.WebSocket),
        _ => server.ClientOptions(EngineIOTransportKind.Polling, EngineIOTransportKind.WebSocket),
    };
}
