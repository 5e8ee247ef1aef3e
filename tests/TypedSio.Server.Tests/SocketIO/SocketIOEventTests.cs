using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>Events, acknowledgements, binary and server-initiated disconnection on the wire.</summary>
public sealed class SocketIOEventTests
{
    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task Event_WithAck_HandlerRepliesWithArguments(string transport)
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s =>
            s.On("sum", e => e.AckAsync(e.Arguments.Get(0, SocketIOTestJson.Int) + e.Arguments.Get(1, SocketIOTestJson.Int), "ü")))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, transport);
        await using var _ = client;

        await client.SendAsync("212[\"sum\",2,3]");

        Assert.Equal("312[5,\"ü\"]", await client.ReceiveAsync());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(12)] // enough names for the handler map to index them
    public async Task ManyHandlers_EachEventRunsItsOwnInOrder_AndAnUnsubscribedOneNoLonger(int events)
    {
        var calls = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s =>
        {
            for (var i = 0; i < events; i++)
            {
                var name = "e" + i;
                s.On(name, _ => calls.Enqueue(name + ":first"));
                var second = s.On(name, _ => calls.Enqueue(name + ":second"));
                s.On(name, e => e.AckAsync(string.Join(" ", calls.ToArray())));
                if (i == 1)
                {
                    second.Dispose();
                }
            }
        })));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = client;

        for (var i = 0; i < events; i++)
        {
            calls.Clear();
            await client.SendAsync($"2{i}[\"e{i}\"]");
            var expected = i == 1 ? "e1:first" : $"e{i}:first e{i}:second";
            Assert.Equal($"3{i}[\"{expected}\"]", await client.ReceiveAsync());
        }
    }

    [Fact]
    public async Task Event_CustomNamespace_AckCarriesNamespace()
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/chat", n => n.OnConnection(s => s.On("hi", e => e.AckAsync("yo")))));
        await using var client = await RawSocketIOClient.OpenAsync(server, "websocket");
        await client.ConnectNamespaceAsync("/chat");

        await client.SendAsync("2/chat,4[\"hi\"]");

        Assert.Equal("3/chat,4[\"yo\"]", await client.ReceiveAsync());
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task BinaryEvent_FromClient_HandlerGetsBytes_AndBinaryAckGoesBack(string transport)
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s =>
            s.On("up", e => e.AckAsync(((Dictionary<string, object?>)e.Arguments.GetValue(0)!)["file"])))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, transport);
        await using var _ = client;

        await client.SendAsync("51-3[\"up\",{\"file\":{\"_placeholder\":true,\"num\":0}}]");
        await client.SendBinaryAsync([1, 2, 255]);

        Assert.Equal("61-3[{\"_placeholder\":true,\"num\":0}]", await client.ReceiveAsync());
        Assert.Equal("b:AQL/", await client.ReceiveAsync());
    }

    [Fact]
    public async Task EmitWithAck_ClientReplies_ReturnsArguments()
    {
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => connected.TrySetResult(s))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = client;
        var socket = await connected.Task.WaitAsync(SocketIOTestServer.Timeout);

        var pending = socket.EmitWithAckAsync("question", ["?"], TimeSpan.FromSeconds(30));
        var sent = await client.ReceiveAsync();
        Assert.Matches("^2(\\d+)\\[\"question\",\"\\?\"\\]$", sent);
        var id = sent[1..sent.IndexOf('[', StringComparison.Ordinal)];
        await client.SendAsync($"3{id}[42]");

        var reply = await pending.WaitAsync(SocketIOTestServer.Timeout);
        Assert.Equal(42, reply.Get(0, SocketIOTestJson.Int));
    }

    [Fact]
    public async Task EmitWithAck_NoReply_TimesOutAtTheDeadline()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => connected.TrySetResult(s))), time: time);
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = client;
        var socket = await connected.Task.WaitAsync(SocketIOTestServer.Timeout);

        var pending = socket.EmitWithAckAsync("question", [], TimeSpan.FromSeconds(2));
        await client.ReceiveAsync();
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => pending.WaitAsync(SocketIOTestServer.Timeout));
        Assert.Equal("operation has timed out", error.Message);
    }

    [Fact]
    public async Task Emit_Binary_SentAsPlaceholderThenAttachment()
    {
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => connected.TrySetResult(s))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "polling");
        await using var _ = client;
        var socket = await connected.Task.WaitAsync(SocketIOTestServer.Timeout);

        await socket.EmitAsync("file", new byte[] { 9, 8 }, "x");

        Assert.Equal("51-[\"file\",{\"_placeholder\":true,\"num\":0},\"x\"]", await client.ReceiveAsync());
        Assert.Equal("b:CQg=", await client.ReceiveAsync());
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task ServerDisconnect_SendsDisconnect_ConnectionStaysOpen(string transport)
    {
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s =>
        {
            s.Disconnected += (_, e) => reason.TrySetResult(e.Description);
            s.On("bye", _ => s.DisconnectAsync());
        })));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, transport);
        await using var _ = client;

        await client.SendAsync("2[\"bye\"]");

        Assert.Equal("1", await client.ReceiveAsync());
        Assert.Equal("server namespace disconnect", await reason.Task.WaitAsync(SocketIOTestServer.Timeout));
        await client.ConnectNamespaceAsync();
    }

    [Fact]
    public async Task ServerDisconnectWithClose_SendsDisconnectThenCloses()
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => s.On("bye", _ => s.DisconnectAsync(close: true)))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = client;

        await client.SendAsync("2[\"bye\"]");

        Assert.Equal("1", await client.ReceiveAsync());
        await client.ExpectClosedAsync();
    }

    [Fact]
    public async Task TransportClosed_SocketDisconnectedWithTransportClose()
    {
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s => s.Disconnected += (_, e) => reason.TrySetResult(e.Description))));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");

        await client.DisposeAsync();

        Assert.Equal("transport close", await reason.Task.WaitAsync(SocketIOTestServer.Timeout));
        Assert.Empty(server.Main.Sockets);
    }

    [Fact]
    public async Task OnAny_And_PacketMiddleware_SeeEventsFirst_AndCanDropThem()
    {
        var seen = new List<string>();
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s =>
        {
            s.Use(async (e, next) =>
            {
                if (e.Name != "blocked")
                {
                    await next();
                }
            });
            s.OnAny(e =>
            {
                lock (seen)
                {
                    seen.Add("any:" + e.Name);
                }

                return Task.CompletedTask;
            });
            s.On("ok", e => e.AckAsync());
            s.On("blocked", e => e.AckAsync());
        })));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = client;

        await client.SendAsync("21[\"blocked\"]");
        await client.SendAsync("22[\"ok\"]");

        Assert.Equal("32[]", await client.ReceiveAsync());
        lock (seen)
        {
            Assert.Equal(["any:ok"], seen);
        }
    }

    [Fact]
    public async Task HandlerThrows_ErrorRaised_SocketStaysConnected()
    {
        var error = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of("/", n => n.OnConnection(s =>
        {
            s.Error += (_, e) => error.TrySetResult(e);
            s.On("boom", _ => throw new InvalidOperationException("boom"));
            s.On("ok", e => e.AckAsync());
        })));
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = client;

        await client.SendAsync("2[\"boom\"]");
        Assert.Equal("boom", (await error.Task.WaitAsync(SocketIOTestServer.Timeout)).Message);
        await client.SendAsync("21[\"ok\"]");

        Assert.Equal("31[]", await client.ReceiveAsync());
    }
}

internal static class SocketIOTestJson
{
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<int> Int { get; } =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<int>)System.Text.Json.JsonSerializerOptions.Default.GetTypeInfo(typeof(int));

    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<string> String { get; } =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<string>)System.Text.Json.JsonSerializerOptions.Default.GetTypeInfo(typeof(string));
}
