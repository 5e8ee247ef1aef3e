using Xunit.Abstractions;
using TypedSio.SocketIO;

namespace TypedSio.Client.Tests.SocketIO;

public sealed class SocketIOEmitTests(ITestOutputHelper output)
{
    public static TheoryData<TransportMode> Modes => [TransportMode.Polling, TransportMode.WebSocket, TransportMode.Upgrade];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EmitAsync_BinaryAtSeveralDepths_ServerEchoesSameValues(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket();
        var events = new SocketEvents(socket, "message-back");
        await socket.ConnectAsync();

        await socket.EmitAsync(
            "message",
            "text",
            42,
            new byte[] { 1, 2, 3 },
            new Dictionary<string, object?> { ["nested"] = new List<object?> { new byte[] { 4 }, new Dictionary<string, object?> { ["deep"] = new byte[] { 5, 6 } } } },
            null,
            true);

        var echoed = await events.NextAsync("message-back");
        Assert.Equal(6, echoed.Length);
        Assert.Equal("text", echoed[0]);
        Assert.Equal(42d, echoed[1]);
        Assert.Equal(new byte[] { 1, 2, 3 }, echoed[2]);
        var nested = Assert.IsType<List<object?>>(Assert.IsType<Dictionary<string, object?>>(echoed[3])["nested"]);
        Assert.Equal(new byte[] { 4 }, nested[0]);
        Assert.Equal(new byte[] { 5, 6 }, Assert.IsType<Dictionary<string, object?>>(nested[1])["deep"]);
        Assert.Null(echoed[4]);
        Assert.Equal(true, echoed[5]);
        var line = await server.WaitForLineAsync("EVENT / message ");
        Assert.Equal("""["text",42,{"binary":[1,2,3]},{"nested":[{"binary":[4]},{"deep":{"binary":[5,6]}}]},null,true]""", line[3]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EmitWithAckAsync_ServerAcks_ReturnsAckArgumentsWithBinary(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket();
        await socket.ConnectAsync();

        var reply = await socket.EmitWithAckAsync("message-with-ack", 1, "two", new byte[] { 3 });

        Assert.Equal(3, reply.Count);
        Assert.Equal(1, reply.Get(0, SocketTestJsonContext.Default.Int32));
        Assert.Equal("two", reply.GetValue(1));
        Assert.Equal(new byte[] { 3 }, reply.GetValue(2));
    }

    [Fact]
    public async Task EmitWithAckAsync_Typed_DeserializesFirstArgument()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket();
        await socket.ConnectAsync();

        var reply = await socket.EmitWithAckAsync(
            "message-with-ack", SocketTestJsonContext.Default.Reply, [new Dictionary<string, object?> { ["name"] = "x", ["count"] = 7 }], TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(new Reply("x", 7), reply);
    }

    [Fact]
    public async Task EmitAsync_ArgumentsWrittenThroughTypeInfo_ServerReceivesThem()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket();
        var outgoing = new TaskCompletionSource<IReadOnlyList<object?>>(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.OnAnyOutgoing((_, args) => outgoing.TrySetResult(args));
        await socket.ConnectAsync();

        await socket.EmitAsync("message", w =>
        {
            w.WriteValue(new Reply("typed", 2), SocketTestJsonContext.Default.Reply);
            w.WriteValue(new byte[] { 4, 2 });
        });
        var reply = await socket.EmitWithAckAsync(
            "message-with-ack", w => w.WriteValue(new Reply("acked", 3), SocketTestJsonContext.Default.Reply), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("""[{"name":"typed","count":2},{"binary":[4,2]}]""", (await server.WaitForLineAsync("EVENT / message "))[3]);
        Assert.Equal(new Reply("acked", 3), reply.Get(0, SocketTestJsonContext.Default.Reply));
        var seen = await outgoing.Task.WaitAsync(SocketEvents.Patience);
        Assert.Equal(new byte[] { 4, 2 }, seen[1]);
    }

    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task EmitWithAckAsync_ServerNeverAcks_ThrowsAckTimeout(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket();
        await socket.ConnectAsync();

        var error = await Assert.ThrowsAsync<SocketIOAckTimeoutException>(
            () => socket.EmitWithAckAsync("silent", ["x"], TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Equal("silent", error.EventName);
        Assert.Equal(1, error.Tries);
        await server.WaitForLineAsync("EVENT / silent ");
    }

    [Fact]
    public async Task EmitWithAckAsync_BeforeConnect_SentOnConnectAndAcknowledged()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.Polling, output);
        var socket = manager.Socket("/custom");

        var pending = socket.EmitWithAckAsync("message-with-ack", "early", new byte[] { 1 });
        await socket.ConnectAsync();

        var reply = await pending.WaitAsync(SocketEvents.Patience);
        Assert.Equal(["early", new byte[] { 1 }], reply.ToValues());
    }

    [Fact]
    public async Task EmitWithAckAsync_TimesOutWhileBuffered_IsNeverSent()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output, o => o.TimeProvider = time);
        var socket = manager.Socket();

        var pending = socket.EmitWithAckAsync("message-with-ack", ["stale"], TimeSpan.FromSeconds(1), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<SocketIOAckTimeoutException>(() => pending);
        await socket.ConnectAsync();
        await socket.EmitAsync("message", "sentinel");

        // The first event the server sees is the sentinel: the timed-out emit left the buffer with its ack.
        Assert.Equal("""["sentinel"]""", (await server.WaitForLineAsync("EVENT / "))[3]);
    }

    [Fact]
    public async Task EmitWithAckAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket();
        await socket.ConnectAsync();
        using var cts = new CancellationTokenSource();

        var pending = socket.EmitWithAckAsync("silent", [], null, cts.Token);
        await server.WaitForLineAsync("EVENT / silent ");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task EmitWithAckAsync_ServerDisconnectsBeforeAck_ThrowsDisconnected()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket();
        await socket.ConnectAsync();

        var pending = socket.EmitWithAckAsync("silent");
        await socket.EmitAsync("disconnect-me");

        var error = await Assert.ThrowsAsync<SocketIODisconnectedException>(() => pending);
        Assert.Equal("io server disconnect", error.Reason);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task On_AsyncHandlerForServerAck_ReplyReachesServerWithBinary(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket();
        var events = new SocketEvents(socket, "answer", "answer-error");
        socket.On("question", async args =>
        {
            await Task.Yield();
            return (object?)new Dictionary<string, object?> { ["got"] = args.GetValue(0), ["bin"] = new byte[] { 9, 8 } };
        });
        await socket.ConnectAsync();

        await socket.EmitAsync("ask", "hello");

        var answer = Assert.IsType<Dictionary<string, object?>>((await events.NextAsync("answer"))[0]);
        Assert.Equal("hello", answer["got"]);
        Assert.Equal(new byte[] { 9, 8 }, answer["bin"]);
    }

    [Fact]
    public async Task On_AckCallbackHandler_SendsSeveralArguments()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket();
        var events = new SocketEvents(socket, "answer");
        var requested = false;
        socket.On("question", (args, ack) =>
        {
            requested = ack.IsRequested;
            _ = ack.SendAsync("a", 2, new byte[] { 1 });
            _ = ack.SendAsync("sent only once");
        });
        await socket.ConnectAsync();

        await socket.EmitAsync("ask");

        var answer = await events.NextAsync("answer");
        Assert.True(requested);
        Assert.Equal(["a", 2d, new byte[] { 1 }], answer);
    }

    [Fact]
    public async Task OnAnyAndOnce_SeveralEvents_SeeEachAsExpected()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.WebSocket, output);
        var socket = manager.Socket();
        var incoming = new List<string>();
        var outgoing = new List<string>();
        var onceCount = 0;
        var offCount = 0;
        var events = new SocketEvents(socket, "message-back");
        socket.OnAny((name, _) =>
        {
            lock (incoming)
            {
                incoming.Add(name);
            }
        });
        socket.OnAnyOutgoing((name, args) =>
        {
            lock (outgoing)
            {
                outgoing.Add($"{name}:{args.Count}");
            }
        });
        socket.Once("message-back", _ => Interlocked.Increment(ref onceCount));
        Action<SocketIOArguments> removed = _ => Interlocked.Increment(ref offCount);
        socket.On("message-back", removed);
        socket.Off("message-back", removed);
        await socket.ConnectAsync();

        await socket.EmitAsync("message", 1);
        await socket.EmitAsync("message", 2, 3);
        await events.NextAsync("message-back");
        await events.NextAsync("message-back");

        Assert.Equal(1, onceCount);
        Assert.Equal(0, offCount);
        lock (incoming)
        {
            Assert.Equal(["auth", "message-back", "message-back"], incoming);
        }

        lock (outgoing)
        {
            Assert.Equal(["message:1", "message:2"], outgoing);
        }
    }

    [Fact]
    public async Task EmitAsync_ManyConcurrentBinaryEmits_ArriveWhole()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.Upgrade, output);
        var socket = manager.Socket();
        var received = new System.Collections.Concurrent.ConcurrentDictionary<int, byte[]>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int count = 60;
        socket.On("message-back", args =>
        {
            var index = (int)(double)args.GetValue(0)!;
            received[index] = (byte[])args.GetValue(1)!;
            if (received.Count == count)
            {
                all.TrySetResult();
            }
        });
        await socket.ConnectAsync();

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => socket.EmitAsync("message", i, new byte[] { (byte)i, (byte)(i * 2) }))));

        await all.Task.WaitAsync(SocketEvents.Patience);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(new byte[] { (byte)i, (byte)(i * 2) }, received[i]);
        }
    }

    [Fact]
    public async Task EmitAsync_WhileDisconnected_BufferedAndFlushedInOrderOnConnect()
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(TransportMode.Polling, output);
        var socket = manager.Socket("/", new SocketIOSocketOptions { MaxBufferedPackets = 2 });

        await socket.EmitAsync("message", "first");
        await socket.EmitAsync("message", "second", new byte[] { 2 });
        var overflow = await Assert.ThrowsAsync<SocketIOBufferFullException>(() => socket.EmitAsync("message", "third"));
        Assert.False(await socket.EmitVolatileAsync("message", "volatile"));
        await socket.ConnectAsync();

        Assert.Equal(2, overflow.Capacity);
        Assert.Equal("""["first"]""", (await server.WaitForLineAsync("EVENT / message "))[3]);
        Assert.Equal("""["second",{"binary":[2]}]""", (await server.WaitForLineAsync("EVENT / message "))[3]);
        Assert.True(await socket.EmitVolatileAsync("message", "volatile"));
        Assert.Equal("""["volatile"]""", (await server.WaitForLineAsync("EVENT / message "))[3]);
    }
}
