namespace TypedSio.Redis;

/// <summary>Options of the Redis adapter; the defaults are those of Node's <c>@socket.io/redis-adapter</c>.</summary>
public sealed class RedisAdapterOptions
{
    /// <summary>The prefix of every channel (Node's <c>key</c> option, default <c>socket.io</c>): servers with the same prefix form one cluster.</summary>
    public string Key { get; set; } = "socket.io";

    /// <summary>How long a cluster request (fetch sockets, server-side emit with ack…) waits for the other servers (default 5 s).</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Answer each request on the requester's own response channel (<c>{key}-response#{nsp}#{uid}#</c>) instead of the
    /// shared one, so a server does not receive the answers meant for the others (Node's <c>publishOnSpecificResponseChannel</c>).
    /// </summary>
    public bool PublishOnSpecificResponseChannel { get; set; }

    /// <summary>The time source for request timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
