using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TypedSio.Server.EngineIO;
using TypedSio.Server.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>
/// The official browser client in headless Chromium, loaded from a page on another origin (a second Kestrel port):
/// it connects over polling, upgrades to WebSocket, and reports back over Socket.IO — proving CORS works for a real browser.
/// </summary>
public class SocketIOBrowserTests : SocketIOServerTestBase
{
    [Fact]
    public async Task Browser_CrossOriginPage_ConnectsOverPollingUpgradesAndExchangesEvents()
    {
        await NodeProcess.EnsureNpmPackagesAsync();
        var report = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var origin = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartServerAsync(
            b => b.Of("/", n => n.OnConnection(s =>
            {
                origin.TrySetResult(s.Handshake.Headers.Origin.ToString());
                s.On("hello", e => e.AckAsync("hi browser"));
                s.On("report", e => report.TrySetResult(e.Arguments.GetJson(0)));
            })),
            engine: o =>
            {
                o.Cors = new EngineIOCorsOptions();
                o.Cors.Origins.Add("*");
            });
        await using var page = await StartPageServerAsync(server.HttpBase);

        await using var chromium = ChromiumProcess.Start(page.Url);

        var result = await report.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("hi browser", result.GetProperty("ack").GetString());
        Assert.Equal("polling", result.GetProperty("first").GetString());
        Assert.Equal("websocket", result.GetProperty("upgraded").GetString());
        Assert.Equal(page.Origin, await origin.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.NotEqual(new Uri(server.HttpBase).Port, new Uri(page.Origin).Port);
        Assert.Equal(ConnectionLevel ? 1 : 0, server.Server.Engine.ConnectionLevelSockets);
    }

    private static async Task<PageServer> StartPageServerAsync(string socketServer)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var script = Path.Combine(RepositoryPaths.JsFixtures, "node_modules", "socket.io", "client-dist", "socket.io.min.js");
        app.MapGet("/socket.io.min.js", () => Results.File(script, "text/javascript"));
        app.MapGet("/", () => Results.Content(Page(socketServer), "text/html"));
        await app.StartAsync();
        return new PageServer(app, $"http://127.0.0.1:{port}");
    }

    private static string Page(string socketServer) => $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><script src="/socket.io.min.js"></script></head>
        <body><script>
          const socket = io("{{socketServer}}", { transports: ["polling", "websocket"] });
          const first = new Promise((resolve) => socket.io.on("open", () => resolve(socket.io.engine.transport.name)));
          const upgraded = new Promise((resolve) => socket.io.on("open", () => socket.io.engine.on("upgrade", (t) => resolve(t.name))));
          socket.on("connect", async () => {
            const ack = await socket.timeout(20000).emitWithAck("hello");
            socket.emit("report", { ack, first: await first, upgraded: await upgraded });
          });
        </script></body></html>
        """;

    private sealed class PageServer(WebApplication app, string origin) : IAsyncDisposable
    {
        public string Origin => origin;

        public string Url => origin + "/";

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(stop.Token);
            await app.DisposeAsync();
        }
    }
}

/// <summary>Headless Chromium against the connection-level WebSocket path (polling, then the upgrade on a new connection).</summary>
public sealed class ConnectionLevelSocketIOBrowserTests : SocketIOBrowserTests
{
    protected override bool ConnectionLevel => true;
}
