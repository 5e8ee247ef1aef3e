using TypedSio.Client.Tests.Support;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests.SocketIO;

/// <summary>Behaviour the official server cannot be made to show: undecodable packets, a namespace that never answers.</summary>
public sealed class SocketIOStubServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task UndecodablePacket_Connected_DisconnectsWithParseError()
    {
        var polls = 0;
        await using var stub = new StubHttpServer(request => request switch
        {
            { Method: "GET", HasSid: false } => StubHttpServer.Handshake(pingInterval: 60000, pingTimeout: 60000),
            { Method: "POST" } => new StubResponse(200, "text/html", "ok"),
            _ => Interlocked.Increment(ref polls) switch
            {
                1 => new StubResponse(200, "text/plain; charset=UTF-8", """40{"sid":"stub-socket"}"""),
                2 => new StubResponse(200, "text/plain; charset=UTF-8", "4Z"),
                _ => null,
            },
        });
        await using var manager = new SocketIOManager(stub.Uri, PollingOnly(o => o.Reconnection = false));
        var socket = manager.Socket();
        var events = new SocketEvents(socket);

        await socket.ConnectAsync();

        Assert.Equal("stub-socket", await events.ConnectedAsync());
        var disconnected = await events.DisconnectedAsync();
        Assert.Equal("parse error", disconnected.Reason);
        Assert.False(disconnected.WillReconnect);
        Assert.False(socket.IsActive);
    }

    [Fact]
    public async Task ConnectAsync_NamespaceNeverAnswers_ThrowsConnectTimeout()
    {
        await using var stub = new StubHttpServer(request => request switch
        {
            { Method: "GET", HasSid: false } => StubHttpServer.Handshake(pingInterval: 60000, pingTimeout: 60000),
            { Method: "POST" } => new StubResponse(200, "text/html", "ok"),
            _ => null,
        });
        await using var manager = new SocketIOManager(stub.Uri, PollingOnly(o => o.Timeout = TimeSpan.FromMilliseconds(500)));
        var socket = manager.Socket();
        var events = new SocketEvents(socket);

        var error = await Assert.ThrowsAsync<ConnectTimeoutException>(() => socket.ConnectAsync());

        Assert.False(error.WillRetry);
        Assert.Same(error, await events.ConnectErrorAsync());
        Assert.True(manager.IsOpen);
        Assert.Contains(stub.Requests, r => r.Method == "POST" && r.Body.Contains("40", StringComparison.Ordinal));
    }

    private SocketIOManagerOptions PollingOnly(Action<SocketIOManagerOptions> configure)
    {
        var options = new SocketIOManagerOptions { LoggerFactory = new TestOutputLoggerFactory(output) };
        options.Transports.Remove(EngineIOTransportKind.WebSocket);
        configure(options);
        return options;
    }
}
