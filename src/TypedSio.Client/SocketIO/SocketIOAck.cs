using TypedSio.SocketIO;

namespace TypedSio.Client;

/// <summary>The acknowledgement a server asked for with an event; send it once.</summary>
public sealed class SocketIOAck
{
    private readonly SocketIOSocket _socket;
    private readonly long? _id;
    private int _sent;

    internal SocketIOAck(SocketIOSocket socket, long? id)
    {
        _socket = socket;
        _id = id;
    }

    /// <summary>Whether the server asked for an acknowledgement.</summary>
    public bool IsRequested => _id.HasValue;

    /// <summary>Sends the acknowledgement with the given arguments; does nothing when none was asked for or it was already sent.</summary>
    /// <param name="args">The reply's arguments (as for <see cref="SocketIOSocket.EmitAsync(string, object?[])"/>).</param>
    /// <returns>A task that completes once the reply was handed to the transport.</returns>
    public Task SendAsync(params object?[] args)
    {
        if (_id is not { } id || Interlocked.Exchange(ref _sent, 1) == 1)
        {
            return Task.CompletedTask;
        }

        return _socket.SendAckAsync(id, args ?? [null]);
    }

    /// <summary>Sends a reply already built as an ack packet (for any namespace and id); once, as <see cref="SendAsync"/>.</summary>
    internal Task SendPacketAsync(SocketIOPacket reply)
    {
        if (_id is not { } id || Interlocked.Exchange(ref _sent, 1) == 1)
        {
            return Task.CompletedTask;
        }

        return _socket.SendAckPacketAsync(id, reply);
    }
}
