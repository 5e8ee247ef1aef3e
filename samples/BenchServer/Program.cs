using System.Globalization;
using StackExchange.Redis;
using TypedSio.Redis;
using TypedSio.Server.EngineIO;
using TypedSio.Server.SocketIO;

// Usage: BenchServer [--port N] [--redis HOST:PORT]   (port else the PORT environment variable, else 4100)
// The handlers match tests/js/bench-server.mjs exactly, so one load tool drives both servers. With --redis the server
// joins a cluster through TypedSio.Redis, as the Node one does through @socket.io/redis-adapter.
var port = 4100;
string? redisEndPoint = null;
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
    else
    {
        Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: BenchServer [--port N] [--redis HOST:PORT]");
        return 2;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

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
    app.Lifetime.ApplicationStopping.Register(() => Console.Error.WriteLine(
        $"diag: {Interlocked.Read(ref handled)} events, {GC.GetTotalAllocatedBytes() / (double)Math.Max(1, Interlocked.Read(ref handled)):F0} B allocated per event, " +
        $"gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}"));
}

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"BenchServer: Socket.IO on http://127.0.0.1:{port}/socket.io/"));
await app.RunAsync();
redis?.Dispose();
return 0;
