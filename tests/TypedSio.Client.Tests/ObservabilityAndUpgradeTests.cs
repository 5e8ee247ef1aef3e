using TypedSio.Client.Tests.Support;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests;

public sealed class ObservabilityAndUpgradeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Logging_UpgradeScenario_TellsTheStoryInTheJsDebugCategories()
    {
        await using var server = await ReferenceServer.StartAsync();
        var logs = new RecordingLoggerFactory();
        var options = server.ClientOptions();
        options.LoggerFactory = logs;
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);

        await client.OpenAsync();
        await events.Upgraded;

        Assert.Contains(logs.Entries, e => e.Category == "TypedSio.Client.Engine" && e.Message.StartsWith("connecting to http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Category == "TypedSio.Client.Engine" && e.Message == "readyState Open");
        Assert.Contains(logs.Entries, e => e.Category == "TypedSio.Client.Engine" && e.Message.StartsWith($"socket open: sid {client.Id}", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Category == "TypedSio.Client.Engine" && e.Message == "probe transport websocket pong");
        Assert.Contains(logs.Entries, e => e.Category == "TypedSio.Client.Engine" && e.Message == "changing transport and sending upgrade packet");
        Assert.Contains(logs.Entries, e => e.Category == "TypedSio.Client.Transports.Polling" && e.Message == "polling");
        Assert.Contains(logs.Entries, e => e.Category == "TypedSio.Client.Transports.Polling" && e.Message == "paused");
        Assert.Contains(logs.Entries, e => e.Category == "TypedSio.Client.Transports.WebSocket" && e.Message == "websocket open");
    }

    [Theory]
    [InlineData("Transport unknown", typeof(EngineIOTransportUnknownException))]
    [InlineData("Session ID unknown", typeof(EngineIOSessionIdUnknownException))]
    [InlineData("not an engine.io answer", typeof(UnexpectedHttpResponseException))]
    public async Task Upgrade_WebSocketRefused_RaisesUpgradeFailedAndStaysOnPolling(string refusal, Type expected)
    {
        await using var stub = new StubHttpServer(request =>
            request.Target.Contains("transport=websocket", StringComparison.Ordinal) ? new StubResponse(400, "text/html", refusal)
            : request.Method == "POST" ? new StubResponse(200, "text/html", "ok")
            : request.HasSid ? null
            : StubHttpServer.Handshake(upgrades: "\"websocket\""));
        var options = new EngineIOClientOptions(stub.Uri) { Path = "/engine.io/", LoggerFactory = new TestOutputLoggerFactory(output) };
        await using var client = new EngineIOClient(options);
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.UpgradeFailed += (_, e) => failed.TrySetResult(e);

        await client.OpenAsync();

        Assert.IsType(expected, await failed.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(EngineIOTransportKind.Polling, client.Transport);
        Assert.Equal(EngineIOReadyState.Open, client.ReadyState);
    }
}
