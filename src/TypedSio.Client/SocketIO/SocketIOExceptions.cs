namespace TypedSio.Client;

/// <summary>An acknowledgement did not arrive in time (after every retry, when retries are configured).</summary>
public sealed class SocketIOAckTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="eventName">The event that was not acknowledged.</param>
    /// <param name="timeout">How long each try waited.</param>
    /// <param name="tries">How many times the event was sent.</param>
    public SocketIOAckTimeoutException(string eventName, TimeSpan timeout, int tries = 1)
        : base($"The server did not acknowledge '{eventName}' within {timeout.TotalMilliseconds:0} ms"
            + (tries > 1 ? $" ({tries} tries)." : "."))
    {
        EventName = eventName;
        Timeout = timeout;
        Tries = tries;
    }

    /// <summary>The event that was not acknowledged.</summary>
    public string EventName { get; }

    /// <summary>How long each try waited.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How many times the event was sent.</summary>
    public int Tries { get; }
}

/// <summary>
/// An emit could not be buffered while disconnected because <see cref="SocketIOSocketOptions.MaxBufferedPackets"/> emits
/// already wait. Nothing was queued.
/// </summary>
public sealed class SocketIOBufferFullException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="eventName">The event that was refused.</param>
    /// <param name="capacity">The buffer's capacity.</param>
    public SocketIOBufferFullException(string eventName, int capacity)
        : base($"Cannot buffer '{eventName}': {capacity} emits already wait for the connection. Wait for Connected, raise "
            + "MaxBufferedPackets, or emit volatile messages that may be dropped.")
    {
        EventName = eventName;
        Capacity = capacity;
    }

    /// <summary>The event that was refused.</summary>
    public string EventName { get; }

    /// <summary>The buffer's capacity.</summary>
    public int Capacity { get; }
}

/// <summary>The socket disconnected while an acknowledgement was awaited; the server may or may not have received the event.</summary>
public sealed class SocketIODisconnectedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="eventName">The event whose acknowledgement was lost.</param>
    /// <param name="reason">Why the socket disconnected.</param>
    public SocketIODisconnectedException(string eventName, string reason)
        : base($"The socket disconnected ({reason}) before the server acknowledged '{eventName}'. Use Retries for at-least-once delivery.")
    {
        EventName = eventName;
        Reason = reason;
    }

    /// <summary>The event whose acknowledgement was lost.</summary>
    public string EventName { get; }

    /// <summary>Why the socket disconnected.</summary>
    public string Reason { get; }
}

/// <summary>Why a socket disconnected.</summary>
public sealed class SocketIODisconnectedEventArgs : EventArgs
{
    internal SocketIODisconnectedEventArgs(string reason, Exception? exception)
    {
        Reason = reason;
        Exception = exception;
    }

    /// <summary>
    /// The reason as socket.io-client names it: <c>io server disconnect</c> (the server disconnected the socket; no
    /// reconnection), <c>io client disconnect</c>, <c>ping timeout</c>, <c>transport close</c>, <c>transport error</c>,
    /// <c>parse error</c>.
    /// </summary>
    public string Reason { get; }

    /// <summary>The error behind <c>transport error</c> or <c>parse error</c>, if any.</summary>
    public Exception? Exception { get; }

    /// <summary>Whether the manager will reconnect on its own (false after <c>io server disconnect</c> or <c>io client disconnect</c>).</summary>
    public bool WillReconnect { get; internal set; }
}
