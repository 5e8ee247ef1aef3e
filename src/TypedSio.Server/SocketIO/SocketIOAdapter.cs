using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>Flags of a broadcast, as an adapter sees them.</summary>
[Flags]
public enum SocketIOBroadcastFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Only the sockets of this server (a cluster adapter does not forward the packet).</summary>
    Local = 1,

    /// <summary>The packet may be lost (not kept for recovery, dropped for clients that are not ready).</summary>
    Volatile = 2,

    /// <summary>The packet may be compressed (kept for API parity; the engine decides per message).</summary>
    Compress = 4,
}

/// <summary>Who a broadcast is for: sockets in any of <see cref="Rooms"/> (every socket when empty), minus those in any of <see cref="Except"/>.</summary>
/// <param name="Rooms">The target rooms; empty for the whole namespace.</param>
/// <param name="Except">The rooms (and socket ids) to leave out.</param>
/// <param name="Flags">The flags.</param>
public sealed record SocketIOBroadcastOptions(IReadOnlySet<string> Rooms, IReadOnlySet<string> Except, SocketIOBroadcastFlags Flags)
{
    /// <summary>Every socket of the namespace.</summary>
    public static SocketIOBroadcastOptions All { get; } = new(new HashSet<string>(), new HashSet<string>(), SocketIOBroadcastFlags.None);
}

/// <summary>A session kept for connection state recovery.</summary>
/// <param name="Sid">The socket id.</param>
/// <param name="Pid">The private session id the client presents to recover.</param>
/// <param name="Rooms">The rooms the socket was in.</param>
/// <param name="Data">The socket's data bag.</param>
public sealed record SocketIOSession(string Sid, string Pid, IReadOnlyList<string> Rooms, IReadOnlyDictionary<string, object?> Data);

/// <summary>A restored session with the broadcasts the client missed (each already carries its offset as last argument).</summary>
/// <param name="Session">The session.</param>
/// <param name="MissedPackets">The missed event packets, in order.</param>
public sealed record SocketIORestoredSession(SocketIOSession Session, IReadOnlyList<SocketIOPacket> MissedPackets);

/// <summary>
/// Keeps a namespace's rooms and delivers its broadcasts. The in-memory adapter serves one server; a cluster adapter
/// (e.g. Redis) derives from this class, forwards broadcasts and cluster requests to the other servers, and answers theirs.
/// </summary>
public abstract class SocketIOAdapter
{
    /// <summary>Creates the adapter of a namespace.</summary>
    /// <param name="nsp">The namespace.</param>
    protected SocketIOAdapter(SocketIONamespace nsp)
    {
        ArgumentNullException.ThrowIfNull(nsp);
        Namespace = nsp;
    }

    /// <summary>The namespace served.</summary>
    public SocketIONamespace Namespace { get; }

    /// <summary>Adds a local socket to rooms.</summary>
    /// <param name="socketId">The socket id.</param>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddAllAsync(string socketId, IEnumerable<string> rooms);

    /// <summary>Removes a local socket from a room.</summary>
    /// <param name="socketId">The socket id.</param>
    /// <param name="room">The room.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask DelAsync(string socketId, string room);

    /// <summary>Removes a local socket from every room.</summary>
    /// <param name="socketId">The socket id.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask DelAllAsync(string socketId);

    /// <summary>The rooms a local socket is in.</summary>
    /// <param name="socketId">The socket id.</param>
    /// <returns>The rooms (empty when unknown).</returns>
    public abstract IReadOnlySet<string> GetSocketRooms(string socketId);

    /// <summary>The ids of the local sockets a broadcast would reach.</summary>
    /// <param name="options">The target.</param>
    /// <returns>The socket ids.</returns>
    public abstract IReadOnlyCollection<string> GetSockets(SocketIOBroadcastOptions options);

    /// <summary>Sends an event packet to every targeted socket; the packet is encoded once.</summary>
    /// <param name="packet">The packet, already for this namespace.</param>
    /// <param name="options">The target.</param>
    /// <returns>A task that completes once the packet is queued for every local recipient.</returns>
    public abstract ValueTask BroadcastAsync(SocketIOPacket packet, SocketIOBroadcastOptions options);

    /// <summary>Sends an event packet asking each targeted socket for an acknowledgement.</summary>
    /// <param name="packet">The packet, for this namespace, without an ack id (the adapter assigns one).</param>
    /// <param name="options">The target.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The acknowledgements received in time, and whether every recipient answered.</returns>
    public abstract Task<SocketIOBroadcastAckResult> BroadcastWithAckAsync(
        SocketIOPacket packet, SocketIOBroadcastOptions options, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The sockets a broadcast would reach, with their details.</summary>
    /// <param name="options">The target.</param>
    /// <returns>The sockets.</returns>
    public abstract ValueTask<IReadOnlyList<SocketIORemoteSocket>> FetchSocketsAsync(SocketIOBroadcastOptions options);

    /// <summary>Makes the targeted sockets join rooms.</summary>
    /// <param name="options">The target.</param>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask AddSocketsAsync(SocketIOBroadcastOptions options, IReadOnlyList<string> rooms);

    /// <summary>Makes the targeted sockets leave rooms.</summary>
    /// <param name="options">The target.</param>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask DelSocketsAsync(SocketIOBroadcastOptions options, IReadOnlyList<string> rooms);

    /// <summary>Disconnects the targeted sockets.</summary>
    /// <param name="options">The target.</param>
    /// <param name="close">Whether to close their whole connection.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask DisconnectSocketsAsync(SocketIOBroadcastOptions options, bool close);

    /// <summary>Sends an event to the other servers of the cluster (nothing to do on a single server).</summary>
    /// <param name="packet">The event.</param>
    /// <returns>A task.</returns>
    public virtual ValueTask ServerSideEmitAsync(SocketIOPacket packet) => ValueTask.CompletedTask;

    /// <summary>How many servers the cluster has.</summary>
    /// <returns>1 for a single server.</returns>
    public virtual ValueTask<int> ServerCountAsync() => ValueTask.FromResult(1);

    /// <summary>Keeps a disconnected socket's session for recovery.</summary>
    /// <param name="session">The session.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask PersistSessionAsync(SocketIOSession session);

    /// <summary>Takes back a kept session with the packets broadcast after <paramref name="offset"/>.</summary>
    /// <param name="pid">The private session id.</param>
    /// <param name="offset">The id of the last packet the client received.</param>
    /// <returns>The session, or null when it is unknown, expired, or the offset is unknown.</returns>
    public abstract ValueTask<SocketIORestoredSession?> RestoreSessionAsync(string pid, string offset);
}

/// <summary>The acknowledgements of a broadcast.</summary>
/// <param name="Responses">One entry per recipient that answered in time.</param>
/// <param name="Complete">True when every recipient answered before the timeout.</param>
public sealed record SocketIOBroadcastAckResult(IReadOnlyList<SocketIOArguments> Responses, bool Complete);
