using TypedSio.Hubs;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Server.Hubs;

/// <summary>The recipients a hub reaches from the socket it serves.</summary>
internal sealed class SocketIOHubTargets(SocketIOSocket socket) : ISocketHubTargets
{
    public ISocketIOEmitter Caller => socket;

    public IBroadcastEmitter All => socket.Namespace.To();

    public IBroadcastEmitter Others => socket.Broadcast;

    public ISocketIOEmitter Socket(string socketId) =>
        socket.Namespace.TryGetSocket(socketId, out var local) ? local : new RoomEmitter(socket.Namespace, socketId);

    public IBroadcastEmitter Room(string room) => socket.Namespace.To(room);

    public IBroadcastEmitter Except(string room) => socket.Namespace.Except(room);

    // A socket held by another server of a cluster: reached through its own room, like the reference's io.to(id).
    private sealed class RoomEmitter(SocketIONamespace nsp, string socketId) : ISocketIOEmitter
    {
        public Task EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken) =>
            ((IBroadcastEmitter)nsp.To(socketId)).EmitAsync(eventPacket, cancellationToken);

        public async Task<SocketIOArguments> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan? timeout, CancellationToken cancellationToken)
        {
            var replies = await ((IBroadcastEmitter)nsp.To(socketId)).EmitWithAckAsync(eventPacket, timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return replies.Count > 0 ? replies[0] : throw new TimeoutException("operation has timed out");
        }
    }
}
