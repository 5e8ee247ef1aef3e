namespace TypedSio.EngineIO;

/// <summary>
/// The error codes an Engine.IO server answers a refused request with, in a JSON body <c>{"code":N,"message":"..."}</c>.
/// </summary>
public enum EngineIOErrorCode
{
    /// <summary>The <c>transport</c> query parameter names a transport the server does not offer.</summary>
    TransportUnknown = 0,

    /// <summary>The <c>sid</c> is unknown to this server: it expired, the server restarted, or sticky sessions are missing.</summary>
    SessionIdUnknown = 1,

    /// <summary>A handshake was attempted with an HTTP method other than GET.</summary>
    BadHandshakeMethod = 2,

    /// <summary>The request is malformed: a transport mismatch, a second concurrent poll, a missing upgrade, or a bad WebSocket key.</summary>
    BadRequest = 3,

    /// <summary>The server's <c>allowRequest</c> hook refused the request (answered with HTTP 403).</summary>
    Forbidden = 4,

    /// <summary>The <c>EIO</c> protocol version is not one the server speaks.</summary>
    UnsupportedProtocolVersion = 5,
}

/// <summary>The documented messages and HTTP status codes of <see cref="EngineIOErrorCode"/>.</summary>
public static class EngineIOErrors
{
    /// <summary>The message the reference server sends with a code.</summary>
    /// <param name="code">The error code.</param>
    /// <returns>The message, e.g. "Session ID unknown".</returns>
    public static string GetMessage(EngineIOErrorCode code) => code switch
    {
        EngineIOErrorCode.TransportUnknown => "Transport unknown",
        EngineIOErrorCode.SessionIdUnknown => "Session ID unknown",
        EngineIOErrorCode.BadHandshakeMethod => "Bad handshake method",
        EngineIOErrorCode.BadRequest => "Bad request",
        EngineIOErrorCode.Forbidden => "Forbidden",
        EngineIOErrorCode.UnsupportedProtocolVersion => "Unsupported protocol version",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not an Engine.IO error code."),
    };

    /// <summary>The HTTP status the reference server answers with: 403 for Forbidden, 400 otherwise.</summary>
    /// <param name="code">The error code.</param>
    /// <returns>The status code.</returns>
    public static int GetHttpStatus(EngineIOErrorCode code) => code == EngineIOErrorCode.Forbidden ? 403 : 400;
}
