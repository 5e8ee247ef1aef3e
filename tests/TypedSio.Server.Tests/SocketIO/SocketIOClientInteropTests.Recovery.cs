using TypedSio.Server.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Server.Tests.SocketIO;

public partial class SocketIOClientInteropTests
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task JsClient_StopsAnsweringPings_ServerClosesWithPingTimeoutAndClientReconnects(string transport)
    {
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var firstGone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A long interval and a short pong deadline: the server's verdict comes well before the client's own watchdog.
        await using var server = await StartServerAsync(
            b => b.Of("/", n => n.OnConnection(s => s.Disconnected += (_, e) =>
            {
                reasons.Enqueue(e.Description);
                firstGone.TrySetResult(e.Description);
            })),
            engine: o =>
            {
                o.PingInterval = TimeSpan.FromSeconds(2);
                o.PingTimeout = TimeSpan.FromSeconds(1);
            });
        await using var node = await StartNodeAsync(server);
        await node.SendLineAsync($"connect a / {{\"transports\":[\"{transport}\"],\"reconnectionDelay\":100,\"reconnectionDelayMax\":200}}");
        var first = await ExpectPrefixAsync(node, "CONNECT a ");

        await node.SendLineAsync("mute-pong a");
        await ExpectAsync(node, "MUTED a");

        Assert.Equal("ping timeout", await firstGone.Task.WaitAsync(LineTimeout));
        await ExpectPrefixAsync(node, "DISCONNECT a ");
        var second = await ExpectPrefixAsync(node, "CONNECT a ");
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task JsClient_ShortDisconnection_RecoversIdRoomsDataAndMissedEvents(string transport)
    {
        var gone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recovered = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartServerAsync(
            b => b.Of("/", n => n.OnConnection(async s =>
            {
                if (s.Recovered)
                {
                    recovered.TrySetResult(s);
                    return;
                }

                s.Data["user"] = "ann";
                await s.JoinAsync("room");
                s.Disconnected += (_, e) => gone.TrySetResult(e.Description);
            })),
            configure: o => o.ConnectionStateRecovery = new SocketIOConnectionStateRecovery { MaxDisconnectionDuration = TimeSpan.FromMinutes(1) },
            engine: Configure);
        await using var node = await StartNodeAsync(server);
        await node.SendLineAsync($"connect a / {{\"transports\":[\"{transport}\"],\"reconnectionDelay\":1500,\"reconnectionDelayMax\":1500,\"randomizationFactor\":0}}");
        var first = await ExpectPrefixAsync(node, "CONNECT a ");
        await server.Main.To("room").EmitAsync("news", "before");
        // Like the reference, the offset rides along as the last argument and the client sees it.
        await ExpectPrefixAsync(node, "EVENT a news [\"before\",\"");

        await node.SendLineAsync("close-engine a");
        Assert.Equal("transport close", await gone.Task.WaitAsync(LineTimeout));
        await server.Main.To("room").EmitAsync("news", "missed");

        var second = await ExpectPrefixAsync(node, "CONNECT a ");
        Assert.Equal(first.Split(' ')[2] + " true", second["CONNECT a ".Length..]);
        await ExpectPrefixAsync(node, "EVENT a news [\"missed\",\"");
        var socket = await recovered.Task.WaitAsync(LineTimeout);
        Assert.Equal("ann", socket.Data["user"]);
        Assert.Contains("room", socket.Rooms);
    }
}
