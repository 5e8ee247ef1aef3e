using TypedSio.SocketIO;

namespace TypedSio.Hubs;

/// <summary>
/// Sends events to exactly one peer: the client's socket, or one connected socket on the server. Typed proxies built by
/// the TypedSio generator call it; the client and server sockets implement it.
/// </summary>
/// <remarks>
/// The caller builds the event packet for the namespace <c>/</c> without an ack id; the emitter re-targets it to its own
/// namespace and, for <see cref="EmitWithAckAsync"/>, assigns the ack id.
/// </remarks>
public interface ISocketIOEmitter
{
    /// <summary>Sends an event without asking for an acknowledgement.</summary>
    /// <param name="eventPacket">The event, built for namespace <c>/</c> without an ack id.</param>
    /// <param name="cancellationToken">Cancels sending (not delivery once written).</param>
    /// <returns>A task that completes when the packet has been queued for sending.</returns>
    Task EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken);

    /// <summary>Sends an event and waits for the peer's acknowledgement.</summary>
    /// <param name="eventPacket">The event, built for namespace <c>/</c> without an ack id.</param>
    /// <param name="timeout">How long to wait for the acknowledgement, or null for the emitter's default.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The arguments of the acknowledgement.</returns>
    Task<SocketIOArguments> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan? timeout, CancellationToken cancellationToken);
}

/// <summary>
/// Sends events to any number of sockets at once (everyone, a room, everyone but a room, everyone but the caller).
/// Kept apart from <see cref="ISocketIOEmitter"/> because acknowledgements differ: one reply per recipient, and a
/// timeout is mandatory since the number of recipients is not known in advance.
/// </summary>
public interface IBroadcastEmitter
{
    /// <summary>Sends an event to every recipient without asking for acknowledgements.</summary>
    /// <param name="eventPacket">The event, built for namespace <c>/</c> without an ack id; encoded once for all recipients.</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns>A task that completes when the packet has been queued for every recipient.</returns>
    Task EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken);

    /// <summary>Sends an event to every recipient and collects their acknowledgements until the timeout.</summary>
    /// <param name="eventPacket">The event, built for namespace <c>/</c> without an ack id.</param>
    /// <param name="timeout">How long to wait for the replies.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>One set of acknowledgement arguments per recipient that replied in time.</returns>
    Task<IReadOnlyList<SocketIOArguments>> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// Handles one incoming event. The result is the acknowledgement to send back when the sender asked for one: an
/// <see cref="SocketIOPacketType.Ack"/> packet built for namespace <c>/</c> without an ack id (for example with
/// <see cref="SocketIOPayloadWriter.ToPacket"/>), which the registry re-targets to the sender's ack id and namespace;
/// or null for no reply.
/// </summary>
/// <param name="arguments">The event's arguments (after its name).</param>
/// <param name="cancellationToken">Signalled when the socket goes away.</param>
/// <returns>The acknowledgement reply, or null.</returns>
public delegate ValueTask<SocketIOPacket?> SocketIOEventHandler(SocketIOArguments arguments, CancellationToken cancellationToken);

/// <summary>Where handlers for incoming events are registered: the client's socket, or a connected socket on the server.</summary>
public interface ISocketIOEventRegistry
{
    /// <summary>Registers a handler for an event name.</summary>
    /// <param name="eventName">The event name exactly as it appears on the wire.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>A subscription; disposing it removes the handler.</returns>
    IDisposable On(string eventName, SocketIOEventHandler handler);
}

/// <summary>A set of handler subscriptions removed together, as returned when a receiver is registered.</summary>
public sealed class SocketIOSubscriptions : IDisposable
{
    private IReadOnlyList<IDisposable>? _subscriptions;

    /// <summary>Groups subscriptions.</summary>
    /// <param name="subscriptions">The subscriptions, disposed in order.</param>
    public SocketIOSubscriptions(IReadOnlyList<IDisposable> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        _subscriptions = subscriptions;
    }

    /// <summary>Removes every handler; later calls do nothing.</summary>
    public void Dispose()
    {
        var subscriptions = Interlocked.Exchange(ref _subscriptions, null);
        if (subscriptions is null)
        {
            return;
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }
}
