using System.Text.Json;
using System.Text.Json.Nodes;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests.Support;

/// <summary>tests/js/redis-node-server.mjs: a Node socket.io server with the Redis adapter, and official JS clients.</summary>
internal sealed class NodeServer : IAsyncDisposable
{
    private readonly NodeProcess _process;
    private readonly Task _pump;
    private int _ids;

    private NodeServer(NodeProcess process, int port)
    {
        _process = process;
        Port = port;
        _pump = Task.Run(PumpAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public Lines Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public static async Task<NodeServer> StartAsync(RedisServerProcess redis, string? adapterOptions = null)
    {
        var port = FreePort.Next();
        var args = new List<string> { port.ToString(System.Globalization.CultureInfo.InvariantCulture), redis.Url };
        if (adapterOptions is not null)
        {
            args.Add(adapterOptions);
        }

        return new NodeServer(await NodeProcess.StartAsync("redis-node-server.mjs", args), port);
    }

    /// <summary>Runs a command and returns its RESULT as JSON text (throws on ERROR).</summary>
    public async Task<string> RunAsync(object command, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var node = JsonSerializer.SerializeToNode(command, TestJson.Default.Options)!.AsObject();
        node["id"] = id;
        await _process.SendLineAsync(node.ToJsonString());
        var line = await Output.WaitAsync(l => l.StartsWith($"RESULT {id} ", StringComparison.Ordinal) || l.StartsWith($"ERROR {id} ", StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(30));
        if (line.StartsWith("ERROR", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(line);
        }

        return line[$"RESULT {id} ".Length..];
    }

    /// <summary>Connects an official JS client (WebSocket only) in the Node process; returns its socket id.</summary>
    public async Task<string> ClientAsync(string name, string url, string nsp = "/")
    {
        var id = await RunAsync(new JsonObject { ["op"] = "client", ["name"] = name, ["url"] = url, ["nsp"] = nsp });
        return JsonSerializer.Deserialize<string>(id)!;
    }

    /// <summary>Waits for a JS client to receive an event; returns its arguments as JSON.</summary>
    public async Task<string> ReceivedAsync(string client, string eventName, TimeSpan? timeout = null)
    {
        var prefix = $"RECV {client} {eventName} ";
        var line = await Output.WaitPrefixAsync(prefix, timeout);
        return line[prefix.Length..];
    }

    public bool HasReceived(string client, string eventName) => Output.All.Any(l => l.StartsWith($"RECV {client} {eventName} ", StringComparison.Ordinal));

    public async Task KillAsync() => await _process.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        await _pump.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                Output.Add(await _process.WaitForLineAsync(_ => true, TimeSpan.FromHours(1)));
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or ObjectDisposedException)
        {
            // the process ended
        }
    }
}
