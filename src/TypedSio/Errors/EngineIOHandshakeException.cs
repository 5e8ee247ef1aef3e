using TypedSio.EngineIO;

namespace TypedSio;

/// <summary>
/// The Engine.IO server refused a request and answered with one of the documented error codes 0–5, as
/// <c>{"code":N,"message":"..."}</c> over HTTP or as a plain-text refusal of a WebSocket upgrade. Each code has its
/// own sealed subtype; <see cref="Create"/> picks it.
/// </summary>
public abstract class EngineIOHandshakeException : ConnectErrorException
{
    private protected EngineIOHandshakeException(
        EngineIOErrorCode code, string serverMessage, int httpStatus, string rawBody, string cause, string check)
        : base(Describe(
            $"The Engine.IO server refused the connection with error {(int)code} ({code}): \"{serverMessage}\" (HTTP {httpStatus}).",
            cause,
            check))
    {
        Code = code;
        ServerMessage = serverMessage;
        HttpStatus = httpStatus;
        RawBody = rawBody;
    }

    /// <summary>The error code the server sent.</summary>
    public EngineIOErrorCode Code { get; }

    /// <summary>The message the server sent with the code (the documented one, or a custom one such as <c>allowRequest</c>'s).</summary>
    public string ServerMessage { get; }

    /// <summary>The HTTP status of the refusal (400, or 403 for <see cref="EngineIOErrorCode.Forbidden"/>).</summary>
    public int HttpStatus { get; }

    /// <summary>The response body exactly as received.</summary>
    public string RawBody { get; }

    /// <summary>Creates the subtype that matches a code.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="serverMessage">The server's message; null for the documented one.</param>
    /// <param name="httpStatus">The HTTP status.</param>
    /// <param name="rawBody">The response body.</param>
    /// <returns>The exception.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The code is not 0–5.</exception>
    public static EngineIOHandshakeException Create(EngineIOErrorCode code, string? serverMessage, int httpStatus, string rawBody)
    {
        ArgumentNullException.ThrowIfNull(rawBody);
        var message = serverMessage ?? EngineIOErrors.GetMessage(code);
        return code switch
        {
            EngineIOErrorCode.TransportUnknown => new EngineIOTransportUnknownException(message, httpStatus, rawBody),
            EngineIOErrorCode.SessionIdUnknown => new EngineIOSessionIdUnknownException(message, httpStatus, rawBody),
            EngineIOErrorCode.BadHandshakeMethod => new EngineIOBadHandshakeMethodException(message, httpStatus, rawBody),
            EngineIOErrorCode.BadRequest => new EngineIOBadRequestException(message, httpStatus, rawBody),
            EngineIOErrorCode.Forbidden => new EngineIOForbiddenException(message, httpStatus, rawBody),
            EngineIOErrorCode.UnsupportedProtocolVersion => new EngineIOUnsupportedProtocolVersionException(message, httpStatus, rawBody),
            _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not an Engine.IO error code."),
        };
    }
}

/// <summary>Error 0, "Transport unknown": the server does not offer the transport the client asked for.</summary>
public sealed class EngineIOTransportUnknownException : EngineIOHandshakeException
{
    internal EngineIOTransportUnknownException(string serverMessage, int httpStatus, string rawBody)
        : base(EngineIOErrorCode.TransportUnknown, serverMessage, httpStatus, rawBody,
            "the client asked for a transport the server's 'transports' option does not list (e.g. polling against a WebSocket-only server).",
            "that the client's transports and the server's 'transports' option share at least one transport.")
    {
    }
}

/// <summary>Error 1, "Session ID unknown": the server has no session with the client's sid.</summary>
public sealed class EngineIOSessionIdUnknownException : EngineIOHandshakeException
{
    internal EngineIOSessionIdUnknownException(string serverMessage, int httpStatus, string rawBody)
        : base(EngineIOErrorCode.SessionIdUnknown, serverMessage, httpStatus, rawBody,
            "the server restarted or closed the session, or several server instances run without sticky sessions so the request reached one that never saw the handshake.",
            "that the load balancer routes every request of a session to the same instance (sticky sessions), or use the WebSocket transport only.")
    {
    }
}

/// <summary>Error 2, "Bad handshake method": a handshake was attempted with a method other than GET.</summary>
public sealed class EngineIOBadHandshakeMethodException : EngineIOHandshakeException
{
    internal EngineIOBadHandshakeMethodException(string serverMessage, int httpStatus, string rawBody)
        : base(EngineIOErrorCode.BadHandshakeMethod, serverMessage, httpStatus, rawBody,
            "a request without a sid used a method other than GET, often because the server lost the session the client still sends data for.",
            "that nothing between the client and the server strips the 'sid' query parameter or rewrites the request method.")
    {
    }
}

/// <summary>Error 3, "Bad request": the server found the request malformed.</summary>
public sealed class EngineIOBadRequestException : EngineIOHandshakeException
{
    internal EngineIOBadRequestException(string serverMessage, int httpStatus, string rawBody)
        : base(EngineIOErrorCode.BadRequest, serverMessage, httpStatus, rawBody,
            "a transport mismatch for the session, a second concurrent poll, an invalid Origin header, a payload larger than the server's maxHttpBufferSize, or a WebSocket request that is not an upgrade (a proxy dropping the 'Upgrade' header).",
            "that proxies forward the 'Upgrade' and 'Connection' headers, and that messages stay under the server's maxHttpBufferSize.")
    {
    }
}

/// <summary>Error 4, "Forbidden": the server's <c>allowRequest</c> hook refused the request.</summary>
public sealed class EngineIOForbiddenException : EngineIOHandshakeException
{
    internal EngineIOForbiddenException(string serverMessage, int httpStatus, string rawBody)
        : base(EngineIOErrorCode.Forbidden, serverMessage, httpStatus, rawBody,
            "the server's allowRequest hook (or a CORS/origin check, or a proxy) refused the request.",
            "the server's allowRequest logic and the headers, cookies and origin the client sends.")
    {
    }
}

/// <summary>Error 5, "Unsupported protocol version": the server does not speak the client's Engine.IO revision.</summary>
public sealed class EngineIOUnsupportedProtocolVersionException : EngineIOHandshakeException
{
    internal EngineIOUnsupportedProtocolVersionException(string serverMessage, int httpStatus, string rawBody)
        : base(EngineIOErrorCode.UnsupportedProtocolVersion, serverMessage, httpStatus, rawBody,
            "the client speaks Engine.IO v3 (Socket.IO v2) and the server v4 without 'allowEIO3', or the other way round.",
            "the client's protocol version option, or enable 'allowEIO3: true' on the server.")
    {
    }
}
