using System.Text.Json;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

// Broadcasts with acknowledgements across the cluster.
public sealed partial class RedisSocketIOAdapter
{
    /// <inheritdoc />
    public override async Task<SocketIOBroadcastAckResult> BroadcastWithAckAsync(
        SocketIOPacket packet, SocketIOBroadcastOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Flags.HasFlag(SocketIOBroadcastFlags.Local))
        {
            return await base.BroadcastWithAckAsync(packet, options, timeout, cancellationToken).ConfigureAwait(false);
        }

        var requestId = RedisWire.NewId();
        var remote = new PendingBroadcast();
        _ackRequests[requestId] = remote;
        try
        {
            await PublishOrThrowAsync(_requestChannel, RedisWire.EncodeBroadcastRequest(Uid, requestId, packet, options, timeout)).ConfigureAwait(false);
            var servers = ServerCountAsync().AsTask();
            var local = base.BroadcastWithAckAsync(packet, options, timeout, cancellationToken);
            return await remote.CollectAsync(servers, local, timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _ackRequests.TryRemove(requestId, out _);
        }
    }
}
