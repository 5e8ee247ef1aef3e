using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSio.Server.EngineIO;
using TypedSio.Server.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>A real Kestrel server on 127.0.0.1 serving Socket.IO at /socket.io/.</summary>
internal sealed class SocketIOTestServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Waits for server-side state that raises no event (re-checked every 20 ms, up to <see cref="Timeout"/>).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
    private readonly WebApplication _app;

    private SocketIOTestServer(WebApplication app, int port, SocketIOServer server)
    {
        _app = app;
        Port = port;
        Server = server;
        Http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = Timeout,
        };
    }

    public int Port { get; }

    public SocketIOServer Server { get; }

    public HttpClient Http { get; }

    public string HttpBase => $"http://127.0.0.1:{Port}";

    public SocketIONamespace Main => Server.MainNamespace;

    public static async Task<SocketIOTestServer> StartAsync(
        Action<SocketIOEndpointBuilder>? namespaces = null,
        Action<SocketIOServerOptions>? configure = null,
        Action<EngineIOServerOptions>? engine = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication, SocketIOEndpointBuilder>? map = null,
        bool connectionLevel = false)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        if (connectionLevel)
        {
            builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.UseEngineIOWebSockets()));
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSocketIO(
            o =>
            {
                o.TimeProvider = time;
                configure?.Invoke(o);
            },
            o =>
            {
                o.TimeProvider = time;
                engine?.Invoke(o);
            });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        var endpoint = app.MapSocketIO();
        if (namespaces is null)
        {
            endpoint.Of("/", _ => { });
        }
        else
        {
            namespaces(endpoint);
        }

        map?.Invoke(app, endpoint);
        await app.StartAsync();
        return new SocketIOTestServer(app, port, endpoint.Server);
    }

    public string Url(string query) => $"{HttpBase}/socket.io/?{query}";

    public Uri WebSocketUri(string query = "EIO=4&transport=websocket") => new($"ws://127.0.0.1:{Port}/socket.io/?{query}");

    public async Task StopAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        Http.Dispose();
    }
}
