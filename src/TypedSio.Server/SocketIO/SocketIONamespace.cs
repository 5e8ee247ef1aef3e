using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>A namespace (<c>/</c>, <c>/chat</c>…): its middlewares, connection handlers, sockets and adapter.</summary>
public sealed partial class SocketIONamespace
{
    private static readonly HashSet<string> ReservedEvents = new(StringComparer.Ordinal)
    {
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    };

    private readonly ConcurrentDictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly List<Func<SocketIOSocket, Func<Task>, Task>> _middlewares = [];
    private readonly List<Func<SocketIOSocket, Task>> _connectionHandlers = [];
    private long _ackIds;

    internal SocketIONamespace(SocketIOServer server, string name)
    {
        Server = server;
        Name = name;
        Adapter = server.Options.AdapterFactory?.Invoke(this) ?? new SocketIOInMemoryAdapter(this);
    }

    /// <summary>The namespace name, e.g. <c>/chat</c>.</summary>
    public string Name { get; }

    /// <summary>The server.</summary>
    public SocketIOServer Server { get; }

    /// <summary>The adapter keeping rooms and delivering broadcasts.</summary>
    public SocketIOAdapter Adapter { get; }

    /// <summary>The connected sockets of this server, by id.</summary>
    public IReadOnlyDictionary<string, SocketIOSocket> Sockets => _sockets;

    /// <summary>Adds a middleware run for every new socket before it connects. Throw (ideally <see cref="SocketIOConnectionRefusedException"/>) to refuse.</summary>
    /// <param name="middleware">The middleware: the socket, and <c>next</c> to call to continue.</param>
    /// <returns>This namespace.</returns>
    public SocketIONamespace Use(Func<SocketIOSocket, Func<Task>, Task> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        lock (_middlewares)
        {
            _middlewares.Add(middleware);
        }

        return this;
    }

    /// <summary>Adds a handler run for every connected socket (register its event handlers here).</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>This namespace.</returns>
    public SocketIONamespace OnConnection(Func<SocketIOSocket, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_connectionHandlers)
        {
            _connectionHandlers.Add(handler);
        }

        return this;
    }

    /// <summary>Adds a synchronous connection handler.</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>This namespace.</returns>
    public SocketIONamespace OnConnection(Action<SocketIOSocket> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnConnection(socket =>
        {
            handler(socket);
            return Task.CompletedTask;
        });
    }

    /// <summary>Raised for events other servers of a cluster send with <see cref="ServerSideEmitAsync"/>.</summary>
    public event Action<string, SocketIOArguments>? ServerSideEvent;

    /// <summary>Targets rooms (or socket ids).</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public SocketIOBroadcastOperator To(params string[] rooms) => new SocketIOBroadcastOperator(this).To(rooms);

    /// <summary>Same as <see cref="To"/>.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public SocketIOBroadcastOperator In(params string[] rooms) => To(rooms);

    /// <summary>Targets every socket except those in these rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public SocketIOBroadcastOperator Except(params string[] rooms) => new SocketIOBroadcastOperator(this).Except(rooms);

    /// <summary>Only this server's sockets.</summary>
    public SocketIOBroadcastOperator Local => new SocketIOBroadcastOperator(this).Local;

    /// <summary>Events that may be lost.</summary>
    public SocketIOBroadcastOperator Volatile => new SocketIOBroadcastOperator(this).Volatile;

    /// <summary>Sets whether events may be compressed.</summary>
    /// <param name="compress">Whether to compress.</param>
    /// <returns>A broadcast operator.</returns>
    public SocketIOBroadcastOperator Compress(bool compress) => new SocketIOBroadcastOperator(this).Compress(compress);

    /// <summary>Sets the acknowledgement timeout of a broadcast.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>A broadcast operator.</returns>
    public SocketIOBroadcastOperator Timeout(TimeSpan timeout) => new SocketIOBroadcastOperator(this).Timeout(timeout);

    /// <summary>Sends an event to every socket of the namespace.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>A task.</returns>
    public Task EmitAsync(string eventName, params object?[] arguments) => new SocketIOBroadcastOperator(this).EmitAsync(eventName, arguments);

    /// <summary>Every socket of the namespace.</summary>
    /// <returns>Their details.</returns>
    public Task<IReadOnlyList<SocketIORemoteSocket>> FetchSocketsAsync() => new SocketIOBroadcastOperator(this).FetchSocketsAsync();

    /// <summary>Makes every socket join rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task SocketsJoinAsync(params string[] rooms) => new SocketIOBroadcastOperator(this).SocketsJoinAsync(rooms);

    /// <summary>Makes every socket leave rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task SocketsLeaveAsync(params string[] rooms) => new SocketIOBroadcastOperator(this).SocketsLeaveAsync(rooms);

    /// <summary>Disconnects every socket.</summary>
    /// <param name="close">Whether to close their whole connections.</param>
    /// <returns>A task.</returns>
    public Task DisconnectSocketsAsync(bool close = false) => new SocketIOBroadcastOperator(this).DisconnectSocketsAsync(close);

    /// <summary>Sends an event to the other servers of the cluster (their <see cref="ServerSideEvent"/>); nothing happens on a single server.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>A task.</returns>
    public Task ServerSideEmitAsync(string eventName, params object?[] arguments)
    {
        ThrowIfReserved(eventName);
        return Adapter.ServerSideEmitAsync(SocketIOPacket.CreateEvent(eventName, arguments, Name, options: Server.Options.JsonOptions)).AsTask();
    }

    /// <summary>Delivers an event sent by another server (cluster adapters call it).</summary>
    /// <param name="packet">The event.</param>
    public void OnServerSideEvent(SocketIOPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.EventName is { } name)
        {
            ServerSideEvent?.Invoke(name, packet.GetArguments());
        }
    }

    /// <summary>Finds a local socket.</summary>
    /// <param name="id">The socket id.</param>
    /// <param name="socket">The socket.</param>
    /// <returns>Whether it is connected here.</returns>
    public bool TryGetSocket(string id, [MaybeNullWhen(false)] out SocketIOSocket socket) => _sockets.TryGetValue(id, out socket);

    internal long NextAckId() => Interlocked.Increment(ref _ackIds) - 1;

    internal static void ThrowIfReserved(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (ReservedEvents.Contains(eventName))
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
        }
    }

    internal void Remove(SocketIOSocket socket) => _sockets.TryRemove(new KeyValuePair<string, SocketIOSocket>(socket.Id, socket));

    // Runs the handshake of a socket: recovery, middlewares, then the CONNECT reply and the connection handlers.
    internal async Task AddAsync(SocketIOClientConnection client, JsonElement auth)
    {
        SocketIORestoredSession? restored = null;
        var recovery = Server.Options.ConnectionStateRecovery;
        if (recovery is not null && auth.ValueKind == JsonValueKind.Object
            && auth.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.String
            && auth.TryGetProperty("offset", out var offset) && offset.ValueKind == JsonValueKind.String)
        {
            restored = await Adapter.RestoreSessionAsync(pid.GetString()!, offset.GetString()!).ConfigureAwait(false);
        }

        var socket = new SocketIOSocket(this, client, auth, restored);
        if (restored is null || !recovery!.SkipMiddlewares)
        {
            try
            {
                await RunMiddlewaresAsync(socket).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Server.Log.Refused(Name, exception.Message);
                Server.Metrics.Error(Name, "refused");
                var data = exception is SocketIOConnectionRefusedException refused ? refused.ErrorData : null;
                await client.SendPacketAsync(SocketIOPacket.CreateConnectError(Name, exception.Message, data, Server.Options.JsonOptions)).ConfigureAwait(false);
                return;
            }
        }

        if (client.IsClosed)
        {
            return;
        }

        _sockets[socket.Id] = socket;
        client.Attach(socket);
        await socket.OnConnectAsync(restored).ConfigureAwait(false);
        Func<SocketIOSocket, Task>[] handlers;
        lock (_connectionHandlers)
        {
            handlers = [.. _connectionHandlers];
        }

        foreach (var handler in handlers)
        {
            socket.Observe(InvokeAsync(handler, socket));
        }
    }

    private static Task InvokeAsync(Func<SocketIOSocket, Task> handler, SocketIOSocket socket)
    {
        try
        {
            return handler(socket);
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    private Task RunMiddlewaresAsync(SocketIOSocket socket)
    {
        Func<SocketIOSocket, Func<Task>, Task>[] middlewares;
        lock (_middlewares)
        {
            middlewares = [.. _middlewares];
        }

        Task Next(int index) => index == middlewares.Length ? Task.CompletedTask : middlewares[index](socket, () => Next(index + 1));
        return Next(0);
    }
}
