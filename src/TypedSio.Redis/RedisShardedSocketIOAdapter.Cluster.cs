using StackExchange.Redis;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

// The cluster-wide operations this server starts, and the answers it collects.
public sealed partial class RedisShardedSocketIOAdapter
{
    /// <inheritdoc />
    public override async ValueTask BroadcastAsync(SocketIOPacket packet, SocketIOBroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Flags.HasFlag(SocketIOBroadcastFlags.Local))
        {
            var message = Encode(ClusterMessageType.Broadcast, (json, attachments) =>
            {
                ClusterWire.WritePacket(json, attachments, packet);
                ClusterWire.WriteOptions(json, options);
            });
            await PublishAsync(ChannelOf(options), message).ConfigureAwait(false);
        }

        await base.BroadcastAsync(packet, options).ConfigureAwait(false);
    }

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

        var requestId = NewRequestId();
        var remote = new PendingBroadcast();
        _ackRequests[requestId] = remote;
        try
        {
            var message = Encode(ClusterMessageType.Broadcast, (json, attachments) =>
            {
                ClusterWire.WritePacket(json, attachments, packet);
                json.WriteString("requestId"u8, requestId);
                ClusterWire.WriteOptions(json, options, timeout);
            });
            await PublishOrThrowAsync(_channel, message).ConfigureAwait(false);
            var servers = ServerCountAsync().AsTask();
            var local = base.BroadcastWithAckAsync(packet, options, timeout, cancellationToken);
            return await remote.CollectAsync(servers, local, timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _ackRequests.TryRemove(requestId, out _);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ServerCountAsync()
    {
        ThrowIfDisconnected();
        await WaitSubscribedAsync().ConfigureAwait(false);
        try
        {
            // Every server subscribes to the namespace channel once. In a Redis Cluster each primary counts the subscribers
            // connected to it, so the counts of all primaries are added up, as Node does.
            var total = 0L;
            foreach (var server in _redis.GetServers())
            {
                if (server.IsConnected && !server.IsReplica)
                {
                    var result = await server.ExecuteAsync("PUBSUB", "SHARDNUMSUB", _channel).ConfigureAwait(false);
                    var entries = (RedisResult[])result!;
                    total += entries.Length >= 2 ? (long)entries[1] : 0;
                }
            }

            return (int)total;
        }
        catch (RedisException exception)
        {
            throw new RedisAdapterException("Could not count the servers: " + exception.Message, exception);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<SocketIORemoteSocket>> FetchSocketsAsync(SocketIOBroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = await base.FetchSocketsAsync(options).ConfigureAwait(false);
        if (options.Flags.HasFlag(SocketIOBroadcastFlags.Local))
        {
            return local;
        }

        var expected = await ServerCountAsync().ConfigureAwait(false) - 1;
        if (expected <= 0)
        {
            return local;
        }

        var requestId = NewRequestId();
        var pending = new PendingRequest<IReadOnlyList<SocketIORemoteSocket>>(expected);
        _fetchRequests[requestId] = pending;
        try
        {
            await PublishOrThrowAsync(_channel, Encode(ClusterMessageType.FetchSockets, (json, _) =>
            {
                ClusterWire.WriteOptions(json, options);
                json.WriteString("requestId"u8, requestId);
            })).ConfigureAwait(false);
            if (!await pending.WaitAsync(_options.RequestsTimeout, _options.TimeProvider, CancellationToken.None).ConfigureAwait(false))
            {
                throw new RedisAdapterTimeoutException($"timeout reached: only {pending.Take().Count} responses received out of {expected}");
            }

            var all = new List<SocketIORemoteSocket>(local);
            foreach (var sockets in pending.Take())
            {
                all.AddRange(sockets);
            }

            return all;
        }
        finally
        {
            _fetchRequests.TryRemove(requestId, out _);
        }
    }

    /// <inheritdoc />
    public override ValueTask AddSocketsAsync(SocketIOBroadcastOptions options, IReadOnlyList<string> rooms) =>
        RemoteSocketsAsync(ClusterMessageType.SocketsJoin, options, rooms, close: false);

    /// <inheritdoc />
    public override ValueTask DelSocketsAsync(SocketIOBroadcastOptions options, IReadOnlyList<string> rooms) =>
        RemoteSocketsAsync(ClusterMessageType.SocketsLeave, options, rooms, close: false);

    /// <inheritdoc />
    public override ValueTask DisconnectSocketsAsync(SocketIOBroadcastOptions options, bool close) =>
        RemoteSocketsAsync(ClusterMessageType.DisconnectSockets, options, [], close);

    /// <inheritdoc />
    public override async ValueTask ServerSideEmitAsync(SocketIOPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        await PublishOrThrowAsync(_channel, Encode(ClusterMessageType.ServerSideEmit, (json, attachments) =>
        {
            json.WritePropertyName("packet"u8);
            ClusterWire.WritePayload(json, attachments, packet);
        })).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<SocketIOBroadcastAckResult> ServerSideEmitWithAckAsync(SocketIOPacket packet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var expected = await ServerCountAsync().ConfigureAwait(false) - 1;
        if (expected <= 0)
        {
            return new SocketIOBroadcastAckResult([], true);
        }

        var requestId = NewRequestId();
        var pending = new PendingRequest<SocketIOArguments>(expected);
        _emitRequests[requestId] = pending;
        try
        {
            await PublishOrThrowAsync(_channel, Encode(ClusterMessageType.ServerSideEmit, (json, attachments) =>
            {
                json.WriteString("requestId"u8, requestId);
                json.WritePropertyName("packet"u8);
                ClusterWire.WritePayload(json, attachments, packet);
            })).ConfigureAwait(false);
            var complete = await pending.WaitAsync(_options.RequestsTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return new SocketIOBroadcastAckResult(pending.Take(), complete);
        }
        finally
        {
            _emitRequests.TryRemove(requestId, out _);
        }
    }

    private async ValueTask RemoteSocketsAsync(ClusterMessageType type, SocketIOBroadcastOptions options, IReadOnlyList<string> rooms, bool close)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rooms);
        if (!options.Flags.HasFlag(SocketIOBroadcastFlags.Local))
        {
            // Published before acting here: a disconnect must not change the targets the request describes.
            await PublishOrThrowAsync(_channel, Encode(type, (json, _) =>
            {
                ClusterWire.WriteOptions(json, options);
                if (type == ClusterMessageType.DisconnectSockets)
                {
                    json.WriteBoolean("close"u8, close);
                }
                else
                {
                    RedisWire.WriteJsonStrings(json, "rooms"u8, rooms);
                }
            })).ConfigureAwait(false);
        }

        switch (type)
        {
            case ClusterMessageType.SocketsJoin:
                await base.AddSocketsAsync(options, rooms).ConfigureAwait(false);
                break;
            case ClusterMessageType.SocketsLeave:
                await base.DelSocketsAsync(options, rooms).ConfigureAwait(false);
                break;
            default:
                await base.DisconnectSocketsAsync(options, close).ConfigureAwait(false);
                break;
        }
    }

    private async Task WaitSubscribedAsync()
    {
        try
        {
            await _subscribed.WaitAsync(_options.RequestsTimeout, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new RedisAdapterException("The adapter is not subscribed to Redis yet.", exception);
        }
    }

    private static string NewRequestId() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
}
