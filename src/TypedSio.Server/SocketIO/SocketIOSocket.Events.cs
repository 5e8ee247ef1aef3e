using System.Collections.Immutable;
using TypedSio.Hubs;
using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

public sealed partial class SocketIOSocket
{
    private EventHandlerMap _handlers = EventHandlerMap.Empty;

    private ImmutableList<Func<SocketIOEventContext, Task>> _anyHandlers = [];
    private ImmutableList<Action<SocketIOPacket>> _anyOutgoing = [];
    private ImmutableList<Func<SocketIOEventContext, Func<Task>, Task>> _packetMiddlewares = [];

    /// <summary>Registers a handler for an event.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="handler">The handler; acknowledge with <see cref="SocketIOEventContext.AckAsync(object?[])"/>.</param>
    /// <returns>A subscription; disposing it removes the handler.</returns>
    public IDisposable On(string eventName, Func<SocketIOEventContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _handlers, static (map, added) => map.Add(added.eventName, added.handler), (eventName, handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref _handlers, static (map, removed) => map.Remove(removed.eventName, removed.handler), (eventName, handler)));
    }

    /// <summary>Registers a synchronous handler for an event.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>A subscription.</returns>
    public IDisposable On(string eventName, Action<SocketIOEventContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, e =>
        {
            handler(e);
            return Task.CompletedTask;
        });
    }

    /// <inheritdoc />
    IDisposable ISocketIOEventRegistry.On(string eventName, SocketIOEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, async e =>
        {
            var reply = await handler(e.Arguments, e.CancellationToken).ConfigureAwait(false);
            if (reply is not null)
            {
                await e.AckAsync(reply).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Registers a handler for every incoming event (before the event's own handlers).</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>A subscription.</returns>
    public IDisposable OnAny(Func<SocketIOEventContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _anyHandlers, list => list.Add(handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref _anyHandlers, list => list.Remove(handler)));
    }

    /// <summary>Registers a listener for every outgoing event of this socket (its own emits and the broadcasts it receives).</summary>
    /// <param name="listener">The listener; it gets the packet about to be sent.</param>
    /// <returns>A subscription.</returns>
    public IDisposable OnAnyOutgoing(Action<SocketIOPacket> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ImmutableInterlocked.Update(ref _anyOutgoing, list => list.Add(listener));
        return new Subscription(() => ImmutableInterlocked.Update(ref _anyOutgoing, list => list.Remove(listener)));
    }

    /// <summary>
    /// Adds a middleware run for every incoming event before its handlers. Not calling <c>next</c> drops the event;
    /// throwing drops it and raises <see cref="Error"/>.
    /// </summary>
    /// <param name="middleware">The middleware.</param>
    /// <returns>This socket.</returns>
    public SocketIOSocket Use(Func<SocketIOEventContext, Func<Task>, Task> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        ImmutableInterlocked.Update(ref _packetMiddlewares, list => list.Add(middleware));
        return this;
    }

    /// <summary>Sends an event to this socket.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments (binary values become attachments).</param>
    /// <returns>A task that completes once queued.</returns>
    public Task EmitAsync(string eventName, params object?[] arguments)
    {
        SocketIONamespace.ThrowIfReserved(eventName);
        return SendEventAsync(SocketIOPacket.CreateEvent(eventName, arguments, Namespace.Name, options: Namespace.Server.Options.JsonOptions));
    }

    /// <summary>Sends an event and waits for the client's acknowledgement.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="timeout">How long to wait; null waits until the socket disconnects.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The acknowledgement's arguments.</returns>
    /// <exception cref="TimeoutException">No acknowledgement in time ("operation has timed out").</exception>
    public Task<SocketIOArguments> EmitWithAckAsync(string eventName, object?[] arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        SocketIONamespace.ThrowIfReserved(eventName);
        ArgumentNullException.ThrowIfNull(arguments);
        return EmitWithAckAsync(SocketIOPacket.CreateEvent(eventName, arguments, Namespace.Name, options: Namespace.Server.Options.JsonOptions), timeout, cancellationToken);
    }

    /// <inheritdoc />
    Task ISocketIOEmitter.EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventPacket);
        return SendEventAsync(new SocketIOPacket(eventPacket.Type, Namespace.Name, eventPacket.Payload, null, eventPacket.Attachments));
    }

    // With recovery on, the reference sends a socket's own events through the adapter to the socket's room, so that they
    // get an offset and are kept for recovery like broadcasts; a client relies on that to recover events sent only to it.
    private Task SendEventAsync(SocketIOPacket packet) =>
        Namespace.Server.Options.ConnectionStateRecovery is null
            ? SendPacketAsync(packet)
            : Namespace.Adapter.BroadcastAsync(
                packet,
                new SocketIOBroadcastOptions(new HashSet<string>(StringComparer.Ordinal) { Id }, new HashSet<string>(StringComparer.Ordinal), SocketIOBroadcastFlags.None)).AsTask();

    /// <summary>Sends an event packet (built for any namespace, without id) and waits for the acknowledgement.</summary>
    /// <param name="eventPacket">The event.</param>
    /// <param name="timeout">How long to wait; null waits until the socket disconnects.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The acknowledgement's arguments.</returns>
    public async Task<SocketIOArguments> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventPacket);
        var id = Namespace.NextAckId();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ack = ExpectAck(id, linked.Token);
        await SendPacketAsync(new SocketIOPacket(eventPacket.Type, Namespace.Name, eventPacket.Payload, id, eventPacket.Attachments)).ConfigureAwait(false);
        try
        {
            return timeout is { } t
                ? await ack.WaitAsync(t, Namespace.Server.Time, cancellationToken).ConfigureAwait(false)
                : await ack.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("operation has timed out");
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
        }
    }

    // Called by the connection's read loop, in arrival order; handlers start synchronously and are not awaited so a
    // handler waiting for this client's acknowledgement does not stop the loop that would deliver it.
    internal void OnPacket(SocketIOPacket packet)
    {
        switch (packet.Type)
        {
            case SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent:
                if (Connected)
                {
                    Observe(DispatchAsync(packet));
                }

                break;
            case SocketIOPacketType.Ack or SocketIOPacketType.BinaryAck:
                if (packet.AckId is { } id && _acks is { } acks && acks.TryRemove(id, out var pending))
                {
                    pending.TrySetResult(packet.GetArguments());
                }

                break;
            case SocketIOPacketType.Disconnect:
                Observe(CloseAsync(SocketIODisconnectReason.ClientNamespaceDisconnect));
                break;
        }
    }

    private async Task DispatchAsync(SocketIOPacket packet)
    {
        var context = new SocketIOEventContext(this, packet, packet.EventName ?? "");
        var middlewares = _packetMiddlewares;
        if (!middlewares.IsEmpty && !await RunMiddlewaresAsync(middlewares, context).ConfigureAwait(false))
        {
            return;
        }

        // Indexed loops: an ImmutableList enumerator rents a pooled stack per loop, a cost paid on every event.
        var anyHandlers = _anyHandlers;
        for (var i = 0; i < anyHandlers.Count; i++)
        {
            await anyHandlers[i](context).ConfigureAwait(false);
        }

        if (_handlers.Find(context.Name) is { } handlers)
        {
            for (var i = 0; i < handlers.Length; i++)
            {
                Observe(handlers[i](context));
            }
        }
    }

    // Apart from DispatchAsync so that its closure is only allocated for sockets that have per-packet middlewares.
    private async Task<bool> RunMiddlewaresAsync(ImmutableList<Func<SocketIOEventContext, Func<Task>, Task>> middlewares, SocketIOEventContext context)
    {
        var reached = false;
        Task Next(int index)
        {
            if (index == middlewares.Count)
            {
                reached = true;
                return Task.CompletedTask;
            }

            return middlewares[index](context, () => Next(index + 1));
        }

        await Next(0).ConfigureAwait(false);
        return reached && Connected;
    }

    private void NotifyOutgoing(SocketIOPacket packet)
    {
        var listeners = _anyOutgoing;
        for (var i = 0; i < listeners.Count; i++)
        {
            var listener = listeners[i];
            try
            {
                listener(packet);
            }
            catch (Exception exception)
            {
                OnHandlerError(exception);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
