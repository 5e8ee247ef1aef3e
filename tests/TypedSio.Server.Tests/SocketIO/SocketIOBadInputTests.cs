using System.Text.Json;
using TypedSio.Server.SocketIO;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>Hostile or broken clients: each loses its own connection, the server and other sessions carry on.</summary>
public sealed class SocketIOBadInputTests
{
    private static Task<SocketIOTestServer> StartAsync(Action<SocketIOSocket>? onConnection = null) =>
        SocketIOTestServer.StartAsync(
            b => b.Of("/", n => n.OnConnection(s =>
            {
                s.On("echo", e => e.AckAsync(e.Arguments.ToValues()));
                onConnection?.Invoke(s);
            })),
            engine: o => o.MaxHttpBufferSize = 10_000);

    [Fact]
    public async Task OversizePacket_OverWebSocket_ClosesThatConnectionOnly()
    {
        await using var server = await StartAsync();
        var (bad, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = bad;
        var (good, _) = await RawSocketIOClient.ConnectAsync(server, "polling");
        await using var __ = good;

        await bad.SendAsync("2[\"echo\",\"" + new string('x', 20_000) + "\"]");

        await bad.ExpectClosedAsync();
        await AssertAliveAsync(good);
    }

    [Fact]
    public async Task OversizePacket_OverPolling_RefusedAndSessionStaysUsable()
    {
        await using var server = await StartAsync();
        var (client, _) = await RawSocketIOClient.ConnectAsync(server, "polling");
        await using var _ = client;

        // The engine answers 413 to the POST (as the reference does) and keeps the session.
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync("2[\"echo\",\"" + new string('x', 20_000) + "\"]"));

        await AssertAliveAsync(client);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task AttachmentWithoutBinaryPacket_Closes(string transport)
    {
        await using var server = await StartAsync();
        var (bad, _) = await RawSocketIOClient.ConnectAsync(server, transport);
        await using var _ = bad;

        await bad.SendBinaryAsync([1, 2, 3]);

        await bad.ExpectClosedAsync();
    }

    [Fact]
    public async Task TextWhileAwaitingAttachments_Closes()
    {
        await using var server = await StartAsync();
        var (bad, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var _ = bad;

        await bad.SendAsync("51-[\"echo\",{\"_placeholder\":true,\"num\":0}]");
        await bad.SendAsync("2[\"echo\"]");

        await bad.ExpectClosedAsync();
    }

    [Fact]
    public async Task AbruptTcpReset_SocketLeaves_OthersUnaffected()
    {
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        await using var server = await StartAsync(s =>
        {
            if (first)
            {
                first = false;
                s.Disconnected += (_, e) => reason.TrySetResult(e.Description);
            }
        });
        var (bad, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        var (good, _) = await RawSocketIOClient.ConnectAsync(server, "websocket");
        await using var __ = good;

        bad.Abort();

        Assert.Contains(await reason.Task.WaitAsync(SocketIOTestServer.Timeout), new[] { "transport close", "transport error" });
        await AssertAliveAsync(good);
        await bad.DisposeAsync();
    }

    [Fact]
    public async Task ClientThatNeverPolls_OutboundQueueFills_DisconnectedAsSlowConsumer()
    {
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await SocketIOTestServer.StartAsync(
            b => b.Of("/", n => n.OnConnection(s =>
            {
                s.Disconnected += (_, e) => reason.TrySetResult(e.Description);
                connected.TrySetResult(s);
            })),
            engine: o => o.MaxBufferedPackets = 8);
        var body = await server.Http.GetStringAsync(server.Url("EIO=4&transport=polling"));
        var sid = JsonDocument.Parse(body[1..]).RootElement.GetProperty("sid").GetString();
        using var connect = new StringContent("40", System.Text.Encoding.UTF8, "text/plain");
        using var posted = await server.Http.PostAsync(server.Url($"EIO=4&transport=polling&sid={sid}"), connect);
        posted.EnsureSuccessStatusCode();
        var socket = await connected.Task.WaitAsync(SocketIOTestServer.Timeout);

        for (var i = 0; i < 20 && socket.Connected; i++)
        {
            await socket.EmitAsync("flood", i);
        }

        Assert.Equal("slow consumer", await reason.Task.WaitAsync(SocketIOTestServer.Timeout));
    }

    private static async Task AssertAliveAsync(RawSocketIOClient client)
    {
        await client.SendAsync("21[\"echo\",\"ok\"]");
        Assert.Equal("31[\"ok\"]", await client.ReceiveAsync());
    }
}
