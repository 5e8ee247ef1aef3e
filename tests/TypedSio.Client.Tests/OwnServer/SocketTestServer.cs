using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSio.Client.Tests.SocketIO;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;
using TypedSio.Testing;
using ServerSocket = TypedSio.Server.SocketIO.SocketIOSocket;

namespace TypedSio.Client.Tests.OwnServer;

/// <summary>A Socket.IO server with the handlers of tests/js/client-socket-server.mjs, whichever implementation serves it.</summary>
public interface ISocketTestServer : IAsyncDisposable
{
    SocketIOManager CreateManager(TransportMode mode, Action<SocketIOManagerOptions>? configure = null);

    /// <summary>Closes every connection and refuses new ones until <see cref="UpAsync"/>.</summary>
    Task DownAsync();

    /// <summary>A fresh server behind the same port, knowing no session.</summary>
    Task UpAsync();

    /// <summary>Starts a server; with <paramref name="recovery"/>, connection state recovery is on with a 60 s window.</summary>
    /// <param name="kind">Which server.</param>
    /// <param name="recovery">Whether connection state recovery is on.</param>
    /// <param name="heartbeat">The ping interval and timeout, when not the defaults.</param>
    static async Task<ISocketTestServer> StartAsync(ServerKind kind, bool recovery = false, (TimeSpan Interval, TimeSpan Timeout)? heartbeat = null)
    {
        if (kind == ServerKind.TypedSio)
        {
            return await OwnSocketServer.StartAsync(FreePort.Next(), recovery, heartbeat);
        }

        var options = new Dictionary<string, object?>();
        if (recovery)
        {
            options["connectionStateRecovery"] = new Dictionary<string, object?> { ["maxDisconnectionDuration"] = 60000 };
        }

        if (heartbeat is var (interval, timeout))
        {
            options["pingInterval"] = interval.TotalMilliseconds;
            options["pingTimeout"] = timeout.TotalMilliseconds;
        }

        return new NodeSocketServer(await SocketServer.StartAsync(options));
    }
}

internal sealed class NodeSocketServer(SocketServer server) : ISocketTestServer
{
    public SocketIOManager CreateManager(TransportMode mode, Action<SocketIOManagerOptions>? configure = null) => server.CreateManager(mode, configure: configure);

    public Task DownAsync() => server.CommandAsync("down", "DOWN");

    public Task UpAsync() => server.CommandAsync("up", "UP");

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

/// <summary>TypedSio's Socket.IO server on Kestrel with the reference script's namespaces and events.</summary>
internal sealed class OwnSocketServer : ISocketTestServer
{
    private readonly int _port;
    private readonly bool _recovery;
    private readonly (TimeSpan Interval, TimeSpan Timeout)? _heartbeat;
    private WebApplication? _app;

    private OwnSocketServer(int port, bool recovery, (TimeSpan Interval, TimeSpan Timeout)? heartbeat)
    {
        _port = port;
        _recovery = recovery;
        _heartbeat = heartbeat;
    }

    public static async Task<OwnSocketServer> StartAsync(int port, bool recovery, (TimeSpan Interval, TimeSpan Timeout)? heartbeat)
    {
        var server = new OwnSocketServer(port, recovery, heartbeat);
        await server.UpAsync();
        return server;
    }

    public SocketIOManager CreateManager(TransportMode mode, Action<SocketIOManagerOptions>? configure = null)
    {
        var options = SocketServer.Options(mode);
        configure?.Invoke(options);
        return new SocketIOManager(new Uri($"http://127.0.0.1:{_port}"), options);
    }

    public async Task DownAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await app.StopAsync(stop.Token);
            await app.DisposeAsync();
        }
    }

    public async Task UpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        builder.Logging.ClearProviders();
        builder.Services.AddSocketIO(options =>
        {
            if (_recovery)
            {
                options.ConnectionStateRecovery = new SocketIOConnectionStateRecovery { MaxDisconnectionDuration = TimeSpan.FromMinutes(1) };
            }
        },
        engine =>
        {
            if (_heartbeat is var (interval, timeout))
            {
                engine.PingInterval = interval;
                engine.PingTimeout = timeout;
            }
        });
        var app = builder.Build();
        var endpoint = app.MapSocketIO();
        foreach (var name in new[] { "/", "/custom", "/chat" })
        {
            endpoint.Of(name, nsp => nsp.OnConnection(Setup));
        }

        endpoint.Of("/admin", nsp => nsp
            .Use((socket, next) => socket.Handshake.Auth is { ValueKind: System.Text.Json.JsonValueKind.Object } auth
                && auth.TryGetProperty("token", out var token) && token.ValueEquals("secret")
                    ? next()
                    : throw new SocketIOConnectionRefusedException("not authorized", new Dictionary<string, object?> { ["content"] = "Please retry later" }))
            .OnConnection(Setup));
        await app.StartAsync();
        _app = app;
    }

    public ValueTask DisposeAsync() => new(DownAsync());

    private static async Task Setup(ServerSocket socket)
    {
        socket.On("message", e => ((TypedSio.Hubs.ISocketIOEmitter)socket).EmitAsync(Reuse(e, SocketIOPacketType.Event, "message-back"), CancellationToken.None));
        socket.On("message-with-ack", e => e.AckAsync(Reuse(e, SocketIOPacketType.Ack, null)));
        socket.On("ask", async e =>
        {
            try
            {
                var answer = await socket.EmitWithAckAsync("question", Arguments(e.Arguments), TimeSpan.FromSeconds(5));
                await socket.EmitAsync("answer", Arguments(answer));
            }
            catch (TimeoutException exception)
            {
                await socket.EmitAsync("answer-error", exception.Message);
            }
        });
        socket.On("silent", _ => { });
        socket.On("disconnect-me", _ => socket.DisconnectAsync());
        socket.On("close-transport", async _ =>
        {
            await socket.Connection.CloseAsync();
            await socket.Namespace.EmitAsync("missed", "after-close");
        });
        await socket.EmitAsync("auth", socket.Handshake.Auth);
    }

    private static object?[] Arguments(SocketIOArguments arguments) =>
        [.. Enumerable.Range(0, arguments.Count).Select(i => (object?)arguments.GetJson(i))];

    // Echoes the arguments as they came, attachments included, so binary at any depth goes back unchanged.
    private static SocketIOPacket Reuse(SocketIOEventContext e, SocketIOPacketType type, string? eventName)
    {
        var writer = new SocketIOPayloadWriter();
        writer.WriteStartArray();
        if (eventName is not null)
        {
            writer.WriteValue(eventName);
        }

        for (var i = 0; i < e.Arguments.Count; i++)
        {
            writer.WriteRawValue(Encoding.UTF8.GetBytes(e.Arguments.GetJson(i).GetRawText()));
        }

        writer.WriteEndArray();
        return new SocketIOPacket(type, e.Socket.Namespace.Name, writer.ToPacket(type).Payload, null, e.Packet.Attachments);
    }
}
