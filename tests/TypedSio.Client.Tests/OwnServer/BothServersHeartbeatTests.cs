using System.Net;
using TypedSio.Client.Tests.SocketIO;
using TypedSio.Client.Tests.Support;

namespace TypedSio.Client.Tests.OwnServer;

/// <summary>Ping timeout detection against both servers: traffic stalls in a proxy, as on a dead network path.</summary>
public sealed class BothServersHeartbeatTests
{
    public static TheoryData<ServerKind> Kinds => [ServerKind.Node, ServerKind.TypedSio];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StalledConnection_NoPingInTime_DisconnectsWithPingTimeoutAndReconnects(ServerKind kind)
    {
        // The test is about the heartbeat deadline, so the heartbeat is short; every wait on events stays generous.
        await using var server = await ISocketTestServer.StartAsync(kind, heartbeat: (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        await using var proxy = new TestHttpProxy();
        await using var manager = server.CreateManager(TransportMode.WebSocket, options =>
            options.ConfigureEngine = engine => engine.Proxy = new WebProxy(proxy.Uri));
        var socket = manager.Socket();
        var events = new SocketEvents(socket);
        await socket.ConnectAsync();
        await events.ConnectedAsync();

        proxy.Pause();
        var disconnected = await events.DisconnectedAsync();
        proxy.Resume();

        Assert.Equal("ping timeout", disconnected.Reason);
        Assert.True(disconnected.WillReconnect);
        await events.ConnectedAsync();
        Assert.True(socket.IsConnected);
        Assert.Equal("still here", (await socket.EmitWithAckAsync("message-with-ack", "still here")).GetValue(0));
    }
}
