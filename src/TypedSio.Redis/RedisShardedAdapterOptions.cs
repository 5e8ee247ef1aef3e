namespace TypedSio.Redis;

/// <summary>Which Redis channels the sharded adapter uses (Node's <c>subscriptionMode</c>); every server of a cluster must use the same.</summary>
public enum RedisSubscriptionMode
{
    /// <summary>Two channels per namespace: every message goes to every server. Suits many short-lived (dynamic) namespaces.</summary>
    Static,

    /// <summary>
    /// Two channels per namespace, plus one per public room: a broadcast to one room reaches only the servers that have
    /// members in it. Socket ids (private rooms) use the namespace channel. Node's default.
    /// </summary>
    Dynamic,

    /// <summary>Like <see cref="Dynamic"/>, and private rooms (socket ids) get their own channel too.</summary>
    DynamicPrivate,
}

/// <summary>
/// Options of the sharded adapter (Redis 7 sharded pub/sub); the defaults are those of Node's
/// <c>createShardedAdapter</c> in <c>@socket.io/redis-adapter</c> 8.3.
/// </summary>
public sealed class RedisShardedAdapterOptions
{
    /// <summary>The prefix of every channel (Node's <c>channelPrefix</c>, default <c>socket.io</c>): servers with the same prefix form one cluster.</summary>
    public string ChannelPrefix { get; set; } = "socket.io";

    /// <summary>Which channels are used (Node's <c>subscriptionMode</c>, default <see cref="RedisSubscriptionMode.Dynamic"/>).</summary>
    public RedisSubscriptionMode SubscriptionMode { get; set; } = RedisSubscriptionMode.Dynamic;

    /// <summary>How long a cluster request (fetch sockets, server-side emit with ack) waits for the other servers (default 5 s, Node's fixed value).</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The time source for request timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
