using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

/// <summary>
/// A namespace adapter that joins the cluster of Node.js servers running <c>@socket.io/redis-adapter</c> 8.x (classic
/// pub/sub): broadcasts go to the other servers through Redis, and their broadcasts and cluster requests are answered
/// here. Local delivery never depends on Redis; cluster requests fail fast with <see cref="RedisAdapterException"/> while
/// Redis is unreachable, and the connection multiplexer reconnects and resubscribes by itself.
/// </summary>
public sealed partial class RedisSocketIOAdapter : SocketIOInMemoryAdapter, IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisAdapterOptions _options;
    private readonly ILogger _logger;
    private readonly string _channel;
    private readonly string _requestChannel;
    private readonly string _responseChannel;
    private readonly string _specificResponseChannel;
    private readonly ConcurrentDictionary<string, PendingRequest<System.Text.Json.JsonDocument>> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingBroadcast> _ackRequests = new(StringComparer.Ordinal);
    private readonly List<ChannelMessageQueue> _queues = [];
    private readonly Task _subscribed;

    private RedisSocketIOAdapter(SocketIONamespace nsp, IConnectionMultiplexer redis, RedisAdapterOptions options, ILogger logger)
        : base(nsp)
    {
        _redis = redis;
        _options = options;
        _logger = logger;
        Uid = RedisWire.NewId();
        _channel = options.Key + "#" + nsp.Name + "#";
        _requestChannel = options.Key + "-request#" + nsp.Name + "#";
        _responseChannel = options.Key + "-response#" + nsp.Name + "#";
        _specificResponseChannel = _responseChannel + Uid + "#";
        _subscribed = SubscribeAsync();
    }

    /// <summary>This server's id in the cluster (Node's <c>uid</c>): messages it published come back with it and are skipped.</summary>
    public string Uid { get; }

    /// <summary>Completes once the adapter's subscriptions are in place (cluster requests wait for it).</summary>
    public Task Subscribed => _subscribed;

    /// <summary>Creates the adapter factory to set as <see cref="SocketIOServerOptions.AdapterFactory"/>.</summary>
    /// <param name="redis">The Redis connection, shared by every namespace (it publishes and subscribes).</param>
    /// <param name="options">The options; Node's defaults when null.</param>
    /// <param name="loggerFactory">Logs dropped messages and Redis failures.</param>
    /// <returns>The factory.</returns>
    public static Func<SocketIONamespace, SocketIOAdapter> Factory(IConnectionMultiplexer redis, RedisAdapterOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new RedisAdapterOptions();
        var logger = loggerFactory?.CreateLogger("TypedSio.Redis.Adapter") ?? NullLogger.Instance;
        return nsp => new RedisSocketIOAdapter(nsp, redis, options, logger);
    }

    /// <inheritdoc />
    public override async ValueTask BroadcastAsync(SocketIOPacket packet, SocketIOBroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Flags.HasFlag(SocketIOBroadcastFlags.Local))
        {
            var channel = options.Rooms.Count == 1 ? _channel + options.Rooms.First() + "#" : _channel;
            await PublishAsync(channel, RedisWire.EncodeBroadcast(Uid, packet, options)).ConfigureAwait(false);
        }

        await base.BroadcastAsync(packet, options).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes this namespace from the cluster.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        List<ChannelMessageQueue> queues;
        lock (_queues)
        {
            queues = [.. _queues];
            _queues.Clear();
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
    }

    private async Task SubscribeAsync()
    {
        var subscriber = _redis.GetSubscriber();

        // The broadcast pattern is built from the key and namespace, which may hold glob characters: escape them so
        // only the room part after the last # varies. Room channels are matched by this pattern, never subscribed as one.
        var pattern = EscapeGlob(_channel) + "*";
        (RedisChannel Channel, Func<string, byte[], Task> Handler)[] subscriptions =
        [
            (RedisChannel.Pattern(pattern), OnBroadcastMessageAsync),
            (RedisChannel.Literal(_requestChannel), OnRequestMessageAsync),
            (RedisChannel.Literal(_responseChannel), OnResponseMessageAsync),
            (RedisChannel.Literal(_specificResponseChannel), OnResponseMessageAsync),
        ];
        foreach (var (channel, handler) in subscriptions)
        {
            // Redis may be down when the namespace is created: retry each time the connection comes back. Once a
            // subscription exists, the multiplexer itself renews it after every reconnection.
            while (true)
            {
                var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                void OnRestored(object? sender, ConnectionFailedEventArgs e) => restored.TrySetResult();
                _redis.ConnectionRestored += OnRestored;
                try
                {
                    await AddQueueAsync(subscriber, channel, handler).ConfigureAwait(false);
                    break;
                }
                catch (RedisException exception)
                {
                    Log.SubscribeFailed(_logger, channel.ToString(), exception);

                    // The multiplexer registers a queue before sending SUBSCRIBE: drop it, or it would fill up unread.
                    await subscriber.UnsubscribeAsync(channel, null, CommandFlags.FireAndForget).ConfigureAwait(false);
                    await (_redis.IsConnected ? Task.Delay(TimeSpan.FromSeconds(1), _options.TimeProvider) : restored.Task).ConfigureAwait(false);
                }
                finally
                {
                    _redis.ConnectionRestored -= OnRestored;
                }
            }
        }
    }

    private async Task AddQueueAsync(ISubscriber subscriber, RedisChannel channel, Func<string, byte[], Task> handler)
    {
        var queue = await subscriber.SubscribeAsync(channel).ConfigureAwait(false);
        lock (_queues)
        {
            _queues.Add(queue);
        }

        // OnMessage with an async handler runs one message at a time, in the order Redis delivered them.
        queue.OnMessage(async message =>
        {
            try
            {
                await handler((string)message.Channel!, (byte[])message.Message!).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A malformed message from another server must not stop the subscription.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.MessageFailed(_logger, (string)message.Channel!, exception);
            }
        });
    }

    private async Task OnBroadcastMessageAsync(string channel, byte[] message)
    {
        if (!channel.StartsWith(_channel, StringComparison.Ordinal))
        {
            return;
        }

        var room = channel.Length > _channel.Length ? channel[_channel.Length..^1] : "";
        if (room.Length > 0 && GetSockets(new SocketIOBroadcastOptions(new HashSet<string>(StringComparer.Ordinal) { room }, new HashSet<string>(), 0)).Count == 0)
        {
            return;
        }

        var broadcast = RedisWire.DecodeBroadcast(message);
        if (broadcast.Uid == Uid || broadcast.Packet.Namespace != Namespace.Name)
        {
            return;
        }

        await base.BroadcastAsync(broadcast.Packet, broadcast.Options).ConfigureAwait(false);
    }

    private Task PublishAsync(string channel, byte[] message) =>
        RedisPublishing.PublishAsync(_redis, RedisChannel.Literal(channel), message, _logger);

    private Task PublishOrThrowAsync(string channel, byte[] message) =>
        RedisPublishing.PublishOrThrowAsync(_redis, RedisChannel.Literal(channel), message);

    private void ThrowIfDisconnected() => RedisPublishing.ThrowIfDisconnected(_redis);

    private static string EscapeGlob(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Dropped a message on {Channel}")]
        public static partial void MessageFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(3, LogLevel.Warning, "Could not subscribe to {Channel}; retrying once Redis is back")]
        public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);
    }
}
