namespace TypedSio.Server.EngineIO;

/// <summary>The transport names used in the <c>transport</c> query parameter and the handshake's <c>upgrades</c>.</summary>
public static class EngineIOTransportNames
{
    /// <summary>HTTP long-polling.</summary>
    public const string Polling = "polling";

    /// <summary>WebSocket.</summary>
    public const string WebSocket = "websocket";
}
