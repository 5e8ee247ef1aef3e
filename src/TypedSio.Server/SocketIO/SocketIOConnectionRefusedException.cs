namespace TypedSio.Server.SocketIO;

/// <summary>
/// Thrown by a namespace middleware to refuse a connection: the client gets a CONNECT_ERROR packet
/// <c>{"message":...,"data":...}</c> (the JS client sees it as <c>err.message</c> and <c>err.data</c>).
/// Any other exception refuses with its message and no data.
/// </summary>
public sealed class SocketIOConnectionRefusedException : Exception
{
    /// <summary>Creates the refusal.</summary>
    /// <param name="message">The message sent to the client.</param>
    /// <param name="data">Extra data serialized as JSON for the client, or null for none.</param>
    public SocketIOConnectionRefusedException(string message, object? data = null)
        : base(message) => ErrorData = data;

    /// <summary>Creates a refusal with the default message.</summary>
    public SocketIOConnectionRefusedException()
        : this("Connection refused")
    {
    }

    /// <summary>Creates a refusal wrapping another exception.</summary>
    /// <param name="message">The message sent to the client.</param>
    /// <param name="innerException">The cause.</param>
    public SocketIOConnectionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The data sent with the refusal, or null.</summary>
    public object? ErrorData { get; }
}
