using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using TypedSio.Hubs;
using TypedSio.Server.EngineIO;
using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>
/// One client's presence in one namespace: its handshake, data, rooms, event handlers, and everything it can send.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The token source has no timer, and handlers may still read the token after the socket is gone.")]
public sealed partial class SocketIOSocket : ISocketIOEmitter, ISocketIOEventRegistry
{
    private readonly SocketIOClientConnection _client;
    // Created on first use: most sockets never wait for an ack, read the token or store data, and thousands of idle
    // connections should not pay for them.
    private CancellationTokenSource? _disconnected;
    private ConcurrentDictionary<long, TaskCompletionSource<SocketIOArguments>>? _acks;
    private ConcurrentDictionary<string, object?>? _data;
    private int _state; // 0 connecting, 1 connected, 2 disconnected

    internal SocketIOSocket(SocketIONamespace nsp, SocketIOClientConnection client, JsonElement auth, SocketIORestoredSession? restored)
    {
        Namespace = nsp;
        _client = client;
        Handshake = new SocketIOHandshake(client.Connection.Request, auth.ValueKind == JsonValueKind.Object ? auth : EmptyObject, nsp.Server.Time.GetUtcNow());
        if (restored is not null)
        {
            Id = restored.Session.Sid;
            Pid = restored.Session.Pid;
            _data = new ConcurrentDictionary<string, object?>(restored.Session.Data, StringComparer.Ordinal);
            Recovered = true;
        }
        else
        {
            Id = NewId();
            Pid = nsp.Server.Options.ConnectionStateRecovery is null ? null : NewId();
        }
    }

    private static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The socket id (not the Engine.IO id, which stays private as in the reference).</summary>
    public string Id { get; }

    /// <summary>The namespace.</summary>
    public SocketIONamespace Namespace { get; }

    /// <summary>The handshake.</summary>
    public SocketIOHandshake Handshake { get; }

    /// <summary>Free-form data kept with the socket (restored with it by connection state recovery).</summary>
    public IDictionary<string, object?> Data =>
        _data ?? LazyInitializer.EnsureInitialized(ref _data, static () => new ConcurrentDictionary<string, object?>(StringComparer.Ordinal));

    /// <summary>Whether the socket is connected.</summary>
    public bool Connected => Volatile.Read(ref _state) == 1;

    /// <summary>Whether this socket took over a session kept by connection state recovery.</summary>
    public bool Recovered { get; }

    /// <summary>The rooms the socket is in (its own id included).</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.GetSocketRooms(Id);

    /// <summary>The underlying Engine.IO connection (shared by the client's sockets of every namespace).</summary>
    public IEngineIOConnection Connection => _client.Connection;

    /// <summary>Signalled when the socket disconnects.</summary>
    public CancellationToken DisconnectedToken
    {
        get
        {
            if (_disconnected is null)
            {
                var created = new CancellationTokenSource();
                if (Interlocked.CompareExchange(ref _disconnected, created, null) is null && Volatile.Read(ref _state) == 2)
                {
                    created.Cancel(); // asked for after the socket left
                }
            }

            return _disconnected.Token;
        }
    }

    /// <summary>Raised when the socket is about to leave (it is still in its rooms).</summary>
    public event EventHandler<SocketIODisconnectEventArgs>? Disconnecting;

    /// <summary>Raised once the socket has left.</summary>
    public event EventHandler<SocketIODisconnectEventArgs>? Disconnected;

    /// <summary>Raised when a handler or a per-packet middleware fails.</summary>
    public event EventHandler<Exception>? Error;

    internal string? Pid { get; }

    /// <summary>Joins rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task JoinAsync(params string[] rooms) => JoinAsync((IEnumerable<string>)rooms);

    /// <summary>Joins rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task JoinAsync(IEnumerable<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        return Namespace.Adapter.AddAllAsync(Id, rooms).AsTask();
    }

    /// <summary>Leaves a room.</summary>
    /// <param name="room">The room.</param>
    /// <returns>A task.</returns>
    public Task LeaveAsync(string room) => Namespace.Adapter.DelAsync(Id, room).AsTask();

    /// <summary>Targets rooms, leaving this socket out.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public SocketIOBroadcastOperator To(params string[] rooms) => Broadcast.To(rooms);

    /// <summary>Same as <see cref="To"/>.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public SocketIOBroadcastOperator In(params string[] rooms) => Broadcast.To(rooms);

    /// <summary>Every other socket except those in rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public SocketIOBroadcastOperator Except(params string[] rooms) => Broadcast.Except(rooms);

    /// <summary>Every socket of the namespace but this one.</summary>
    public SocketIOBroadcastOperator Broadcast => new SocketIOBroadcastOperator(Namespace).Except(Id);

    /// <summary>Disconnects the socket from its namespace (a DISCONNECT packet is sent), or closes the whole connection.</summary>
    /// <param name="close">Whether to close the Engine.IO connection (every namespace of the client).</param>
    /// <returns>A task.</returns>
    public async Task DisconnectAsync(bool close = false)
    {
        if (!Connected)
        {
            return;
        }

        if (close)
        {
            await _client.DisconnectAllAsync().ConfigureAwait(false);
            return;
        }

        await SendPacketAsync(SocketIOPacket.CreateDisconnect(Namespace.Name)).ConfigureAwait(false);
        await CloseAsync(SocketIODisconnectReason.ServerNamespaceDisconnect).ConfigureAwait(false);
    }

    internal static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    internal async Task OnConnectAsync(SocketIORestoredSession? restored)
    {
        Volatile.Write(ref _state, 1);
        Namespace.Server.Metrics.Connected(Namespace.Name);
        await JoinAsync(restored is null ? [Id] : restored.Session.Rooms.Append(Id)).ConfigureAwait(false);
        var reply = Pid is null ? (object)new Dictionary<string, object?> { ["sid"] = Id } : new Dictionary<string, object?> { ["sid"] = Id, ["pid"] = Pid };
        await SendPacketAsync(SocketIOPacket.CreateConnect(Namespace.Name, reply)).ConfigureAwait(false);
        if (restored is not null)
        {
            foreach (var packet in restored.MissedPackets)
            {
                await SendPacketAsync(packet).ConfigureAwait(false);
            }
        }

        Namespace.Server.Log.Connected(Namespace.Name, Id, Recovered);
    }

    internal async Task CloseAsync(SocketIODisconnectReason reason)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }

        var args = new SocketIODisconnectEventArgs(reason);
        Raise(Disconnecting, args);
        if (Pid is not null && reason.IsRecoverable())
        {
            var session = new SocketIOSession(Id, Pid, [.. Namespace.Adapter.GetSocketRooms(Id)], new Dictionary<string, object?>(_data ?? [], StringComparer.Ordinal));
            await Namespace.Adapter.PersistSessionAsync(session).ConfigureAwait(false);
        }

        await Namespace.Adapter.DelAllAsync(Id).ConfigureAwait(false);
        Namespace.Remove(this);
        _client.Detach(this);
        if (_acks is { } acks)
        {
            foreach (var pending in acks)
            {
                pending.Value.TrySetException(new SocketIODisconnectedException(reason));
            }

            acks.Clear();
        }

        // A token created from here on is created cancelled (see DisconnectedToken).
        if (Interlocked.CompareExchange(ref _disconnected, null, null) is { } disconnected)
        {
            await disconnected.CancelAsync().ConfigureAwait(false);
        }
        Namespace.Server.Metrics.Disconnected(Namespace.Name);
        Namespace.Server.Log.Disconnected(Namespace.Name, Id, reason.ToReasonString());
        Raise(Disconnected, args);
    }

    internal Task SendPacketAsync(SocketIOPacket packet) => SendEncodedAsync(SocketIOEncodedPacket.Encode(packet), packet, isVolatile: false);

    internal async Task SendEncodedAsync(SocketIOEncodedPacket encoded, SocketIOPacket packet, bool isVolatile)
    {
        if (packet.IsEvent)
        {
            NotifyOutgoing(packet);
        }

        await _client.WriteAsync(encoded, isVolatile).ConfigureAwait(false);
    }

    internal Task<SocketIOArguments> ExpectAck(long id, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<SocketIOArguments>(TaskCreationOptions.RunContinuationsAsynchronously);
        var acks = _acks ?? LazyInitializer.EnsureInitialized(ref _acks, static () => new ConcurrentDictionary<long, TaskCompletionSource<SocketIOArguments>>());
        acks[id] = pending;
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                if (acks.TryRemove(new KeyValuePair<long, TaskCompletionSource<SocketIOArguments>>(id, pending)))
                {
                    pending.TrySetCanceled(cancellationToken);
                }
            });
        }

        if (!Connected)
        {
            acks.TryRemove(id, out _);
            pending.TrySetException(new SocketIODisconnectedException(SocketIODisconnectReason.ServerNamespaceDisconnect));
        }

        return pending.Task;
    }

    internal void Observe(Task task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        task.ContinueWith(
            (t, state) => ((SocketIOSocket)state!).OnHandlerError(t.Exception!.GetBaseException()),
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnHandlerError(Exception exception)
    {
        Namespace.Server.Log.HandlerFailed(exception, Namespace.Name, Id);
        Namespace.Server.Metrics.Error(Namespace.Name, "handler");
        Error?.Invoke(this, exception);
    }

    private void Raise(EventHandler<SocketIODisconnectEventArgs>? handler, SocketIODisconnectEventArgs args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
        catch (Exception exception)
        {
            OnHandlerError(exception);
        }
    }
}

/// <summary>An acknowledgement will never come: the socket disconnected.</summary>
public sealed class SocketIODisconnectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the socket disconnected.</param>
    public SocketIODisconnectedException(SocketIODisconnectReason reason)
        : base("The socket disconnected: " + reason.ToReasonString()) => Reason = reason;

    /// <summary>Creates the exception.</summary>
    public SocketIODisconnectedException()
        : this(SocketIODisconnectReason.ServerNamespaceDisconnect)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public SocketIODisconnectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SocketIODisconnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why the socket disconnected.</summary>
    public SocketIODisconnectReason Reason { get; }
}
