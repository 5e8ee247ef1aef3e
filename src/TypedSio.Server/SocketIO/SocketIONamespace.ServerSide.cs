using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>Server-side events that expect an acknowledgement from the other servers of a cluster.</summary>
public sealed partial class SocketIONamespace
{
    /// <summary>
    /// Answers events other servers send with <see cref="ServerSideEmitWithAckAsync"/>: gets the event name and arguments,
    /// returns the value sent back. With no handler, such events get no answer (the sender times out on this server, as
    /// the reference does when no listener calls the callback).
    /// </summary>
    public Func<string, SocketIOArguments, ValueTask<object?>>? ServerSideAckHandler { get; set; }

    /// <summary>Sends an event to the other servers of the cluster and waits for each one's answer.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>One answer per server that answered in time (the first value it returned); <see cref="SocketIOBroadcastAckResult.Complete"/>
    /// is false when some did not answer before the adapter's timeout. Empty and complete on a single server.</returns>
    public Task<SocketIOBroadcastAckResult> ServerSideEmitWithAckAsync(string eventName, params object?[] arguments)
    {
        ThrowIfReserved(eventName);
        var packet = SocketIOPacket.CreateEvent(eventName, arguments, Name, options: Server.Options.JsonOptions);
        return Adapter.ServerSideEmitWithAckAsync(packet, CancellationToken.None);
    }

    /// <summary>Answers an event another server sent expecting an acknowledgement (cluster adapters call it).</summary>
    /// <param name="packet">The event.</param>
    /// <returns>Whether a handler answered, and its value.</returns>
    public async ValueTask<(bool Answered, object? Value)> OnServerSideEventWithAckAsync(SocketIOPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (ServerSideAckHandler is not { } handler || packet.EventName is not { } name)
        {
            return (false, null);
        }

        return (true, await handler(name, packet.GetArguments()).ConfigureAwait(false));
    }
}
