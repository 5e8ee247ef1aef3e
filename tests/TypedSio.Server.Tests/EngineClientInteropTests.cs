using System.Text.Json;
using TypedSio.Server.EngineIO;
using TypedSio.Server.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Server.Tests;

/// <summary>The official engine.io-client (tests/js/server-interop-engine-client.mjs) against this server.</summary>
public class EngineClientInteropTests
{
    /// <summary>Whether the servers of these tests serve WebSockets below ASP.NET Core (<c>UseEngineIOWebSockets</c>).</summary>
    protected virtual bool ConnectionLevel => false;

    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EngineClient_PollingThenUpgrade_EchoesOverWebSocket()
    {
        await using var server = await StartServerAsync();
        await using var node = await StartClientAsync(server, new { path = "/engine.io/" });

        await Expect(node, "OPEN polling");
        await Expect(node, "UPGRADE websocket");
        await node.SendLineAsync("text " + JsonSerializer.Serialize("after upgrade"));
        await ExpectText(node, "after upgrade");
        Assert.Equal(ConnectionLevel ? 1 : 0, server.Server.ConnectionLevelSockets);
        await node.SendLineAsync("close");
        await Expect(node, "CLOSE forced close");
    }

    [Fact]
    public async Task EngineClient_WebSocketOnly_EchoesTextAndBinary()
    {
        await using var server = await StartServerAsync();
        await using var node = await StartClientAsync(server, new { path = "/engine.io/", transports = new[] { "websocket" } });

        await Expect(node, "OPEN websocket");
        await node.SendLineAsync("text " + JsonSerializer.Serialize("héllo 😀"));
        await node.SendLineAsync("binary AAEC/w==");
        await ExpectText(node, "héllo 😀");
        await Expect(node, "MESSAGE binary AAEC/w==");
        Assert.Equal(ConnectionLevel ? 1 : 0, server.Server.ConnectionLevelSockets);
    }

    [Fact]
    public async Task EngineClient_PollingOnly_EchoesMultiByteTextAndBinary()
    {
        await using var server = await StartServerAsync();
        await using var node = await StartClientAsync(server, new { path = "/engine.io/", transports = new[] { "polling" } });
        var text = "ünïcødé ✓ 😀 end";

        await Expect(node, "OPEN polling");
        await node.SendLineAsync("text " + JsonSerializer.Serialize(text));
        await node.SendLineAsync("binary AAEC/w==");
        await ExpectText(node, text);
        await Expect(node, "MESSAGE binary AAEC/w==");
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task EngineClient_Burst_EchoedInOrder(string transport)
    {
        await using var server = await StartServerAsync();
        await using var node = await StartClientAsync(server, new { path = "/engine.io/", transports = new[] { transport } });
        await Expect(node, "OPEN " + transport);

        await node.SendLineAsync("burst 200");

        for (var i = 0; i < 200; i++)
        {
            await ExpectText(node, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task EngineClient_BurstDuringUpgrade_EchoedInOrderAcrossTheSwitch()
    {
        await using var server = await StartServerAsync();
        await using var node = await StartClientAsync(server, new { path = "/engine.io/" });
        await Expect(node, "OPEN polling");

        await node.SendLineAsync("burst 300");

        var expected = 0;
        while (expected < 300)
        {
            var line = await node.WaitForLineAsync(l => l.StartsWith("MESSAGE", StringComparison.Ordinal) || l.StartsWith("CLOSE", StringComparison.Ordinal) || l.StartsWith("ERROR", StringComparison.Ordinal), LineTimeout);
            Assert.Equal("MESSAGE text " + JsonSerializer.Serialize(expected.ToString(System.Globalization.CultureInfo.InvariantCulture)), line);
            expected++;
        }

        if (!node.Output.Contains("UPGRADE websocket"))
        {
            await node.WaitForLineAsync(l => l == "UPGRADE websocket", LineTimeout);
        }
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task EngineClient_MessageNearMaxPayload_Echoed(string transport)
    {
        // Default heartbeat: a megabyte each way takes longer than the conformance settings' 500 ms budget on a busy machine.
        await using var server = await EngineIOTestServer.StartEchoAsync(o => o.MaxHttpBufferSize = 1_000_000);
        await using var node = await StartClientAsync(server, new { path = "/engine.io/", transports = new[] { transport } });
        await Expect(node, "OPEN " + transport);
        var large = new string('L', 999_000);

        await node.SendLineAsync("text " + JsonSerializer.Serialize(large));

        await ExpectText(node, large);
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task EngineClient_StopsAnsweringPings_ServerClosesWithPingTimeout(string transport)
    {
        IEngineIOConnection? connection = null;
        var connected = new TaskCompletionSource<IEngineIOConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The client gives up pingInterval + pingTimeout after the last ping, the server pingTimeout after it: a long
        // interval and a short timeout make the server's verdict come first by a wide margin.
        await using var server = await EngineIOTestServer.StartAsync(
            o =>
            {
                o.PingInterval = TimeSpan.FromSeconds(2);
                o.PingTimeout = TimeSpan.FromSeconds(1);
            },
            handler: async c =>
            {
                connected.TrySetResult(c);
                await c.Closed;
            },
            connectionLevel: ConnectionLevel);
        await using var node = await StartClientAsync(server, new { path = "/engine.io/", transports = new[] { transport } });
        await Expect(node, "OPEN " + transport);
        connection = await connected.Task.WaitAsync(LineTimeout);

        await node.SendLineAsync("mute-pong");
        await Expect(node, "MUTED");

        Assert.Equal(EngineIOCloseReason.PingTimeout, await connection.Closed.WaitAsync(LineTimeout));
        await Expect(node, "CLOSE transport close");
    }

    private static void Configure(EngineIOServerOptions o)
    {
        // Frequent pings so every scenario crosses several heartbeats, but a pong deadline a loaded CI machine can meet.
        o.PingInterval = TimeSpan.FromMilliseconds(300);
        o.PingTimeout = TimeSpan.FromSeconds(3);
        o.MaxHttpBufferSize = 1_000_000;
    }

    private Task<EngineIOTestServer> StartServerAsync() => EngineIOTestServer.StartEchoAsync(Configure, connectionLevel: ConnectionLevel);

    private static Task<NodeProcess> StartClientAsync(EngineIOTestServer server, object options) =>
        NodeProcess.StartAsync("server-interop-engine-client.mjs", [server.HttpBase, JsonSerializer.Serialize(options)]);

    private static Task<string> Expect(NodeProcess node, string line) =>
        node.WaitForLineAsync(l => l == line || l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("CLOSE", StringComparison.Ordinal), LineTimeout)
            .ContinueWith(t =>
            {
                var got = t.Result;
                Assert.True(got == line, $"expected '{Shorten(line)}', got '{Shorten(got)}'");
                return got;
            }, TaskScheduler.Default);

    private static async Task ExpectText(NodeProcess node, string text)
    {
        var line = await node.WaitForLineAsync(l => l.StartsWith("MESSAGE", StringComparison.Ordinal) || l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("CLOSE", StringComparison.Ordinal), LineTimeout);
        const string prefix = "MESSAGE text ";
        Assert.True(line.StartsWith(prefix, StringComparison.Ordinal), $"expected a text message, got '{Shorten(line)}'");
        var received = JsonSerializer.Deserialize<string>(line[prefix.Length..]);
        Assert.True(received == text, $"expected text '{Shorten(text)}', got '{Shorten(received ?? "")}'");
    }

    private static string Shorten(string s) => s.Length > 200 ? s[..200] + "…" : s;
}

/// <summary>The official engine.io-client against the connection-level WebSocket path.</summary>
public sealed class ConnectionLevelEngineClientInteropTests : EngineClientInteropTests
{
    protected override bool ConnectionLevel => true;
}
