using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>One incoming event as a handler sees it: its name, arguments, and a way to acknowledge it.</summary>
public sealed class SocketIOEventContext
{
    private readonly SocketIOPacket _packet;
    private int _acked;

    internal SocketIOEventContext(SocketIOSocket socket, SocketIOPacket packet, string name)
    {
        Socket = socket;
        _packet = packet;
        Name = name;
        Arguments = packet.GetArguments();
    }

    /// <summary>The socket that sent the event.</summary>
    public SocketIOSocket Socket { get; }

    /// <summary>The event name.</summary>
    public string Name { get; }

    /// <summary>The arguments after the name.</summary>
    public SocketIOArguments Arguments { get; }

    /// <summary>The raw packet.</summary>
    public SocketIOPacket Packet => _packet;

    /// <summary>Whether the client asked for an acknowledgement.</summary>
    public bool HasAck => _packet.AckId is not null;

    /// <summary>Signalled when the socket disconnects.</summary>
    public CancellationToken CancellationToken => Socket.DisconnectedToken;

    /// <summary>Acknowledges the event with arguments; only the first call sends, and nothing is sent when no ack was asked for.</summary>
    /// <param name="arguments">The reply's arguments.</param>
    /// <returns>A task that completes once queued.</returns>
    public Task AckAsync(params object?[] arguments)
    {
        if (_packet.AckId is not { } id || Interlocked.Exchange(ref _acked, 1) == 1)
        {
            return Task.CompletedTask;
        }

        return Socket.SendPacketAsync(SocketIOPacket.CreateAck(id, arguments, Socket.Namespace.Name, Socket.Namespace.Server.Options.JsonOptions));
    }

    /// <summary>Acknowledges with a reply packet built for <c>/</c> without id (as typed hub dispatchers return it).</summary>
    /// <param name="reply">The ack packet.</param>
    /// <returns>A task.</returns>
    public Task AckAsync(SocketIOPacket reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (_packet.AckId is not { } id || Interlocked.Exchange(ref _acked, 1) == 1)
        {
            return Task.CompletedTask;
        }

        return Socket.SendPacketAsync(new SocketIOPacket(SocketIOPacketType.Ack, Socket.Namespace.Name, reply.Payload, id, reply.Attachments));
    }
}
