using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSio.Client.Tests.Support;
using TypedSio.Server.EngineIO;
using TypedSio.Testing;

namespace TypedSio.Client.Tests.OwnServer;

/// <summary>Which Engine.IO server a test runs against.</summary>
public enum ServerKind
{
    /// <summary>The official engine.io server (tests/js/client-reference-server.mjs).</summary>
    Node,

    /// <summary>TypedSio's own server, in process on Kestrel.</summary>
    TypedSio,
}

/// <summary>What a two-server test asks of its server: the settings the reference script takes.</summary>
/// <param name="Transports">The transports the server allows; null for both.</param>
/// <param name="Refuse">When set, AllowRequest refuses every handshake with this message.</param>
/// <param name="RefuseWithoutMessage">When true, AllowRequest refuses every handshake without a message.</param>
public sealed record EngineServerSettings(string[]? Transports = null, string? Refuse = null, bool RefuseWithoutMessage = false);

/// <summary>An echo server with the reference script's handlers, whichever implementation serves it.</summary>
public interface IEngineTestServer : IAsyncDisposable
{
    Uri Uri { get; }

    /// <summary>Replaces the engine with a fresh one that knows no session, leaving the old one holding its requests.</summary>
    Task RestartAsync();

    /// <summary>Waits until the server holds a long-polling GET of a session.</summary>
    Task WaitForPollAsync(string sid);

    EngineIOClientOptions ClientOptions(params EngineIOTransportKind[] transports);

    static async Task<IEngineTestServer> StartAsync(ServerKind kind, EngineServerSettings? settings = null)
    {
        settings ??= new EngineServerSettings();
        return kind == ServerKind.Node ? await NodeEngineServer.StartAsync(settings) : await OwnEngineServer.StartAsync(settings);
    }

    protected static EngineIOClientOptions Options(Uri uri, EngineIOTransportKind[] transports)
    {
        var options = new EngineIOClientOptions(uri) { Path = "/engine.io/", ConnectTimeout = TimeSpan.FromSeconds(20) };
        if (transports.Length > 0)
        {
            options.Transports.Clear();
            foreach (var transport in transports)
            {
                options.Transports.Add(transport);
            }
        }

        return options;
    }
}

internal sealed class NodeEngineServer(ReferenceServer server) : IEngineTestServer
{
    public Uri Uri => server.Uri;

    public static async Task<NodeEngineServer> StartAsync(EngineServerSettings settings)
    {
        var options = new Dictionary<string, object?>();
        if (settings.Transports is { } transports)
        {
            options["transports"] = transports;
        }

        if (settings.Refuse is { } refuse)
        {
            options["refuse"] = refuse;
        }
        else if (settings.RefuseWithoutMessage)
        {
            options["refuse"] = null;
        }

        return new NodeEngineServer(await ReferenceServer.StartAsync(options));
    }

    public async Task RestartAsync()
    {
        await server.Node.SendLineAsync("restart");
        await server.WaitForLineAsync("RESTARTED");
    }

    public Task WaitForPollAsync(string sid) => server.WaitForLineAsync($"POLL {sid}");

    public EngineIOClientOptions ClientOptions(params EngineIOTransportKind[] transports) => IEngineTestServer.Options(Uri, transports);

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

/// <summary>
/// TypedSio's Engine.IO server with the reference script's echo handler. A restart is modelled as the script does it:
/// two engines are mapped and requests for /engine.io/ are routed to the current one, so the old one keeps the
/// requests it holds while new ones meet an engine that knows no session.
/// </summary>
internal sealed class OwnEngineServer : IEngineTestServer
{
    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _polls = new(StringComparer.Ordinal);
    private volatile string _current = "/engine-a/";

    private OwnEngineServer(WebApplication app, int port)
    {
        _app = app;
        Uri = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Uri { get; }

    public static async Task<OwnEngineServer> StartAsync(EngineServerSettings settings)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddEngineIO(options =>
        {
            if (settings.Transports is { } transports)
            {
                options.Transports.Clear();
                foreach (var transport in transports)
                {
                    options.Transports.Add(transport);
                }
            }

            if (settings.Refuse is not null || settings.RefuseWithoutMessage)
            {
                options.AllowRequest = _ => ValueTask.FromResult<(bool, string?)>((false, settings.Refuse));
            }
        });
        var app = builder.Build();
        var server = new OwnEngineServer(app, port);
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/engine.io", out var rest))
            {
                context.Request.Path = new PathString(server._current.TrimEnd('/')).Add(rest);

                // The engine is chosen above, so a restart from here on leaves this poll with the old engine.
                if (HttpMethods.IsGet(context.Request.Method) && context.Request.Query["sid"] is [{ } sid])
                {
                    server.Poll(sid).TrySetResult();
                }
            }

            return next(context);
        });
        app.UseRouting();
        foreach (var path in new[] { "/engine-a/", "/engine-b/" })
        {
            app.MapEngineIO(path, EchoAsync);
        }

        await app.StartAsync();
        return server;
    }

    public Task RestartAsync()
    {
        _current = "/engine-b/";
        return Task.CompletedTask;
    }

    public Task WaitForPollAsync(string sid) => Poll(sid).Task.WaitAsync(TimeSpan.FromSeconds(20));

    public EngineIOClientOptions ClientOptions(params EngineIOTransportKind[] transports) => IEngineTestServer.Options(Uri, transports);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private TaskCompletionSource Poll(string sid) =>
        _polls.GetOrAdd(sid, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static async Task EchoAsync(IEngineIOConnection connection)
    {
        await foreach (var message in connection.ReadAllAsync())
        {
            await connection.SendAsync(message);
        }
    }
}
