using System.Globalization;
using StackExchange.Redis;
using TypedSio.Redis;
using TypedSio.Server.EngineIO;
using TypedSio.Server.SocketIO;

// Usage: BenchServer [--port N] [--redis HOST:PORT] [--connection-level]   (port else the PORT environment variable, else 4100)
// The handlers match tests/js/bench-server.mjs exactly, so one load tool drives both servers. With --redis the server
// joins a cluster through TypedSio.Redis, as the Node one does through @socket.io/redis-adapter.
var port = 4100;
string? redisEndPoint = null;
var connectionLevel = false;
if (Environment.GetEnvironmentVariable("PORT") is { } env && int.TryParse(env, NumberStyles.None, CultureInfo.InvariantCulture, out var envPort))
{
    port = envPort;
}

for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--port" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p))
    {
        port = p;
        i++;
    }
    else if (args[i] == "--redis" && i + 1 < args.Length)
    {
        redisEndPoint = args[++i];
    }
    else if (args[i] == "--connection-level")
    {
        connectionLevel = true; // WebSockets served below ASP.NET Core (UseEngineIOWebSockets)
    }
    else
    {
        Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: BenchServer [--port N] [--redis HOST:PORT] [--connection-level]");
        return 2;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
if (connectionLevel)
{
    builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.UseEngineIOWebSockets()));
}

builder.Logging.ClearProviders();
var redis = redisEndPoint is null ? null : await ConnectionMultiplexer.ConnectAsync(redisEndPoint);
builder.Services.AddSocketIO(
    o =>
    {
        if (redis is not null)
        {
            o.AdapterFactory = RedisSocketIOAdapter.Factory(redis);
        }
    },
    configureEngine: o =>
    {
        o.Cors = new EngineIOCorsOptions();
        o.Cors.Origins.Add("*");
    });

var app = builder.Build();

// BENCH_DIAG=1: on shutdown, print bytes allocated and collections per handled event, to compare hot-path changes
// by allocation (steady under a loaded machine) rather than by throughput alone.
long handled = 0;
app.MapSocketIO().Server.MainNamespace.OnConnection(socket =>
{
    socket.On("message", e =>
    {
        Interlocked.Increment(ref handled);
        return e.Socket.EmitAsync("message-back", e.Arguments.ToValues());
    });
    socket.On("message-with-ack", e =>
    {
        Interlocked.Increment(ref handled);
        return e.AckAsync(e.Arguments.ToValues());
    });
    socket.On("join", e => e.Socket.JoinAsync(e.Arguments.GetValue(0) as string ?? ""));
    socket.On("broadcast", e => e.Socket.Namespace.To(e.Arguments.GetValue(0) as string ?? "").EmitAsync("broadcast", e.Arguments.GetValue(1)));
});
if (Environment.GetEnvironmentVariable("BENCH_DIAG") == "1")
{
    var sampler = new AllocationSampler();
    app.Lifetime.ApplicationStopping.Register(() =>
    {
        var events = Math.Max(1, Interlocked.Read(ref handled));
        Console.Error.WriteLine(
            $"diag: {Interlocked.Read(ref handled)} events, {GC.GetTotalAllocatedBytes() / (double)events:F0} B allocated per event, " +
            $"gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}");
        foreach (var (type, bytes) in sampler.Top(15))
        {
            Console.Error.WriteLine($"diag:   {bytes / (double)events,7:F1} B/event  {type}");
        }
    });
}

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"BenchServer: Socket.IO on http://127.0.0.1:{port}/socket.io/"));
await app.RunAsync();
redis?.Dispose();
return 0;

/// <summary>
/// BENCH_DIAG=1: samples the runtime's allocation ticks (one per ~100 KB allocated) by type, so the report on shutdown
/// says which types make up the bytes allocated per event.
/// </summary>
internal sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytesByType = [];

    public IEnumerable<(string Type, long Bytes)> Top(int count)
    {
        lock (_bytesByType)
        {
            return _bytesByType.OrderByDescending(kv => kv.Value).Take(count).Select(kv => (kv.Key, kv.Value)).ToList();
        }
    }

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.Payload![eventData.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(eventData.Payload[eventData.PayloadNames.IndexOf("AllocationAmount")], CultureInfo.InvariantCulture);
        lock (_bytesByType)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
