namespace TypedSio.Redis;

/// <summary>A cluster operation failed: Redis is unreachable, or other servers did not answer in time.</summary>
public class RedisAdapterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisAdapterException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public RedisAdapterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public RedisAdapterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Other servers of the cluster did not all answer a request within <see cref="RedisAdapterOptions.RequestsTimeout"/>.</summary>
public sealed class RedisAdapterTimeoutException : RedisAdapterException
{
    /// <summary>Creates the exception.</summary>
    public RedisAdapterTimeoutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What timed out.</param>
    public RedisAdapterTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What timed out.</param>
    /// <param name="innerException">The cause.</param>
    public RedisAdapterTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
