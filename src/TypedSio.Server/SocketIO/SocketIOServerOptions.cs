using System.Text.Json;

namespace TypedSio.Server.SocketIO;

/// <summary>Socket.IO server options (the Engine.IO ones are set with <c>AddEngineIO</c> or <c>MapSocketIO</c>).</summary>
public sealed class SocketIOServerOptions
{
    /// <summary>How long a new connection may wait before joining a namespace; it is closed after that (reference default 45 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Connection state recovery, or null (the default) for none.</summary>
    public SocketIOConnectionStateRecovery? ConnectionStateRecovery { get; set; }

    /// <summary>Serializer options for argument types that are not plain JSON values.</summary>
    public JsonSerializerOptions? JsonOptions { get; set; }

    /// <summary>Creates each namespace's adapter; the in-memory adapter when null.</summary>
    public Func<SocketIONamespace, SocketIOAdapter>? AdapterFactory { get; set; }

    /// <summary>The time source for timeouts; the engine's (or the system clock) when null.</summary>
    public TimeProvider? TimeProvider { get; set; }
}

/// <summary>Keeps a socket's id, rooms, data and missed broadcasts across a short disconnection.</summary>
public sealed class SocketIOConnectionStateRecovery
{
    /// <summary>How long a session is kept after the disconnection (reference default 2 minutes).</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether a recovered socket skips the namespace middlewares (reference default true).</summary>
    public bool SkipMiddlewares { get; set; } = true;
}
