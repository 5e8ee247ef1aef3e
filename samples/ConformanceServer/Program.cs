using System.Globalization;
using TypedSio.Server.EngineIO;

// Usage: ConformanceServer [--port N] [--engine]
//   --engine  plain Engine.IO echo at /engine.io/ (the settings the engine.io-protocol test suite expects)
//   default   the Socket.IO server at /socket.io/; until the Socket.IO layer exists, the Engine.IO echo is served there
var port = 3000;
var engineOnly = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p):
            port = p;
            i++;
            break;
        case "--engine":
            engineOnly = true;
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: ConformanceServer [--port N] [--engine]");
            return 2;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddEngineIO(o =>
{
    o.PingInterval = TimeSpan.FromMilliseconds(300);
    o.PingTimeout = TimeSpan.FromMilliseconds(200);
    o.MaxHttpBufferSize = 1_000_000;
    o.Cors = new EngineIOCorsOptions();
    o.Cors.Origins.Add("*");
});

var app = builder.Build();
var path = engineOnly ? "/engine.io/" : "/socket.io/";
app.MapEngineIO(path, EchoAsync);
app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine(engineOnly
        ? $"ConformanceServer: Engine.IO echo on http://127.0.0.1:{port}/engine.io/"
        : $"ConformanceServer: Engine.IO echo on http://127.0.0.1:{port}/socket.io/ (the Socket.IO layer is not built yet)"));
await app.RunAsync();
return 0;

static async Task EchoAsync(IEngineIOConnection connection)
{
    await foreach (var message in connection.ReadAllAsync())
    {
        await connection.SendAsync(message);
    }
}
