using TypedSio.SocketIO;

namespace TypedSio.Hubs;

/// <summary>
/// Dispatches a socket's incoming events to a typed hub. The TypedSio generator implements it for every
/// <see cref="SocketHub{TClient}"/>: a <c>switch</c> on the event name, arguments deserialized once.
/// </summary>
public interface ISocketHubDispatcher
{
    /// <summary>The event names the hub handles, in ordinal order.</summary>
    IReadOnlyList<string> EventNames { get; }

    /// <summary>Calls the hub method for an event.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The event's arguments.</param>
    /// <param name="cancellationToken">The socket's lifetime: signalled when it disconnects.</param>
    /// <returns>The acknowledgement reply (see <see cref="SocketIOEventHandler"/>), or null.</returns>
    ValueTask<SocketIOPacket?> DispatchAsync(string eventName, SocketIOArguments arguments, CancellationToken cancellationToken);
}

/// <summary>Connects a hub's dispatcher to a socket's event registry.</summary>
public static class SocketHubExtensions
{
    /// <summary>
    /// Registers one handler per event the hub handles, each forwarding to <see cref="ISocketHubDispatcher.DispatchAsync"/>.
    /// The server calls it once per socket, after attaching the hub (see <see cref="SocketHub{TClient}.Attach"/>).
    /// </summary>
    /// <param name="registry">The socket's event registry.</param>
    /// <param name="hub">The hub.</param>
    /// <returns>The subscriptions; disposing them removes every handler.</returns>
    public static IDisposable RegisterHub(this ISocketIOEventRegistry registry, ISocketHubDispatcher hub)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(hub);
        var names = hub.EventNames;
        var subscriptions = new IDisposable[names.Count];
        for (var i = 0; i < subscriptions.Length; i++)
        {
            var name = names[i];
            subscriptions[i] = registry.On(name, (arguments, cancellationToken) => hub.DispatchAsync(name, arguments, cancellationToken));
        }

        return new SocketIOSubscriptions(subscriptions);
    }
}

/// <summary>The emitters a hub reaches its clients through; the server implements it for the socket being served.</summary>
public interface ISocketHubTargets
{
    /// <summary>The socket that sent the event being handled.</summary>
    ISocketIOEmitter Caller { get; }

    /// <summary>Every socket of the namespace.</summary>
    IBroadcastEmitter All { get; }

    /// <summary>Every socket of the namespace except the caller.</summary>
    IBroadcastEmitter Others { get; }

    /// <summary>One socket by id.</summary>
    /// <param name="socketId">The socket id.</param>
    /// <returns>Its emitter.</returns>
    ISocketIOEmitter Socket(string socketId);

    /// <summary>The sockets in a room.</summary>
    /// <param name="room">The room.</param>
    /// <returns>Their emitter.</returns>
    IBroadcastEmitter Room(string room);

    /// <summary>Every socket of the namespace except those in a room.</summary>
    /// <param name="room">The room to leave out.</param>
    /// <returns>Their emitter.</returns>
    IBroadcastEmitter Except(string room);
}

/// <summary>Typed views of a hub's recipients: each one a proxy implementing the client contract.</summary>
/// <typeparam name="TClient">The client contract (events the server sends).</typeparam>
public sealed class SocketHubClients<TClient>
    where TClient : class
{
    private readonly ISocketHubTargets _targets;

    /// <summary>Wraps the server's targets.</summary>
    /// <param name="targets">The targets.</param>
    public SocketHubClients(ISocketHubTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _targets = targets;
    }

    /// <summary>The socket that sent the event being handled.</summary>
    public TClient Caller => SocketContractRegistry.CreateProxy<TClient>(_targets.Caller);

    /// <summary>Every socket of the namespace.</summary>
    [SocketBroadcastTarget]
    public TClient All => SocketContractRegistry.CreateBroadcastProxy<TClient>(_targets.All);

    /// <summary>Every socket of the namespace except the caller.</summary>
    [SocketBroadcastTarget]
    public TClient Others => SocketContractRegistry.CreateBroadcastProxy<TClient>(_targets.Others);

    /// <summary>One socket by id.</summary>
    /// <param name="socketId">The socket id.</param>
    /// <returns>Its proxy.</returns>
    public TClient Socket(string socketId) => SocketContractRegistry.CreateProxy<TClient>(_targets.Socket(socketId));

    /// <summary>The sockets in a room.</summary>
    /// <param name="room">The room.</param>
    /// <returns>Their proxy.</returns>
    [SocketBroadcastTarget]
    public TClient Room(string room) => SocketContractRegistry.CreateBroadcastProxy<TClient>(_targets.Room(room));

    /// <summary>Every socket of the namespace except those in a room.</summary>
    /// <param name="room">The room to leave out.</param>
    /// <returns>Their proxy.</returns>
    [SocketBroadcastTarget]
    public TClient Except(string room) => SocketContractRegistry.CreateBroadcastProxy<TClient>(_targets.Except(room));
}

/// <summary>
/// Base of typed hubs: <c>public sealed partial class ChatHub : SocketHub&lt;IChatClient&gt;, IChatServer</c>. The
/// TypedSio generator implements <see cref="EventNames"/> and <see cref="DispatchAsync"/> in the partial class from the
/// server contracts the hub implements, and the proxies behind <see cref="Clients"/> from <typeparamref name="TClient"/>.
/// </summary>
/// <typeparam name="TClient">The client contract (events the server sends).</typeparam>
public abstract class SocketHub<TClient> : ISocketHub
    where TClient : class
{
    private SocketHubClients<TClient>? _clients;

    /// <summary>The hub's recipients as typed proxies.</summary>
    /// <exception cref="InvalidOperationException">The server has not attached the hub to a socket yet.</exception>
    public SocketHubClients<TClient> Clients =>
        _clients ?? throw new InvalidOperationException("The hub is not attached to a socket: the server calls Attach before dispatching.");

    /// <inheritdoc />
    public abstract IReadOnlyList<string> EventNames { get; }

    /// <summary>Attaches the hub to the socket it serves (called by the server before dispatching).</summary>
    /// <param name="targets">The socket's recipients.</param>
    public void Attach(ISocketHubTargets targets) => _clients = new SocketHubClients<TClient>(targets);

    /// <inheritdoc />
    public abstract ValueTask<SocketIOPacket?> DispatchAsync(string eventName, SocketIOArguments arguments, CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual Task OnConnectedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task OnDisconnectedAsync(string reason) => Task.CompletedTask;
}

/// <summary>
/// What a server needs to host a hub: dispatch, attachment to the socket being served, and the connection's lifetime
/// hooks. <see cref="SocketHub{TClient}"/> implements it; the server creates one hub per connected socket.
/// </summary>
public interface ISocketHub : ISocketHubDispatcher
{
    /// <summary>Attaches the hub to the socket it serves (called by the server before dispatching).</summary>
    /// <param name="targets">The socket's recipients.</param>
    void Attach(ISocketHubTargets targets);

    /// <summary>Runs once the socket has connected and the hub's handlers are registered.</summary>
    /// <param name="cancellationToken">Signalled when the socket disconnects.</param>
    /// <returns>A task.</returns>
    Task OnConnectedAsync(CancellationToken cancellationToken);

    /// <summary>Runs once the socket has disconnected.</summary>
    /// <param name="reason">The reason, worded as the reference server does (e.g. <c>"transport close"</c>).</param>
    /// <returns>A task.</returns>
    Task OnDisconnectedAsync(string reason);
}
