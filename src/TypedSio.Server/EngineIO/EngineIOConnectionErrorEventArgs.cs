using Microsoft.AspNetCore.Http;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

/// <summary>A request the server refused (the reference server's <c>connection_error</c> event).</summary>
public sealed class EngineIOConnectionErrorEventArgs : EventArgs
{
    internal EngineIOConnectionErrorEventArgs(HttpContext context, EngineIOErrorCode code, string message, string? detail)
    {
        Context = context;
        Code = code;
        Message = message;
        Detail = detail;
    }

    /// <summary>The refused request.</summary>
    public HttpContext Context { get; }

    /// <summary>The error code sent to the client.</summary>
    public EngineIOErrorCode Code { get; }

    /// <summary>The message sent to the client.</summary>
    public string Message { get; }

    /// <summary>
    /// What exactly was wrong, in the reference server's words where it has them (e.g. <c>TRANSPORT_MISMATCH</c>,
    /// <c>TRANSPORT_HANDSHAKE_ERROR</c>, an unknown transport's name, the refused protocol version).
    /// </summary>
    public string? Detail { get; }
}
