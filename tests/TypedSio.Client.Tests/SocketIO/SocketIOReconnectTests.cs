using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using TypedSio.Client.Tests.Support;
using TypedSio.Testing;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests.SocketIO;

public sealed class SocketIOReconnectTests(ITestOutputHelper output)
{
    public static TheoryData<TransportMode> Modes => [TransportMode.Polling, TransportMode.WebSocket, TransportMode.Upgrade];

    [Fact]
    public async Task Reconnection_RepeatedFailures_FollowsBackoffScheduleThenGivesUp()
    {
        var time = new FakeTimeProvider();
        await using var manager = new SocketIOManager(new Uri($"http://127.0.0.1:{FreePort.Next()}"), new SocketIOManagerOptions
        {
            TimeProvider = time,
            ReconnectionAttempts = 5,
            Random = () => 0.25,
            LoggerFactory = new TestOutputLoggerFactory(output),
        });
        var attempts = Channel.CreateUnbounded<int>();
        var errors = Channel.CreateUnbounded<ConnectErrorException>();
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.ReconnectAttempt += (_, n) => attempts.Writer.TryWrite(n);
        manager.ReconnectError += (_, e) => errors.Writer.TryWrite(e);
        manager.ReconnectFailed += (_, _) => failed.TrySetResult();
        var socket = manager.Socket();

        var first = await Assert.ThrowsAsync<ServerUnreachableException>(() => socket.ConnectAsync());
        Assert.True(first.WillRetry);

        // 1 s doubling to the 5 s cap; the pinned sample 0.25 moves each delay down by an eighth, as socket.io-client would.
        int[] expected = [875, 1750, 3500, 5000, 5000];
        for (var n = 1; n <= expected.Length; n++)
        {
            time.Advance(TimeSpan.FromMilliseconds(expected[n - 1] - 1));
            Assert.False(attempts.Reader.TryRead(out _), $"attempt {n} came early");
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(n, await attempts.Reader.ReadAsync().AsTask().WaitAsync(SocketEvents.Patience));
            var error = await errors.Reader.ReadAsync().AsTask().WaitAsync(SocketEvents.Patience);
            Assert.IsType<ServerUnreachableException>(error);
            Assert.Equal(n < expected.Length, error.WillRetry);
        }

        await failed.Task.WaitAsync(SocketEvents.Patience);
        Assert.False(socket.IsActive);
        Assert.False(manager.IsReconnecting);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(attempts.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EmitAsync_AcrossServerRestart_BufferedAndFlushedInOrder(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var reconnected = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.Reconnected += (_, n) => reconnected.TrySetResult(n);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();
        await events.ConnectedAsync();
        var firstId = socket.Id;

        await server.CommandAsync("down", "DOWN");
        var disconnected = await events.DisconnectedAsync();
        Assert.Contains(disconnected.Reason, new[] { "transport close", "transport error" });
        Assert.True(disconnected.WillReconnect);
        Assert.True(socket.IsActive);
        await socket.EmitAsync("message", "while-down-1");
        await socket.EmitAsync("message", "while-down-2", new byte[] { 7 });
        await server.CommandAsync("up", "UP");

        await events.ConnectedAsync();
        Assert.True(await reconnected.Task.WaitAsync(SocketEvents.Patience) >= 1);
        Assert.NotEqual(firstId, socket.Id);
        Assert.Equal("""["while-down-1"]""", (await server.WaitForLineAsync("EVENT / message "))[3]);
        Assert.Equal("""["while-down-2",{"binary":[7]}]""", (await server.WaitForLineAsync("EVENT / message "))[3]);
    }

    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task Reconnection_ServerDownThenUp_ReportsEachFailureThenReconnects(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var errors = Channel.CreateUnbounded<ConnectErrorException>();
        var reconnected = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.ReconnectError += (_, e) => errors.Writer.TryWrite(e);
        manager.Reconnected += (_, n) => reconnected.TrySetResult(n);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();
        await events.ConnectedAsync();

        await server.CommandAsync("down", "DOWN");
        await events.DisconnectedAsync();
        var error = await errors.Reader.ReadAsync().AsTask().WaitAsync(SocketEvents.Patience);
        Assert.True(error.WillRetry);
        Assert.Same(error, await events.ConnectErrorAsync());
        Assert.True(socket.IsActive);
        await server.CommandAsync("up", "UP");

        Assert.True(await reconnected.Task.WaitAsync(SocketEvents.Patience) >= 2);
        await events.ConnectedAsync();
        Assert.True(socket.IsConnected);
    }

    [Fact]
    public async Task Reconnection_SessionUnknownAfterRestart_StartsFreshHandshake()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.Polling, output);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();
        await events.ConnectedAsync();
        var firstEngine = (await server.WaitForLineAsync("CONNECTED / "))[4];

        await server.CommandAsync("forget", "FORGOTTEN");
        await socket.EmitAsync("message", "to a server that forgot us");

        var disconnected = await events.DisconnectedAsync();
        Assert.Equal("transport error", disconnected.Reason);
        Assert.IsType<EngineIOSessionIdUnknownException>(disconnected.Exception);
        await events.ConnectedAsync();
        Assert.NotEqual(firstEngine, (await server.WaitForLineAsync("CONNECTED / "))[4]);
    }

    [Fact]
    public async Task Reconnection_Disabled_TransportLossLeavesSocketInactive()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output, o => o.Reconnection = false);
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();

        await server.CommandAsync("down", "DOWN");

        var disconnected = await events.DisconnectedAsync();
        Assert.False(disconnected.WillReconnect);
        Assert.False(socket.IsActive);
        Assert.False(manager.IsReconnecting);
    }

    [Fact]
    public async Task Reconnection_NoAttemptsAllowed_TransportLossGivesUpAtOnce()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output, o => o.ReconnectionAttempts = 0);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.ReconnectFailed += (_, _) => failed.TrySetResult();
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();

        await server.CommandAsync("down", "DOWN");

        Assert.False((await events.DisconnectedAsync()).WillReconnect);
        await failed.Task.WaitAsync(SocketEvents.Patience);
        Assert.False(socket.IsActive);
    }

    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task Retries_ServerAcksThirdTry_DeliveredAtLeastOnce(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket("/", new SocketIOSocketOptions { Retries = 3, AckTimeout = TimeSpan.FromMilliseconds(300) });
        await socket.ConnectAsync();

        var reply = await socket.EmitWithAckAsync("flaky", "k1");

        Assert.Equal(["ok", 3d], reply.ToValues());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("""["k1"]""", (await server.WaitForLineAsync("EVENT / flaky "))[3]);
        }
    }

    [Fact]
    public async Task Retries_NeverAcked_FailsAfterLastTry()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket("/", new SocketIOSocketOptions { Retries = 1, AckTimeout = TimeSpan.FromMilliseconds(200) });
        await socket.ConnectAsync();

        var error = await Assert.ThrowsAsync<SocketIOAckTimeoutException>(() => socket.EmitWithAckAsync("silent"));

        Assert.Equal(2, error.Tries);
        await server.WaitForLineAsync("EVENT / silent ");
        await server.WaitForLineAsync("EVENT / silent ");
    }

    [Fact]
    public async Task Retries_EmitsInOrder_EachAcknowledgedBeforeTheNext()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket("/", new SocketIOSocketOptions { Retries = 2, AckTimeout = TimeSpan.FromSeconds(5) });

        var first = socket.EmitWithAckAsync("message-with-ack", 1);
        await socket.EmitAsync("message-with-ack", 2);
        var third = socket.EmitWithAckAsync("message-with-ack", 3);
        await socket.ConnectAsync();

        Assert.Equal(1d, (await first.WaitAsync(SocketEvents.Patience)).GetValue(0));
        Assert.Equal(3d, (await third.WaitAsync(SocketEvents.Patience)).GetValue(0));
        Assert.Equal("[1]", (await server.WaitForLineAsync("EVENT / message-with-ack "))[3]);
        Assert.Equal("[2]", (await server.WaitForLineAsync("EVENT / message-with-ack "))[3]);
        Assert.Equal("[3]", (await server.WaitForLineAsync("EVENT / message-with-ack "))[3]);
    }

    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task Retries_AckAwaitedAcrossRestart_SentAgainAfterReconnect(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket("/", new SocketIOSocketOptions { Retries = 5, AckTimeout = TimeSpan.FromSeconds(3) });
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();
        await events.ConnectedAsync();

        await server.CommandAsync("down", "DOWN");
        await events.DisconnectedAsync();
        var pending = socket.EmitWithAckAsync("message-with-ack", "survives");
        await server.CommandAsync("up", "UP");

        var reply = await pending.WaitAsync(SocketEvents.Patience);
        Assert.Equal("survives", reply.GetValue(0));
    }

    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task ConnectionStateRecovery_TransportClosed_SessionRestoredWithMissedEvents(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync(new() { ["connectionStateRecovery"] = new Dictionary<string, object?> { ["maxDisconnectionDuration"] = 60000 } });
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket();
        var events = new SocketEvents(socket, "auth", "missed");
        await socket.ConnectAsync();
        await events.ConnectedAsync();
        var id = socket.Id;
        var auth = await events.NextAsync("auth");
        Assert.IsType<string>(auth[^1]); // the offset the server appends when recovery is on
        Assert.False(socket.IsRecovered);

        await socket.EmitAsync("close-transport");

        Assert.Equal("transport close", (await events.DisconnectedAsync()).Reason);
        await events.ConnectedAsync();
        Assert.True(socket.IsRecovered);
        Assert.Equal(id, socket.Id);
        Assert.Equal("after-close", (await events.NextAsync("missed"))[0]);
        var line = await server.WaitForLineAsync($"CONNECTED / {id} true");
        Assert.Equal("true", line[3]);
    }

    [Fact]
    public async Task ConnectionStateRecovery_ServerWithoutIt_NewSessionNotRecovered()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
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
