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
        await using var manager = new SocketIOManager(stub.Uri, PollingOnly(o => o.Timeout = TimeSpan.FromSeconds(2)));
        var socket = manager.Socket();
        var events = new SocketEvents(socket);

        var error = await Assert.ThrowsAsync<ConnectTimeoutException>(() => socket.ConnectAsync());

        Assert.False(error.WillRetry);
        Assert.Same(error, await events.ConnectErrorAsync());
        Assert.True(manager.IsOpen);
        Assert.Contains(stub.Requests, r => r.Method == "POST" && r.Body.Contains("40", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerStopsPinging_Connected_DisconnectsWithPingTimeoutAndReconnects()
    {
        // Every session: a handshake with a short heartbeat, the namespace's answer on the first poll, then silence.
        var answerPending = 0;
        await using var stub = new StubHttpServer(request =>
        {
            if (request is { Method: "GET", HasSid: false })
            {
                Interlocked.Exchange(ref answerPending, 1);
                return StubHttpServer.Handshake(pingInterval: 1000, pingTimeout: 500);
            }

            return request.Method == "POST" ? new StubResponse(200, "text/html", "ok")
                : Interlocked.Exchange(ref answerPending, 0) == 1 ? new StubResponse(200, "text/plain; charset=UTF-8", """40{"sid":"stub-socket"}""")
                : null;
        });
        await using var manager = new SocketIOManager(stub.Uri, PollingOnly(o => o.ReconnectionDelay = o.ReconnectionDelayMax = TimeSpan.FromMilliseconds(50)));
        var attempt = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.ReconnectAttempt += (_, n) => attempt.TrySetResult(n);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);

        await socket.ConnectAsync();

        var disconnected = await events.DisconnectedAsync();
        Assert.Equal("ping timeout", disconnected.Reason);
        Assert.True(disconnected.WillReconnect);
        Assert.Equal(1, await attempt.Task.WaitAsync(SocketEvents.Patience));
        await events.ConnectedAsync();
        await events.ConnectedAsync();
        Assert.True(socket.IsConnected);
    }

    [Fact]
    public async Task Timeout_FakeClock_HandshakeNeverAnswered_ThrowsAfterConfiguredTime()
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stub = new StubHttpServer(_ =>
        {
            reached.TrySetResult();
            return null;
        });
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var manager = new SocketIOManager(stub.Uri, PollingOnly(o =>
        {
            o.TimeProvider = time;
            o.Reconnection = false;
        }));
        var socket = manager.Socket();

        var connecting = socket.ConnectAsync();
        await reached.Task.WaitAsync(SocketEvents.Patience);
        time.Advance(TimeSpan.FromSeconds(19.999));
        Assert.False(connecting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<ConnectTimeoutException>(() => connecting.WaitAsync(SocketEvents.Patience));
        Assert.Equal(TimeSpan.FromSeconds(20), error.Timeout);
        Assert.False(error.WillRetry);
    }

    private SocketIOManagerOptions PollingOnly(Action<SocketIOManagerOptions> configure)
    {
        var options = new SocketIOManagerOptions { LoggerFactory = new TestOutputLoggerFactory(output) };
        options.Transports.Remove(EngineIOTransportKind.WebSocket);
        configure(options);
        return options;
    }
}
