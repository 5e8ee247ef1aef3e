namespace TypedSio;

/// <summary>
/// The base of every reason a client could not connect, or lost its connection: the server was unreachable, the TLS
/// certificate was rejected, the Engine.IO handshake was refused (codes 0–5), a namespace refused the socket, the
/// server broke the protocol, or the attempt timed out. The message says what happened, the likely cause and what
/// to check, in the spirit of the Socket.IO troubleshooting guide.
/// </summary>
public abstract class ConnectErrorException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, the likely cause and what to check.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    protected ConnectErrorException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether the layer that owns the connection will try again on its own (e.g. the reconnection loop of a manager).
    /// False when this failure ends the attempt for good. Set by that layer; the Engine.IO client never retries.
    /// </summary>
    public bool WillRetry { get; set; }

    /// <summary>Joins the three parts every connect error message has.</summary>
    /// <param name="what">What happened.</param>
    /// <param name="cause">The likely cause.</param>
    /// <param name="check">What to check.</param>
    /// <returns>The message.</returns>
    private protected static string Describe(string what, string cause, string check) =>
        $"{what} Likely cause: {cause} Check: {check}";
}
