using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TypedSio.Server.SocketIO;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>Connection state recovery on the wire (with a fake clock for expiry), and the Socket.IO meter.</summary>
public sealed class SocketIORecoveryTests
{
    private static async Task<(RawSocketIOClient Client, string Sid, string Pid, string Offset)> ConnectAndReceiveAsync(SocketIOTestServer server)
    {
        var client = await RawSocketIOClient.OpenAsync(server, "websocket");
        await client.SendAsync("0");
        var reply = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement;
        await server.Main.EmitAsync("news", "first");
        var news = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement;
        Assert.Equal("first", news[1].GetString());
        return (client, reply.GetProperty("sid").GetString()!, reply.GetProperty("pid").GetString()!, news[2].GetString()!);
    }

    [Fact]
    public async Task Reconnect_WithinTheWindow_SameSidAndMissedPackets()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SocketIOTestServer.StartAsync(
            configure: o => o.ConnectionStateRecovery = new SocketIOConnectionStateRecovery { MaxDisconnectionDuration = TimeSpan.FromSeconds(10) },
            time: time);
        var (client, sid, pid, offset) = await ConnectAndReceiveAsync(server);
        await client.DisposeAsync();
        await SocketIOTestServer.WaitUntilAsync(() => server.Main.Sockets.Count == 0);
        await server.Main.EmitAsync("news", "missed");
        time.Advance(TimeSpan.FromSeconds(9));

        await using var again = await RawSocketIOClient.OpenAsync(server, "websocket");
        await again.SendAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");

        Assert.Equal($"0{{\"sid\":\"{sid}\",\"pid\":\"{pid}\"}}", await again.ReceiveAsync());
        Assert.StartsWith("2[\"news\",\"missed\",\"", await again.ReceiveAsync(), StringComparison.Ordinal);
        Assert.True(server.Main.Sockets[sid].Recovered);
    }

    [Fact]
    public async Task Reconnect_AfterTheWindow_NewSession()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SocketIOTestServer.StartAsync(
            configure: o => o.ConnectionStateRecovery = new SocketIOConnectionStateRecovery { MaxDisconnectionDuration = TimeSpan.FromSeconds(10) },
            time: time);
        var (client, sid, pid, offset) = await ConnectAndReceiveAsync(server);
        await client.DisposeAsync();
        await SocketIOTestServer.WaitUntilAsync(() => server.Main.Sockets.Count == 0);
        time.Advance(TimeSpan.FromSeconds(11));

        await using var again = await RawSocketIOClient.OpenAsync(server, "websocket");
        await again.SendAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        var reply = JsonDocument.Parse((await again.ReceiveAsync())[1..]).RootElement;

        Assert.NotEqual(sid, reply.GetProperty("sid").GetString());
        Assert.NotEqual(pid, reply.GetProperty("pid").GetString());
    }

    [Fact]
    public async Task ClientNamespaceDisconnect_SessionNotKept()
    {
        await using var server = await SocketIOTestServer.StartAsync(configure: o => o.ConnectionStateRecovery = new SocketIOConnectionStateRecovery());
        var (client, sid, pid, offset) = await ConnectAndReceiveAsync(server);
        await using var _ = client;

        await client.SendAsync("1");
        await SocketIOTestServer.WaitUntilAsync(() => server.Main.Sockets.Count == 0);
        await client.SendAsync($"0{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        var reply = JsonDocument.Parse((await client.ReceiveAsync())[1..]).RootElement;

        Assert.NotEqual(sid, reply.GetProperty("sid").GetString());
    }

    [Fact]
    public async Task Meter_CountsSocketsPerNamespace()
    {
        const string Nsp = "/metered";
        long sockets = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "TypedSio.SocketIO" && instrument.Name == "typedsio.socketio.sockets")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "namespace" && (string?)tag.Value == Nsp)
                {
                    Interlocked.Add(ref sockets, value);
                }
            }
        });
        listener.Start();
        await using var server = await SocketIOTestServer.StartAsync(b => b.Of(Nsp, _ => { }));
        await using var client = await RawSocketIOClient.OpenAsync(server, "websocket");

        await client.ConnectNamespaceAsync(Nsp);
        Assert.Equal(1, Interlocked.Read(ref sockets));
        await client.SendAsync($"1{Nsp},");
        await SocketIOTestServer.WaitUntilAsync(() => Interlocked.Read(ref sockets) == 0);
    }
}
