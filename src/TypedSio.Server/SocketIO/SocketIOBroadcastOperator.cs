using TypedSio.Hubs;
using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>
/// An immutable broadcast target: rooms, exclusions and flags, built with <c>To/In/Except/Local/Volatile/Compress/Timeout</c>
/// from a namespace or a socket (a socket's broadcasts leave the socket itself out).
/// </summary>
public sealed class SocketIOBroadcastOperator : IBroadcastEmitter
{
    private readonly SocketIONamespace _nsp;
    private readonly HashSet<string> _rooms;
    private readonly HashSet<string> _except;
    private readonly SocketIOBroadcastFlags _flags;
    private readonly TimeSpan? _timeout;

    internal SocketIOBroadcastOperator(SocketIONamespace nsp, HashSet<string>? rooms = null, HashSet<string>? except = null, SocketIOBroadcastFlags flags = SocketIOBroadcastFlags.None, TimeSpan? timeout = null)
    {
        _nsp = nsp;
        _rooms = rooms ?? new HashSet<string>(StringComparer.Ordinal);
        _except = except ?? new HashSet<string>(StringComparer.Ordinal);
        _flags = flags;
        _timeout = timeout;
    }

    /// <summary>The target as the adapter sees it.</summary>
    public SocketIOBroadcastOptions Options => new(_rooms, _except, _flags);

    /// <summary>Adds target rooms (or socket ids).</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A new operator.</returns>
    public SocketIOBroadcastOperator To(params string[] rooms) => new(_nsp, Union(_rooms, rooms), _except, _flags, _timeout);

    /// <summary>Same as <see cref="To"/>.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A new operator.</returns>
    public SocketIOBroadcastOperator In(params string[] rooms) => To(rooms);

    /// <summary>Leaves out the sockets in these rooms (or with these ids).</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A new operator.</returns>
    public SocketIOBroadcastOperator Except(params string[] rooms) => new(_nsp, _rooms, Union(_except, rooms), _flags, _timeout);

    /// <summary>Only this server's sockets.</summary>
    public SocketIOBroadcastOperator Local => new(_nsp, _rooms, _except, _flags | SocketIOBroadcastFlags.Local, _timeout);

    /// <summary>The event may be lost: it is not kept for recovery.</summary>
    public SocketIOBroadcastOperator Volatile => new(_nsp, _rooms, _except, _flags | SocketIOBroadcastFlags.Volatile, _timeout);

    /// <summary>Sets whether the event may be compressed.</summary>
    /// <param name="compress">Whether to compress.</param>
    /// <returns>A new operator.</returns>
    public SocketIOBroadcastOperator Compress(bool compress) =>
        new(_nsp, _rooms, _except, compress ? _flags | SocketIOBroadcastFlags.Compress : _flags & ~SocketIOBroadcastFlags.Compress, _timeout);

    /// <summary>Sets how long <see cref="EmitWithAckAsync(string, object?[])"/> waits for acknowledgements.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>A new operator.</returns>
    public SocketIOBroadcastOperator Timeout(TimeSpan timeout) => new(_nsp, _rooms, _except, _flags, timeout);

    /// <summary>Sends an event to every target socket; it is encoded once.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>A task that completes once queued for every local recipient.</returns>
    public Task EmitAsync(string eventName, params object?[] arguments)
    {
        SocketIONamespace.ThrowIfReserved(eventName);
        return EmitAsync(SocketIOPacket.CreateEvent(eventName, arguments, _nsp.Name, options: _nsp.Server.Options.JsonOptions), CancellationToken.None);
    }

    /// <summary>Sends an event to every target socket and collects their acknowledgements until the timeout (see <see cref="Timeout"/>).</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The acknowledgements; <see cref="SocketIOBroadcastAckResult.Complete"/> is false when some did not arrive in time.</returns>
    /// <exception cref="InvalidOperationException">No timeout was set.</exception>
    public Task<SocketIOBroadcastAckResult> EmitWithAckAsync(string eventName, params object?[] arguments)
    {
        SocketIONamespace.ThrowIfReserved(eventName);
        var timeout = _timeout ?? throw new InvalidOperationException("Broadcast acknowledgements need a timeout: call Timeout(...) first.");
        var packet = SocketIOPacket.CreateEvent(eventName, arguments, _nsp.Name, options: _nsp.Server.Options.JsonOptions);
        return _nsp.Adapter.BroadcastWithAckAsync(packet, Options, timeout, CancellationToken.None);
    }

    /// <inheritdoc />
    public Task EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventPacket);
        _nsp.Server.Metrics.Broadcast(_nsp.Name);
        return _nsp.Adapter.BroadcastAsync(Retarget(eventPacket), Options).AsTask();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SocketIOArguments>> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventPacket);
        var result = await _nsp.Adapter.BroadcastWithAckAsync(Retarget(eventPacket), Options, timeout, cancellationToken).ConfigureAwait(false);
        return result.Responses;
    }

    /// <summary>The target sockets.</summary>
    /// <returns>Their details.</returns>
    public async Task<IReadOnlyList<SocketIORemoteSocket>> FetchSocketsAsync() => await _nsp.Adapter.FetchSocketsAsync(Options).ConfigureAwait(false);

    /// <summary>Makes the target sockets join rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task SocketsJoinAsync(params string[] rooms) => _nsp.Adapter.AddSocketsAsync(Options, rooms).AsTask();

    /// <summary>Makes the target sockets leave rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task SocketsLeaveAsync(params string[] rooms) => _nsp.Adapter.DelSocketsAsync(Options, rooms).AsTask();

    /// <summary>Disconnects the target sockets.</summary>
    /// <param name="close">Whether to close their whole connections.</param>
    /// <returns>A task.</returns>
    public Task DisconnectSocketsAsync(bool close = false) => _nsp.Adapter.DisconnectSocketsAsync(Options, close).AsTask();

    private SocketIOPacket Retarget(SocketIOPacket packet) =>
        packet.Namespace == _nsp.Name && packet.AckId is null
            ? packet
            : new SocketIOPacket(packet.Type, _nsp.Name, packet.Payload, null, packet.Attachments);

    private static HashSet<string> Union(HashSet<string> set, string[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var result = new HashSet<string>(set, StringComparer.Ordinal);
        result.UnionWith(more);
        return result;
    }
}
