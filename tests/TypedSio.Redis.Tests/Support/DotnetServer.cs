using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TypedSio.Server.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests.Support;

/// <summary>A TypedSio server in the Redis cluster, with the same namespaces and events as tests/js/redis-node-server.mjs.</summary>
internal sealed class DotnetServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DotnetServer(WebApplication app, int port, SocketIOServer server, ConnectionMultiplexer redis)
    {
        _app = app;
        Port = port;
        Server = server;
        Redis = redis;
    }

    public int Port { get; }

    public SocketIOServer Server { get; }

    public ConnectionMultiplexer Redis { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public Lines ServerEvents { get; } = new();

    public SocketIONamespace Main => Server.MainNamespace;

    public SocketIONamespace Chat => Server.Namespaces["/chat"];

    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisServerProcess redis)
    {
        var options = ConfigurationOptions.Parse(redis.Configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(100);
        // Generous: on a loaded machine the first connection can take seconds, and with FailFast a subscription made
        // before it is up fails at once.
        options.ConnectTimeout = 20_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public static async Task<DotnetServer> StartAsync(
        RedisServerProcess redisServer, RedisAdapterOptions? options = null, bool waitForSubscriptions = true, RedisShardedAdapterOptions? sharded = null)
    {
        var redis = await ConnectAsync(redisServer);
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddSocketIO(o => o.AdapterFactory = sharded is null
            ? RedisSocketIOAdapter.Factory(redis, options)
            : RedisShardedSocketIOAdapter.Factory(redis, sharded));
        var app = builder.Build();
        var endpoint = app.MapSocketIO();
        var server = new DotnetServer(app, port, endpoint.Server, redis);
        foreach (var name in new[] { "/", "/chat" })
        {
            endpoint.Of(name, nsp =>
            {
                nsp.OnConnection(socket =>
                {
                    socket.Data["server"] = "dotnet";
                    socket.On("join", async context =>
                    {
                        await socket.JoinAsync(context.Arguments.GetJson(0).GetString()!);
                        await context.AckAsync("joined");
                    });
                });
                nsp.ServerSideEvent += (eventName, arguments) => server.ServerEvents.Add($"SERVER-EVENT {nsp.Name} {eventName} {JsonShow.Show(arguments)}");
                nsp.ServerSideAckHandler = (eventName, arguments) =>
                {
                    server.ServerEvents.Add($"SERVER-EVENT {nsp.Name} {eventName} {JsonShow.Show(arguments)}");
                    return ValueTask.FromResult<object?>(new Dictionary<string, object?> { ["from"] = "dotnet", ["args"] = arguments.ToValues() });
                };
            });
        }

        await app.StartAsync();
        foreach (var nsp in waitForSubscriptions ? server.Server.Namespaces.Values : [])
        {
            var subscribed = nsp.Adapter is RedisShardedSocketIOAdapter shardedAdapter ? shardedAdapter.Subscribed : ((RedisSocketIOAdapter)nsp.Adapter).Subscribed;
            await subscribed.WaitAsync(TimeSpan.FromSeconds(20));
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        foreach (var nsp in Server.Namespaces.Values)
        {
            await ((IAsyncDisposable)nsp.Adapter).DisposeAsync();
        }

        await _app.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>Lines collected from some source, waited for without consuming them.</summary>
internal sealed class Lines
{
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    public IReadOnlyList<string> All
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Done.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    public Task<string> WaitAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        TaskCompletionSource<string> done;
        lock (_lines)
        {
            var existing = _lines.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
        }

        return WithTimeoutAsync(done.Task, timeout ?? TimeSpan.FromSeconds(20));
    }

    public Task<string> WaitPrefixAsync(string prefix, TimeSpan? timeout = null) => WaitAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), timeout);

    private async Task<string> WithTimeoutAsync(Task<string> task, TimeSpan timeout)
    {
        try
        {
            return await task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("No matching line. Seen: " + string.Join(" | ", All));
        }
    }
}
