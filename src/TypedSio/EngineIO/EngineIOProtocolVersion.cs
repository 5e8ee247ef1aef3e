namespace TypedSio.EngineIO;

/// <summary>The Engine.IO protocol revision spoken on a connection (the <c>EIO</c> query parameter).</summary>
public enum EngineIOProtocolVersion
{
    /// <summary>Engine.IO v3, used by Socket.IO v2 clients and servers. Only spoken when explicitly allowed.</summary>
    V3 = 3,

    /// <summary>Engine.IO v4, used by Socket.IO v3 and v4.</summary>
    V4 = 4,
}
