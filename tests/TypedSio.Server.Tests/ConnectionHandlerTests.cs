using System.Diagnostics.Metrics;
using TypedSio.Server.EngineIO;
using TypedSio.Server.Tests.Support;

namespace TypedSio.Server.Tests;

public sealed class ConnectionHandlerTests
{
    [Fact]
    public async Task Handler_Returns_ConnectionClosedWithForcedClose()
    {
        await using var server = await EngineIOTestServer.StartAsync(handler: _ => Task.CompletedTask);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        // "1" when the poll was already held as the handler returned; noop + close on a poll of its own otherwise.
        Assert.Contains(await client.PollAsync(), new[] { "1", "6" + PollingClient.RecordSeparator + "1" });
        Assert.Equal(EngineIOCloseReason.ForcedClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task Handler_Throws_ConnectionClosedAndServerKeepsServing()
    {
        await using var server = await EngineIOTestServer.StartAsync(handler: _ => throw new InvalidOperationException("boom"));
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        Assert.Contains(await client.PollAsync(), new[] { "1", "6" + PollingClient.RecordSeparator + "1" });
        Assert.Equal(EngineIOCloseReason.ForcedClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
        await new PollingClient(server).HandshakeAsync();
    }

    [Fact]
    public async Task GenerateId_Set_UsedAsSid()
    {
        var next = 0;
        await using var server = await EngineIOTestServer.StartAsync(o => o.GenerateId = _ => "custom-" + Interlocked.Increment(ref next));

        var body = await new PollingClient(server).HandshakeAsync();

        Assert.StartsWith("0{\"sid\":\"custom-1\"", body, StringComparison.Ordinal);
        Assert.Equal("custom-1", (await server.NextConnectionAsync()).Id);
    }

    [Fact]
    public async Task Server_TracksOpenConnections()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        Assert.Equal(1, server.Server.ClientsCount);
        Assert.Same(connection, server.Server.GetConnection(client.Sid));
        Assert.Same(connection, Assert.Single(server.Server.Connections));

        await client.PostAsync("1");
        await connection.Closed.WaitAsync(EngineIOTestServer.Timeout);
        Assert.Equal(0, server.Server.ClientsCount);
        Assert.Null(server.Server.GetConnection(client.Sid));
    }

    [Fact]
    public async Task Metrics_ConnectionAndMessages_Recorded()
    {
        var measurements = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "TypedSio.Engine")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        // Other tests' servers publish on the same meter name in parallel; only increments are summed so their closes
        // (decrements of connections opened before this listener started) cannot cancel this test's opening.
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (value > 0)
            {
                measurements.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
            }
        });
        listener.Start();
        await using var server = await EngineIOTestServer.StartEchoAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();

        await client.PostAsync("4ping me");
        Assert.Equal("4ping me", await client.PollAsync());

        Assert.True(measurements.GetValueOrDefault("typedsio.engine.connections") >= 1);
        Assert.True(measurements.GetValueOrDefault("typedsio.engine.packets_received") >= 1);
        Assert.True(measurements.GetValueOrDefault("typedsio.engine.messages_sent") >= 1);
        Assert.True(measurements.GetValueOrDefault("typedsio.engine.bytes_received") >= 8);
        Assert.True(measurements.GetValueOrDefault("typedsio.engine.bytes_sent") >= 8);
    }
}
