using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSio.Server.EngineIO;
using TypedSio.Testing;

namespace TypedSio.Server.Tests.Support;

/// <summary>A real Kestrel server on 127.0.0.1 serving Engine.IO at /engine.io/, with raw HTTP helpers.</summary>
internal sealed class EngineIOTestServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly WebApplication _app;
    private readonly Channel<IEngineIOConnection> _connections = Channel.CreateUnbounded<IEngineIOConnection>();

    private EngineIOTestServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        Http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = Timeout,
        };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public EngineIOServer Server { get; private set; } = null!;

    public ConcurrentQueue<EngineIOConnectionErrorEventArgs> Errors { get; } = new();

    public string HttpBase => $"http://127.0.0.1:{Port}";

    /// <summary>Starts a server. Without a handler, each connection is offered to <see cref="NextConnectionAsync"/> and kept open.</summary>
    public static async Task<EngineIOTestServer> StartAsync(
        Action<EngineIOServerOptions>? configure = null,
        TimeProvider? time = null,
        Func<IEngineIOConnection, Task>? handler = null,
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
        builder.Services.AddEngineIO(o =>
        {
            o.TimeProvider = time;
            configure?.Invoke(o);
        });
        var app = builder.Build();
        var server = new EngineIOTestServer(app, port);
        var endpoint = app.MapEngineIO(async connection =>
        {
            server._connections.Writer.TryWrite(connection);
            if (handler is not null)
            {
                await handler(connection);
            }
            else
            {
                await connection.Closed;
            }
        });
        server.Server = endpoint.Server;
        server.Server.ConnectionError += (_, e) => server.Errors.Enqueue(e);
        await app.StartAsync();
        return server;
    }

    public static Task<EngineIOTestServer> StartEchoAsync(Action<EngineIOServerOptions>? configure = null, TimeProvider? time = null, bool connectionLevel = false) =>
        StartAsync(
            configure,
            time,
            async connection =>
            {
                await foreach (var message in connection.ReadAllAsync())
                {
                    await connection.SendAsync(message);
                }
            },
            connectionLevel);

    public async Task<IEngineIOConnection> NextConnectionAsync() =>
        await _connections.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    public string Url(string query) => $"{HttpBase}/engine.io/?{query}";

    public Uri WebSocketUri(string query) => new($"ws://127.0.0.1:{Port}/engine.io/?{query}");

    /// <summary>Stops the host (as Ctrl+C would) but keeps the HTTP client usable.</summary>
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
