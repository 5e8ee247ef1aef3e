namespace TypedSio.Server.EngineIO;

/// <summary>Why an Engine.IO connection closed. <see cref="EngineIOCloseReasons.ToReasonString"/> gives the reference server's wording.</summary>
public enum EngineIOCloseReason
{
    /// <summary>The client closed the connection (a <c>close</c> packet, or the WebSocket closed).</summary>
    TransportClose,

    /// <summary>The client did not answer a ping within the ping timeout.</summary>
    PingTimeout,

    /// <summary>The client sent a packet the server could not decode.</summary>
    ParseError,

    /// <summary>The server closed the connection (the application, or the server shutting down).</summary>
    ForcedClose,

    /// <summary>The transport failed: an aborted poll, an overlapping request, an oversized WebSocket message.</summary>
    TransportError,

    /// <summary>The client did not take the packets sent to it fast enough and the outbound queue filled up.</summary>
    SlowConsumer,
}

/// <summary>Helpers for <see cref="EngineIOCloseReason"/>.</summary>
public static class EngineIOCloseReasons
{
    /// <summary>The reason as the reference server words it, e.g. <c>"ping timeout"</c>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The wording.</returns>
    public static string ToReasonString(this EngineIOCloseReason reason) => reason switch
    {
        EngineIOCloseReason.TransportClose => "transport close",
        EngineIOCloseReason.PingTimeout => "ping timeout",
        EngineIOCloseReason.ParseError => "parse error",
        EngineIOCloseReason.ForcedClose => "forced close",
        EngineIOCloseReason.TransportError => "transport error",
        EngineIOCloseReason.SlowConsumer => "slow consumer",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a close reason."),
    };
}
