using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>
/// The adapter of a single server: rooms in memory, broadcasts encoded once and handed to each local socket, and (when
/// connection state recovery is on) the sessions and recent broadcasts kept for recovery.
/// </summary>
public partial class SocketIOInMemoryAdapter : SocketIOAdapter
{
    private readonly object _gate = new();
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _sids = new(StringComparer.Ordinal);

    /// <summary>Creates the adapter of a namespace.</summary>
    /// <param name="nsp">The namespace.</param>
    public SocketIOInMemoryAdapter(SocketIONamespace nsp)
        : base(nsp)
    {
        _recovery = nsp.Server.Options.ConnectionStateRecovery;
        _time = nsp.Server.Time;
    }

    /// <inheritdoc />
    public override ValueTask AddAllAsync(string socketId, IEnumerable<string> rooms)
    {
        lock (_gate)
        {
            if (!_sids.TryGetValue(socketId, out var own))
            {
                _sids[socketId] = own = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (var room in rooms)
            {
                own.Add(room);
                if (!_rooms.TryGetValue(room, out var members))
                {
                    _rooms[room] = members = new HashSet<string>(StringComparer.Ordinal);
                    OnRoomCreated(room, _sids.ContainsKey(room));
                }

                members.Add(socketId);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask DelAsync(string socketId, string room)
    {
        lock (_gate)
        {
            if (_sids.TryGetValue(socketId, out var own))
            {
                own.Remove(room);
            }

            RemoveMember(room, socketId);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask DelAllAsync(string socketId)
    {
        lock (_gate)
        {
            if (_sids.Remove(socketId, out var own))
            {
                foreach (var room in own)
                {
                    RemoveMember(room, socketId);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override IReadOnlySet<string> GetSocketRooms(string socketId)
    {
        lock (_gate)
        {
            return _sids.TryGetValue(socketId, out var own) ? new HashSet<string>(own, StringComparer.Ordinal) : new HashSet<string>();
        }
    }

    /// <summary>The rooms that have members, with their socket ids.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> GetRooms()
    {
        lock (_gate)
        {
            return _rooms.ToDictionary(r => r.Key, r => (IReadOnlySet<string>)new HashSet<string>(r.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyCollection<string> GetSockets(SocketIOBroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_gate)
        {
            // The common broadcast, one room and no exclusions: its members are already distinct, so they are copied
            // as they are instead of being hashed again into a "seen" set (10K hash inserts for a 10K-socket room).
            if (options.Rooms.Count == 1 && options.Except.Count == 0)
            {
                return _rooms.TryGetValue(options.Rooms.First(), out var only) ? [.. only] : [];
            }

            var result = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            IEnumerable<string> candidates = options.Rooms.Count == 0
                ? _sids.Keys
                : options.Rooms.SelectMany(r => _rooms.TryGetValue(r, out var members) ? members : (IEnumerable<string>)[]);
            foreach (var sid in candidates)
            {
                if (seen.Add(sid) && !IsExcluded(sid, options.Except))
                {
                    result.Add(sid);
                }
            }

            return result;
        }
    }

    /// <inheritdoc />
    public override async ValueTask BroadcastAsync(SocketIOPacket packet, SocketIOBroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        packet = StoreForRecovery(packet, options);
        var encoded = SocketIOEncodedPacket.Encode(packet);
        var isVolatile = options.Flags.HasFlag(SocketIOBroadcastFlags.Volatile);
        foreach (var socket in LocalSockets(options))
        {
            await socket.SendEncodedAsync(encoded, packet, isVolatile).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task<SocketIOBroadcastAckResult> BroadcastWithAckAsync(
        SocketIOPacket packet, SocketIOBroadcastOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        using var expire = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = SendWithOneAckId(packet, packet.Namespace, options, expire.Token);

        var all = Task.WhenAll(pending);
        try
        {
            await all.WaitAsync(timeout, Namespace.Server.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        var responses = pending.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
        var complete = responses.Count == pending.Count;
        await expire.CancelAsync().ConfigureAwait(false);
        return new SocketIOBroadcastAckResult(responses, complete);
    }

    /// <summary>
    /// Sends a packet that asks for acknowledgements to this server's sockets that <paramref name="options"/> selects,
    /// encoded once with one ack id, and reports each acknowledgement as it arrives: what a cluster adapter does with
    /// another server's broadcast with ack, relaying every answer back to it.
    /// </summary>
    /// <param name="packet">The event (its namespace and id are replaced).</param>
    /// <param name="options">Which sockets.</param>
    /// <param name="timeout">How long to wait for the acknowledgements.</param>
    /// <param name="onAck">Called once per acknowledgement, as it arrives.</param>
    /// <param name="completion">Completes once every socket answered, left, or the timeout passed.</param>
    /// <returns>How many sockets the packet went to.</returns>
    protected int SendWithAcksLocally(
        SocketIOPacket packet, SocketIOBroadcastOptions options, TimeSpan timeout, Func<SocketIOArguments, Task> onAck, out Task completion)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onAck);
        var expire = new CancellationTokenSource(timeout, Namespace.Server.Time);
        var relays = SendWithOneAckId(packet, Namespace.Name, options, expire.Token).Select(ack => RelayAckAsync(ack, onAck)).ToList();

        completion = Task.WhenAll(relays).ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Dispose(), expire, TaskScheduler.Default);
        return relays.Count;
    }

    // One ack id and one encoding for every selected socket; returns each socket's pending acknowledgement.
    private List<Task<SocketIOArguments>> SendWithOneAckId(SocketIOPacket packet, string nsp, SocketIOBroadcastOptions options, CancellationToken expire)
    {
        var id = Namespace.NextAckId();
        var withId = new SocketIOPacket(packet.Type, nsp, packet.Payload, id, packet.Attachments);
        var encoded = SocketIOEncodedPacket.Encode(withId);
        var isVolatile = options.Flags.HasFlag(SocketIOBroadcastFlags.Volatile);
        var pending = new List<Task<SocketIOArguments>>();
        foreach (var socket in LocalSockets(options))
        {
            pending.Add(socket.ExpectAck(id, expire));
            socket.Observe(socket.SendEncodedAsync(encoded, withId, isVolatile));
        }

        return pending;
    }

    private static async Task RelayAckAsync(Task<SocketIOArguments> ack, Func<SocketIOArguments, Task> onAck)
    {
        SocketIOArguments arguments;
        try
        {
            arguments = await ack.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketIODisconnectedException)
        {
            return; // no answer in time, or the socket left: the requester's own timeout accounts for it
        }

        await onAck(arguments).ConfigureAwait(false);
    }

    /// <summary>
    /// Called when a room gets its first local member (a cluster adapter may subscribe to the room's channel). Runs under
    /// the adapter's lock, in the order rooms come and go: it must not block nor call back into the adapter.
    /// </summary>
    /// <param name="room">The room.</param>
    /// <param name="isSocketId">Whether the room is the id of a local socket (the private room each socket joins).</param>
    protected virtual void OnRoomCreated(string room, bool isSocketId)
    {
    }

    /// <summary>Called when a room loses its last local member; runs under the adapter's lock, like <see cref="OnRoomCreated"/>.</summary>
    /// <param name="room">The room.</param>
    protected virtual void OnRoomDeleted(string room)
    {
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<SocketIORemoteSocket>> FetchSocketsAsync(SocketIOBroadcastOptions options) =>
        ValueTask.FromResult<IReadOnlyList<SocketIORemoteSocket>>(
            LocalSockets(options).Select(s => new SocketIORemoteSocket(Namespace, s.Id, s.Handshake, GetSocketRooms(s.Id), s.Data)).ToList());

    /// <inheritdoc />
    public override async ValueTask AddSocketsAsync(SocketIOBroadcastOptions options, IReadOnlyList<string> rooms)
    {
        foreach (var socket in LocalSockets(options))
        {
            await socket.JoinAsync(rooms).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async ValueTask DelSocketsAsync(SocketIOBroadcastOptions options, IReadOnlyList<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        foreach (var socket in LocalSockets(options))
        {
            foreach (var room in rooms)
            {
                await socket.LeaveAsync(room).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisconnectSocketsAsync(SocketIOBroadcastOptions options, bool close)
    {
        foreach (var socket in LocalSockets(options))
        {
            await socket.DisconnectAsync(close).ConfigureAwait(false);
        }
    }

    private List<SocketIOSocket> LocalSockets(SocketIOBroadcastOptions options)
    {
        var sockets = new List<SocketIOSocket>();
        foreach (var sid in GetSockets(options))
        {
            if (Namespace.TryGetSocket(sid, out var socket))
            {
                sockets.Add(socket);
            }
        }

        return sockets;
    }

    private bool IsExcluded(string sid, IReadOnlySet<string> except)
    {
        if (except.Count == 0)
        {
            return false;
        }

        return _sids.TryGetValue(sid, out var own) && own.Overlaps(except);
    }

    private void RemoveMember(string room, string socketId)
    {
        if (_rooms.TryGetValue(room, out var members) && members.Remove(socketId) && members.Count == 0)
        {
            _rooms.Remove(room);
            OnRoomDeleted(room);
        }
    }
}
