using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TypedSio.Redis;

/// <summary>Publishing as both adapters do it: best effort for deliveries, a typed error for cluster operations.</summary>
internal static partial class RedisPublishing
{
    /// <summary>For deliveries: local delivery goes on without Redis, so a failure is logged and the other servers miss it.</summary>
    public static async Task PublishAsync(IConnectionMultiplexer redis, RedisChannel channel, byte[] message, ILogger logger)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(channel, message).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            PublishFailed(logger, channel.ToString(), exception);
        }
    }

    /// <summary>For cluster operations, which cannot complete without Redis: a <see cref="RedisAdapterException"/>.</summary>
    public static async Task PublishOrThrowAsync(IConnectionMultiplexer redis, RedisChannel channel, byte[] message)
    {
        ThrowIfDisconnected(redis);
        try
        {
            await redis.GetSubscriber().PublishAsync(channel, message).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            throw new RedisAdapterException($"Could not publish to {channel}: {exception.Message}", exception);
        }
    }

    public static void ThrowIfDisconnected(IConnectionMultiplexer redis)
    {
        if (!redis.IsConnected)
        {
            throw new RedisAdapterException("Redis is not connected: cluster operations are unavailable until it reconnects.");
        }
    }

    [LoggerMessage(2, LogLevel.Warning, "Could not publish to {Channel}; local delivery goes on")]
    private static partial void PublishFailed(ILogger logger, string channel, Exception exception);
}
