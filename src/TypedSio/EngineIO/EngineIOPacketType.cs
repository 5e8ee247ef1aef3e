namespace TypedSio.EngineIO;

/// <summary>The Engine.IO packet types, numbered as they are written on the wire.</summary>
public enum EngineIOPacketType : byte
{
    /// <summary>Sent by the server when a session opens; carries the handshake JSON.</summary>
    Open = 0,

    /// <summary>Asks the other side to close the session.</summary>
    Close = 1,

    /// <summary>Heartbeat request (the server pings in v4; the client pings in v3). Also <c>2probe</c> during upgrade.</summary>
    Ping = 2,

    /// <summary>Heartbeat reply. Also <c>3probe</c> during upgrade.</summary>
    Pong = 3,

    /// <summary>Application data, text or binary.</summary>
    Message = 4,

    /// <summary>Completes the upgrade from long-polling to WebSocket.</summary>
    Upgrade = 5,

    /// <summary>No operation; used to release a pending poll during an upgrade.</summary>
    Noop = 6,
}
