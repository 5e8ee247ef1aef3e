using TypedSio.Hubs;
using TypedSio.SocketIO;

namespace TypedSio.Client;

/// <content>
/// The socket as the typed-hub glue sees it: generated proxies emit through <see cref="ISocketIOEmitter"/>
/// (<c>socket.CreateProxy&lt;IChatServer&gt;()</c>) and generated binders register through
/// <see cref="ISocketIOEventRegistry"/> (<c>socket.Register&lt;IChatClient&gt;(receiver)</c>).
/// </content>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A CancellationTokenSource without a timer or wait handle holds nothing to release; the socket lives as long as its manager.")]
public sealed partial class SocketIOSocket : ISocketIOEmitter, ISocketIOEventRegistry
{
    private CancellationTokenSource _connection = new();

    /// <summary>
    /// Emits a packet built for namespace <c>/</c> without an ack id (re-targeted to this socket's namespace); buffered,
    /// retried and reported as <see cref="EmitAsync(string, object?[])"/>.
    /// </summary>
    /// <param name="eventPacket">The event.</param>
    /// <param name="cancellationToken">Not used: the packet is queued or buffered at once.</param>
    /// <returns>As <see cref="EmitAsync(string, object?[])"/>.</returns>
    Task ISocketIOEmitter.EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken)
    {
        var eventName = CheckEventPacket(eventPacket);
        var emit = new EmitArgs(null, null, eventPacket);
        if (_options.Retries > 0)
        {
            ObserveReliable(eventName, EnqueueReliable(eventName, emit, null));
            return Task.CompletedTask;
        }

        return SendOrBuffer(CreatePacket(eventName, emit, null), eventName, emit, isVolatile: false) is { IsCompletedSuccessfully: false } write
            ? IgnoreFailureAsync(write)
            : Task.CompletedTask;
    }

    /// <summary>Emits a packet built for namespace <c>/</c> without an ack id, and waits for the acknowledgement.</summary>
    /// <param name="eventPacket">The event.</param>
    /// <param name="timeout">How long to wait for each try; null for <see cref="SocketIOSocketOptions.AckTimeout"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the event may still be delivered.</param>
    /// <returns>The acknowledgement's arguments.</returns>
    Task<SocketIOArguments> ISocketIOEmitter.EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var eventName = CheckEventPacket(eventPacket);
        return EmitWithAckCoreAsync(eventName, new EmitArgs(null, null, eventPacket), timeout, cancellationToken);
    }

    /// <summary>
    /// Registers a handler whose reply, an ack packet built for <c>/</c> without an id, is sent back re-targeted when the
    /// server asked for an acknowledgement. Its token is cancelled when the socket disconnects.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>A subscription; dispose it to remove the handler.</returns>
    IDisposable ISocketIOEventRegistry.On(string eventName, SocketIOEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddListener(eventName, handler, async (args, ack) =>
        {
            CancellationToken lifetime;
            lock (_gate)
            {
                lifetime = _connection.Token;
            }

            if (await handler(args, lifetime) is { } reply)
            {
                await ack.SendPacketAsync(reply);
            }
        }, once: false);
    }

    /// <summary>Starts the lifetime of a connection: handlers get its token. Callers hold _gate.</summary>
    private void BeginConnection()
    {
        if (_connection.IsCancellationRequested)
        {
            _connection.Dispose();
            _connection = new();
        }
    }

    /// <summary>Ends the lifetime of the connection, cancelling what its handlers still do.</summary>
    private void EndConnection()
    {
        CancellationTokenSource connection;
        lock (_gate)
        {
            connection = _connection;
        }

        connection.Cancel();
    }

    /// <summary>Sends a reply packet as the ack with the given id.</summary>
    internal Task SendAckPacketAsync(long id, SocketIOPacket reply)
    {
        var packet = new SocketIOPacket(SocketIOPacketType.Ack, Namespace, reply.Payload, id, reply.Attachments);
        Log.SendingAck(_logger, Namespace, id);
        return _manager.TryWritePacket(packet) ?? Task.CompletedTask;
    }

    private static string CheckEventPacket(SocketIOPacket eventPacket)
    {
        ArgumentNullException.ThrowIfNull(eventPacket);
        if (!eventPacket.IsEvent || eventPacket.EventName is not { } eventName)
        {
            throw new ArgumentException("An event packet whose first element is its name is required.", nameof(eventPacket));
        }

        CheckEventName(eventName);
        return eventName;
    }
}
