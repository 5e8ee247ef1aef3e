using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

/// <summary>
/// A namespace adapter on Redis 7 sharded pub/sub (<c>SSUBSCRIBE</c> / <c>SPUBLISH</c>) that joins the cluster of Node.js
/// servers running <c>createShardedAdapter</c> of <c>@socket.io/redis-adapter</c> 8.3: it speaks the message format of
/// socket.io-adapter's <c>ClusterAdapter</c> and answers every request of it. Local delivery never depends on Redis;
/// cluster requests fail fast with <see cref="RedisAdapterException"/> while Redis is unreachable.
/// </summary>
/// <remarks>
/// Messages of one channel are handled in the order Redis delivered them; messages of different channels (the namespace
/// channel and, in the dynamic modes, each room's channel) are not ordered with respect to each other, as in a Redis
/// Cluster where the channels live on different shards.
/// </remarks>
public sealed partial class RedisShardedSocketIOAdapter : SocketIOInMemoryAdapter, IAsyncDisposable
{
    private const int SocketIdLength = 20;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisShardedAdapterOptions _options;
    private readonly ILogger _logger;
    private readonly string _channel;
    private readonly string _responseChannel;
    private readonly ConcurrentDictionary<string, PendingRequest<IReadOnlyList<SocketIORemoteSocket>>> _fetchRequests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingRequest<SocketIOArguments>> _emitRequests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingBroadcast> _ackRequests = new(StringComparer.Ordinal);
    private readonly List<ChannelMessageQueue> _queues = [];
    private readonly HashSet<string> _wantedRooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChannelMessageQueue> _roomQueues = new(StringComparer.Ordinal);
    private readonly Channel<string> _roomChanges = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task _subscribed;
    private readonly Task _roomLoop;

    private RedisShardedSocketIOAdapter(SocketIONamespace nsp, IConnectionMultiplexer redis, RedisShardedAdapterOptions options, ILogger logger)
        : base(nsp)
    {
        _redis = redis;
        _options = options;
        _logger = logger;
        Uid = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        _channel = options.ChannelPrefix + "#" + nsp.Name + "#";
        _responseChannel = _channel + Uid + "#";
        _subscribed = SubscribeAsync();
        _roomLoop = options.SubscriptionMode == RedisSubscriptionMode.Static ? Task.CompletedTask : RunRoomSubscriptionsAsync();
    }

    /// <summary>This server's id in the cluster (Node's <c>uid</c>): its own messages come back with it and are skipped.</summary>
    public string Uid { get; }

    /// <summary>Completes once the namespace and response channels are subscribed (cluster requests wait for it).</summary>
    public Task Subscribed => _subscribed;

    /// <summary>Creates the adapter factory to set as <see cref="SocketIOServerOptions.AdapterFactory"/>.</summary>
    /// <param name="redis">The Redis connection (Redis 7 or newer), shared by every namespace (it publishes and subscribes).</param>
    /// <param name="options">The options; Node's defaults when null.</param>
    /// <param name="loggerFactory">Logs dropped messages and Redis failures.</param>
    /// <returns>The factory.</returns>
    public static Func<SocketIONamespace, SocketIOAdapter> Factory(IConnectionMultiplexer redis, RedisShardedAdapterOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new RedisShardedAdapterOptions();
        var logger = loggerFactory?.CreateLogger("TypedSio.Redis.ShardedAdapter") ?? NullLogger.Instance;
        return nsp => new RedisShardedSocketIOAdapter(nsp, redis, options, logger);
    }

    /// <summary>Unsubscribes this namespace from the cluster.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        _roomChanges.Writer.TryComplete();
        await _roomLoop.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        List<ChannelMessageQueue> queues;
        lock (_queues)
        {
            queues = [.. _queues, .. _roomQueues.Values];
            _queues.Clear();
            _roomQueues.Clear();
        }

        foreach (var queue in queues)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Redis is gone: nothing left to unsubscribe from.
            }
        }

        _disposed.Dispose();
    }

    /// <inheritdoc />
    protected override void OnRoomCreated(string room, bool isSocketId)
    {
        // Node gives a room its own channel in dynamic mode when it is public, in dynamic-private mode always.
        if (_options.SubscriptionMode == RedisSubscriptionMode.DynamicPrivate || (_options.SubscriptionMode == RedisSubscriptionMode.Dynamic && !isSocketId))
        {
            lock (_wantedRooms)
            {
                _wantedRooms.Add(room);
            }

            _roomChanges.Writer.TryWrite(room);
        }
    }

    /// <inheritdoc />
    protected override void OnRoomDeleted(string room)
    {
        bool removed;
        lock (_wantedRooms)
        {
            removed = _wantedRooms.Remove(room);
        }

        if (removed)
        {
            _roomChanges.Writer.TryWrite(room);
        }
    }

    // The channel of a message, as Node's computeChannel picks it: a plain broadcast to one room goes to the room's own
    // channel in the dynamic modes (in dynamic mode, unless the room looks like a socket id); everything else, broadcasts
    // with acks included (only the namespace channel reaches every server serverCount counts), to the namespace channel.
    private string ChannelOf(SocketIOBroadcastOptions options)
    {
        if (options.Rooms.Count != 1)
        {
            return _channel;
        }

        var room = options.Rooms.First();
        var own = _options.SubscriptionMode switch
        {
            RedisSubscriptionMode.DynamicPrivate => true,
            RedisSubscriptionMode.Dynamic => room.Length != SocketIdLength,
            _ => false,
        };
        return own ? RoomChannel(room) : _channel;
    }

    private string RoomChannel(string room) => _channel + room + "#";

    private async Task SubscribeAsync()
    {
        await SubscribeUntilDoneAsync(_channel, OnMessageAsync, () => true).ConfigureAwait(false);
        await SubscribeUntilDoneAsync(_responseChannel, OnResponseAsync, () => true).ConfigureAwait(false);
    }

    // One loop applies room subscription changes in the order rooms come and go: each change names a room, and the loop
    // makes the subscriptions match whether the room is wanted now (a room created and deleted meanwhile costs nothing).
    private async Task RunRoomSubscriptionsAsync()
    {
        await foreach (var room in _roomChanges.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                bool subscribed;
                lock (_queues)
                {
                    subscribed = _roomQueues.ContainsKey(room);
                }

                if (IsWanted(room) && !subscribed)
                {
                    await SubscribeUntilDoneAsync(RoomChannel(room), OnMessageAsync, () => IsWanted(room), room).ConfigureAwait(false);
                }
                else if (!IsWanted(room) && subscribed)
                {
                    ChannelMessageQueue? queue;
                    lock (_queues)
                    {
                        _roomQueues.Remove(room, out queue);
                    }

                    await queue!.UnsubscribeAsync().ConfigureAwait(false);
                }
            }
            catch (RedisException exception)
            {
                Log.SubscribeFailed(_logger, RoomChannel(room), exception);
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private bool IsWanted(string room)
    {
        lock (_wantedRooms)
        {
            return _wantedRooms.Contains(room);
        }
    }

    private async Task SubscribeUntilDoneAsync(string name, Func<ReadOnlyMemory<byte>, Task> handler, Func<bool> wanted, string? room = null)
    {
        var subscriber = _redis.GetSubscriber();
        var channel = RedisChannel.Sharded(name);

        // Redis may be down: retry each time the connection comes back. Once a subscription exists, the multiplexer
        // itself renews it after every reconnection.
        while (wanted() && !_disposed.IsCancellationRequested)
        {
            var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnRestored(object? sender, ConnectionFailedEventArgs e) => restored.TrySetResult();
            _redis.ConnectionRestored += OnRestored;
            try
            {
                var queue = await subscriber.SubscribeAsync(channel).ConfigureAwait(false);
                lock (_queues)
                {
                    if (room is null)
                    {
                        _queues.Add(queue);
                    }
                    else
                    {
                        _roomQueues[room] = queue;
                    }
                }

                Listen(queue, name, handler);
                return;
            }
            catch (RedisException exception)
            {
                Log.SubscribeFailed(_logger, name, exception);

                // The multiplexer registers a queue before sending SSUBSCRIBE: drop it, or it would fill up unread.
                await subscriber.UnsubscribeAsync(channel, null, CommandFlags.FireAndForget).ConfigureAwait(false);
                await (_redis.IsConnected ? Task.Delay(TimeSpan.FromSeconds(1), _options.TimeProvider, _disposed.Token) : restored.Task.WaitAsync(_disposed.Token)).ConfigureAwait(false);
            }
            finally
            {
                _redis.ConnectionRestored -= OnRestored;
            }
        }
    }

    private void Listen(ChannelMessageQueue queue, string channel, Func<ReadOnlyMemory<byte>, Task> handler)
    {
        // OnMessage with an async handler runs one message at a time, in the order Redis delivered them.
        queue.OnMessage(async message =>
        {
            try
            {
                await handler((byte[])message.Message!).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A malformed message from another server must not stop the subscription.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.MessageFailed(_logger, channel, exception);
            }
        });
    }

    private Task PublishAsync(string channel, byte[] message) =>
        RedisPublishing.PublishAsync(_redis, RedisChannel.Sharded(channel), message, _logger);

    private Task PublishOrThrowAsync(string channel, byte[] message) =>
        RedisPublishing.PublishOrThrowAsync(_redis, RedisChannel.Sharded(channel), message);

    private void ThrowIfDisconnected() => RedisPublishing.ThrowIfDisconnected(_redis);

    private byte[] Encode(ClusterMessageType type, Action<System.Text.Json.Utf8JsonWriter, List<ReadOnlyMemory<byte>>> writeData) =>
        ClusterWire.Encode(type, Uid, Namespace.Name, writeData);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Dropped a message on {Channel}")]
        public static partial void MessageFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(3, LogLevel.Warning, "Could not subscribe to {Channel}; retrying once Redis is back")]
        public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);
    }
}
