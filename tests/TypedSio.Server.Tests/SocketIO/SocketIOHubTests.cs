using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TypedSio.Hubs;
using TypedSio.Server.Hubs;
using TypedSio.Server.SocketIO;

namespace TypedSio.Server.Tests.SocketIO;

public interface IRoomServer
{
    Task Join(string room);

    Task<int> Add(int a, int b);

    Task Say(string room, string text);
}

public interface IRoomClient
{
    Task Said(string text);
}

public sealed class HubJournal
{
    public ConcurrentQueue<string> Entries { get; } = new();
}

public sealed partial class RoomHub(SocketIOSocket socket, HubJournal journal) : SocketHub<IRoomClient>, IRoomServer
{
    public Task Join(string room) => socket.JoinAsync(room);

    public Task<int> Add(int a, int b) => Task.FromResult(a + b);

    public Task Say(string room, string text) => Clients.Room(room).Said(text);

    public override Task OnConnectedAsync(CancellationToken cancellationToken)
    {
        journal.Entries.Enqueue("connected " + socket.Id);
        return Clients.Caller.Said("welcome");
    }

    public override Task OnDisconnectedAsync(string reason)
    {
        journal.Entries.Enqueue("disconnected " + reason);
        return Task.CompletedTask;
    }
}

/// <summary>Typed hubs hosted with MapHub: generated dispatch, targets, DI and lifetime hooks.</summary>
public sealed class SocketIOHubTests
{
    private static Task<SocketIOTestServer> StartAsync(HubJournal journal) =>
        SocketIOTestServer.StartAsync(b => b.MapHub<RoomHub>("/rooms"), services: s => s.AddSingleton(journal));

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task MapHub_EventsDispatchedAndAcked_HooksRun(string transport)
    {
        var journal = new HubJournal();
        await using var server = await StartAsync(journal);
        await using var client = await RawSocketIOClient.OpenAsync(server, transport);
        var id = await client.ConnectNamespaceAsync("/rooms");

        Assert.Equal("2/rooms,[\"said\",\"welcome\"]", await client.ReceiveAsync());
        await client.SendAsync("2/rooms,5[\"add\",2,40]");
        Assert.Equal("3/rooms,5[42]", await client.ReceiveAsync());
        await client.SendAsync("1/rooms,");

        await WaitForAsync(() => journal.Entries.Count == 2);
        Assert.Equal(["connected " + id, "disconnected client namespace disconnect"], journal.Entries);
    }

    [Fact]
    public async Task MapHub_RoomBroadcast_ReachesMembers()
    {
        var journal = new HubJournal();
        await using var server = await StartAsync(journal);
        await using var a = await RawSocketIOClient.OpenAsync(server, "websocket");
        await using var b = await RawSocketIOClient.OpenAsync(server, "polling");
        await a.ConnectNamespaceAsync("/rooms");
        await b.ConnectNamespaceAsync("/rooms");
        await a.ReceiveAsync();
        await b.ReceiveAsync();

        // A method returning Task sends no acknowledgement; the "add" answered after it shows the join was handled.
        await b.SendAsync("2/rooms,[\"join\",\"r\"]");
        await b.SendAsync("2/rooms,1[\"add\",1,1]");
        Assert.Equal("3/rooms,1[2]", await b.ReceiveAsync());
        await a.SendAsync("2/rooms,[\"say\",\"r\",\"hi r\"]");

        Assert.Equal("2/rooms,[\"said\",\"hi r\"]", await b.ReceiveAsync());
        Assert.True(await a.IsSilentAsync(TimeSpan.FromMilliseconds(300)));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(SocketIOTestServer.Timeout);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}

/// <summary>The official socket.io-client calling a typed hub.</summary>
public sealed class SocketIOHubInteropTests
{
    [Fact]
    public async Task JsClient_CallsHubWithAck_AndReceivesRoomBroadcast()
    {
        await using var server = await SocketIOTestServer.StartAsync(b => b.MapHub<RoomHub>("/rooms"), services: s => s.AddSingleton(new HubJournal()));
        await using var node = await TypedSio.Testing.NodeProcess.StartAsync("server-socket-client.mjs", [server.HttpBase]);
        var timeout = TimeSpan.FromSeconds(30);

        await node.SendLineAsync("connect a /rooms {}");
        Assert.Equal("EVENT a said [\"welcome\"]", await node.WaitForLineAsync(l => l.StartsWith("EVENT a said", StringComparison.Ordinal) || l.StartsWith("ERROR", StringComparison.Ordinal), timeout));
        await node.SendLineAsync("emitack a 20000 add [20,22]");
        Assert.Equal("ACK a add [42]", await node.WaitForLineAsync(l => l.StartsWith("ACK", StringComparison.Ordinal) || l.StartsWith("ERROR", StringComparison.Ordinal), timeout));
        await node.SendLineAsync("emit a join [\"r\"]");
        await node.SendLineAsync("emit a say [\"r\",\"to myself\"]");

        Assert.Equal("EVENT a said [\"to myself\"]", await node.WaitForLineAsync(l => l.StartsWith("EVENT a said", StringComparison.Ordinal) || l.StartsWith("ERROR", StringComparison.Ordinal), timeout));
    }
}
