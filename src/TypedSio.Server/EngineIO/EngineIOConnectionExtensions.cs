namespace TypedSio.Server.EngineIO;

/// <summary>Shorthands for sending on an <see cref="IEngineIOConnection"/>.</summary>
public static class EngineIOConnectionExtensions
{
    /// <summary>Queues a text message.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="text">The text.</param>
    /// <returns>True when queued (see <see cref="IEngineIOConnection.SendAsync"/>).</returns>
    public static ValueTask<bool> SendTextAsync(this IEngineIOConnection connection, string text)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.SendAsync(EngineIOMessage.Text(text));
    }

    /// <summary>Queues a binary message; the buffer must not change afterwards.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="data">The bytes.</param>
    /// <returns>True when queued (see <see cref="IEngineIOConnection.SendAsync"/>).</returns>
    public static ValueTask<bool> SendBinaryAsync(this IEngineIOConnection connection, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.SendAsync(EngineIOMessage.Binary(data));
    }
}
