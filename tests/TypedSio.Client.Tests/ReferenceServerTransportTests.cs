using System.Text;
using TypedSio.Client.Tests.Support;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests;

/// <summary>The client against the official engine.io server, over each transport mode.</summary>
public sealed class ReferenceServerTransportTests(ITestOutputHelper output)
{
    public static TheoryData<string> Modes => ["polling", "websocket", "upgrade"];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task OpenAsync_ReferenceServer_CompletesHandshake(string mode)
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var client = new EngineIOClient(Options(server, mode));

        await client.OpenAsync();

        Assert.Equal(EngineIOReadyState.Open, client.ReadyState);
        Assert.NotNull(client.Id);
        var connection = await server.WaitForLineAsync("CONNECTION ");
        Assert.Equal($"CONNECTION {client.Id} {(mode == "websocket" ? "websocket" : "polling")}", connection);
        Assert.Equal(TimeSpan.FromSeconds(25), client.Handshake!.PingInterval);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SendAsync_MultiByteText_IsEchoed(string mode)
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);
        await client.OpenAsync();
        const string text = "héllo wörld — 你好 🎉";

        await client.SendAsync(text);

        var echo = await events.NextMessageAsync();
        Assert.False(echo.IsBinary);
        Assert.Equal(text, echo.Text);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SendAsync_Binary_IsEchoed(string mode)
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);
        await client.OpenAsync();
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await client.SendAsync(data);

        var echo = await events.NextMessageAsync();
        Assert.True(echo.IsBinary);
        Assert.Null(echo.Text);
        Assert.Equal(data, echo.Data.ToArray());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SendAsync_LargeMessages_AreEchoedWhole(string mode)
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);
        await client.OpenAsync();
        var text = string.Concat(Enumerable.Repeat("0123456789abcdé€", 20_000));
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();

        await client.SendAsync(text);
        await client.SendAsync(data);

        Assert.Equal(text, (await events.NextMessageAsync()).Text);
        Assert.Equal(data, (await events.NextMessageAsync()).Data.ToArray());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SendAsync_ManyConcurrentCallers_AllMessagesArriveInOrderOfWriting(string mode)
    {
        // maxHttpBufferSize 1000 forces the polling writer to split the queue into payloads the server accepts.
        await using var server = await ReferenceServer.StartAsync(new() { ["maxHttpBufferSize"] = 1000 });
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);
        await client.OpenAsync();
        var messages = Enumerable.Range(0, 40).Select(i => $"{i:D3}:{new string('x', 150)}").ToArray();

        await Task.WhenAll(messages.Select(m => Task.Run(() => client.SendAsync(m))));

        var received = new List<string>();
        for (var i = 0; i < messages.Length; i++)
        {
            received.Add((await events.NextMessageAsync()).Text!);
        }

        Assert.Equal(messages.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        Assert.Equal(EngineIOReadyState.Open, client.ReadyState);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Heartbeat_ServerPingsOften_ClientAnswersAndSessionStaysOpen(string mode)
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["pingInterval"] = 100, ["pingTimeout"] = 1000 });
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);
        await client.OpenAsync();

        // The server sends its next ping only after the pong to the last one, so five pings prove four pongs.
        await events.HeartbeatsAsync(5);

        Assert.Equal(EngineIOReadyState.Open, client.ReadyState);
        Assert.False(events.HasClosed);
        Assert.DoesNotContain(server.Node.Output, line => line.StartsWith("CLOSE ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task CloseAsync_OpenSession_ServerSeesCloseAndClientReportsForcedClose(string mode)
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);
        await client.OpenAsync();
        if (mode == "upgrade")
        {
            await events.Upgraded;
        }

        await client.CloseAsync();

        var closed = await events.Closed;
        Assert.Equal("forced close", closed.Reason);
        Assert.Null(closed.Exception);
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
        Assert.StartsWith($"CLOSE {client.Id} ", await server.WaitForLineAsync("CLOSE "), StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendAsync("too late"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task OpenAsync_ServerSendsOnConnection_MessageArrives(string mode)
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["greet"] = "welcome ✓" });
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);

        await client.OpenAsync();

        Assert.Equal("welcome ✓", (await events.NextMessageAsync()).Text);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Closed_ServerClosesSession_ReportsTransportClose(string mode)
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var client = new EngineIOClient(Options(server, mode));
        var events = new ClientEvents(client);
        await client.OpenAsync();
        if (mode == "upgrade")
        {
            await server.WaitForLineAsync("UPGRADE ");
        }

        await server.Node.SendLineAsync("close-all");

        var closed = await events.Closed;
        Assert.Equal("transport close", closed.Reason);
        Assert.Null(closed.Exception);
        Assert.Equal(EngineIOReadyState.Closed, client.ReadyState);
    }

    [Fact]
    public async Task Heartbeat_V3Client_PingsAndGetsPongs()
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["allowEIO3"] = true, ["pingInterval"] = 100, ["pingTimeout"] = 1000 });
        var options = Options(server, "polling");
        options.ProtocolVersion = EngineIO.EngineIOProtocolVersion.V3;
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);
        await client.OpenAsync();

        // In v3 the client pings and the server answers: each heartbeat is a pong to one of this client's pings.
        await events.HeartbeatsAsync(4);

        Assert.Equal(EngineIOReadyState.Open, client.ReadyState);
        Assert.DoesNotContain(server.Node.Output, line => line.StartsWith("CLOSE ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenAsync_PollingWithUpgrade_MovesToWebSocketAndKeepsEchoing()
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var client = new EngineIOClient(Options(server, "upgrade"));
        var events = new ClientEvents(client);
        await client.OpenAsync();

        Assert.Equal(EngineIOTransportKind.WebSocket, await events.Upgraded);
        Assert.Equal($"UPGRADE {client.Id} websocket", await server.WaitForLineAsync("UPGRADE "));
        Assert.Equal(EngineIOTransportKind.WebSocket, client.Transport);

        await client.SendAsync("after upgrade");
        Assert.Equal("after upgrade", (await events.NextMessageAsync()).Text);
    }

    [Fact]
    public async Task OpenAsync_UpgradeDisabled_StaysOnPolling()
    {
        await using var server = await ReferenceServer.StartAsync();
        var options = Options(server, "upgrade");
        options.Upgrade = false;
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);
        await client.OpenAsync();

        await client.SendAsync("still polling");

        Assert.Equal("still polling", (await events.NextMessageAsync()).Text);
        Assert.Equal(EngineIOTransportKind.Polling, client.Transport);
        Assert.DoesNotContain(server.Node.Output, line => line.StartsWith("UPGRADE ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task OpenAsync_V3ClientAgainstAllowEIO3Server_Echoes(string mode)
    {
        await using var server = await ReferenceServer.StartAsync(new() { ["allowEIO3"] = true });
        var options = Options(server, mode);
        options.ProtocolVersion = EngineIO.EngineIOProtocolVersion.V3;
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);
        await client.OpenAsync();

        await client.SendAsync("v3 ✓");
        await client.SendAsync(Encoding.UTF8.GetBytes("bin"));

        Assert.Equal("v3 ✓", (await events.NextMessageAsync()).Text);
        Assert.Equal("bin"u8.ToArray(), (await events.NextMessageAsync()).Data.ToArray());
    }

    private EngineIOClientOptions Options(ReferenceServer server, string mode)
    {
        var options = mode switch
        {
            "polling" => server.ClientOptions(EngineIOTransportKind.Polling),
            "websocket" => server.ClientOptions(EngineIOTransportKind.WebSocket),
            _ => server.ClientOptions(EngineIOTransportKind.Polling, EngineIOTransportKind.WebSocket),
        };
        options.LoggerFactory = new TestOutputLoggerFactory(output);
        return options;
    }
}
