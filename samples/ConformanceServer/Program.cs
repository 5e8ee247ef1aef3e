using System.Globalization;
using TypedSio.Hubs;
using TypedSio.Server.EngineIO;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

// Usage: ConformanceServer [--port N] [--engine]
//   --engine  plain Engine.IO echo at /engine.io/ (the settings the engine.io-protocol test suite expects)
//   default   the Socket.IO server at /socket.io/ (the settings the socket.io-protocol test suite expects)
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
builder.Services.AddSocketIO(
    o => o.ConnectTimeout = TimeSpan.FromMilliseconds(1000),
    o =>
    {
        o.PingInterval = TimeSpan.FromMilliseconds(300);
        o.PingTimeout = TimeSpan.FromMilliseconds(200);
        o.MaxHttpBufferSize = 1_000_000;
        o.Cors = new EngineIOCorsOptions();
        o.Cors.Origins.Add("*");
    });

var app = builder.Build();
if (engineOnly)
{
    app.MapEngineIO("/engine.io/", EchoAsync);
}
else
{
    app.MapSocketIO()
        .Of("/", Conformance)
        .Of("/custom", Conformance);
}

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine(engineOnly
        ? $"ConformanceServer: Engine.IO echo on http://127.0.0.1:{port}/engine.io/"
        : $"ConformanceServer: Socket.IO on http://127.0.0.1:{port}/socket.io/"));
await app.RunAsync();
return 0;

static async Task EchoAsync(IEngineIOConnection connection)
{
    await foreach (var message in connection.ReadAllAsync())
    {
        await connection.SendAsync(message);
    }
}

// On connection: emit the auth payload; echo "message" as "message-back"; acknowledge "message-with-ack" with its arguments.
static void Conformance(SocketIONamespace nsp) => nsp.OnConnection(async socket =>
{
    ISocketIOEmitter emitter = socket;
    socket.On("message", e => emitter.EmitAsync(Reuse(e, SocketIOPacketType.Event, "message-back"), CancellationToken.None));
    socket.On("message-with-ack", e => e.AckAsync(Reuse(e, SocketIOPacketType.Ack, null)));
    await socket.EmitAsync("auth", socket.Handshake.Auth);
});

// The arguments exactly as received (JSON text and binary attachments untouched), under a new event name or as an ack.
static SocketIOPacket Reuse(SocketIOEventContext e, SocketIOPacketType type, string? eventName)
{
    var writer = new SocketIOPayloadWriter();
    writer.WriteStartArray();
    if (eventName is not null)
    {
        writer.WriteValue(eventName);
    }

    for (var i = 0; i < e.Arguments.Count; i++)
    {
        writer.WriteRawValue(System.Text.Encoding.UTF8.GetBytes(e.Arguments.GetJson(i).GetRawText()));
    }

    writer.WriteEndArray();
    return new SocketIOPacket(type, "/", writer.ToPacket(type).Payload, null, e.Packet.Attachments);
}
