using TypedSio.Testing;

namespace TypedSio.Redis.Tests.Support;

/// <summary>A redis-server, a Node socket.io server and a TypedSio server in one cluster; everything is stopped on dispose.</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private Cluster(RedisServerProcess redis) => Redis = redis;

    public RedisServerProcess Redis { get; }

    public NodeServer Node { get; private set; } = null!;

    public DotnetServer Dotnet { get; private set; } = null!;

    public static async Task<Cluster> StartAsync(RedisAdapterOptions? options = null, string? nodeOptions = null, RedisShardedAdapterOptions? sharded = null)
    {
        var cluster = new Cluster(await RedisServerProcess.StartAsync());
        try
        {
            cluster.Node = cluster.Own(await NodeServer.StartAsync(cluster.Redis, nodeOptions));
            cluster.Dotnet = cluster.Own(await DotnetServer.StartAsync(cluster.Redis, options, sharded: sharded));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A cluster on sharded pub/sub: Node's createShardedAdapter and the sharded TypedSio adapter, in one subscription mode.</summary>
    public static Task<Cluster> StartShardedAsync(RedisSubscriptionMode mode)
    {
        var nodeMode = mode switch
        {
            RedisSubscriptionMode.Static => "static",
            RedisSubscriptionMode.Dynamic => "dynamic",
            _ => "dynamic-private",
        };
        return StartAsync(null, $$"""{"sharded":true,"subscriptionMode":"{{nodeMode}}"}""", new RedisShardedAdapterOptions { SubscriptionMode = mode });
    }

    public T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        lock (_owned)
        {
            _owned.Add(disposable);
        }

        return disposable;
    }

    public async Task<TestClient> DotnetClientAsync(string url, string nsp = "/") => Own(await TestClient.ConnectAsync(url, nsp));

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> owned;
        lock (_owned)
        {
            owned = [.. _owned];
            owned.Reverse();
        }

        foreach (var item in owned)
        {
            try
            {
                await item.DisposeAsync();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Keep stopping the rest: no process may outlive the test.
            }
        }

        await Redis.DisposeAsync();
    }
}
