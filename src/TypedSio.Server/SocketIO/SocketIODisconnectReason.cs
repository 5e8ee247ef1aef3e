using TypedSio.Server.EngineIO;

namespace TypedSio.Server.SocketIO;

/// <summary>Why a socket left its namespace. <see cref="SocketIODisconnectReasons.ToReasonString"/> gives the reference wording.</summary>
public enum SocketIODisconnectReason
{
    /// <summary>The server called <c>DisconnectAsync</c> ("server namespace disconnect").</summary>
    ServerNamespaceDisconnect,

    /// <summary>The client sent a DISCONNECT packet ("client namespace disconnect").</summary>
    ClientNamespaceDisconnect,

    /// <summary>The server is stopping ("server shutting down").</summary>
    ServerShuttingDown,

    /// <summary>The client did not answer pings ("ping timeout").</summary>
    PingTimeout,

    /// <summary>The client closed the connection ("transport close").</summary>
    TransportClose,

    /// <summary>The transport failed ("transport error").</summary>
    TransportError,

    /// <summary>The client sent something that could not be decoded ("parse error").</summary>
    ParseError,

    /// <summary>The connection was closed by the server's engine ("forced close").</summary>
    ForcedClose,

    /// <summary>The server closed the connection after a protocol violation ("forced server close").</summary>
    ForcedServerClose,

    /// <summary>The client did not read fast enough and its outbound queue filled up ("slow consumer").</summary>
    SlowConsumer,
}

/// <summary>Helpers for <see cref="SocketIODisconnectReason"/>.</summary>
public static class SocketIODisconnectReasons
{
    /// <summary>The reason as the reference server words it.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The wording, e.g. <c>"ping timeout"</c>.</returns>
    public static string ToReasonString(this SocketIODisconnectReason reason) => reason switch
    {
        SocketIODisconnectReason.ServerNamespaceDisconnect => "server namespace disconnect",
        SocketIODisconnectReason.ClientNamespaceDisconnect => "client namespace disconnect",
        SocketIODisconnectReason.ServerShuttingDown => "server shutting down",
        SocketIODisconnectReason.PingTimeout => "ping timeout",
        SocketIODisconnectReason.TransportClose => "transport close",
        SocketIODisconnectReason.TransportError => "transport error",
        SocketIODisconnectReason.ParseError => "parse error",
        SocketIODisconnectReason.ForcedClose => "forced close",
        SocketIODisconnectReason.ForcedServerClose => "forced server close",
        SocketIODisconnectReason.SlowConsumer => "slow consumer",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a disconnect reason."),
    };

    internal static SocketIODisconnectReason FromEngine(EngineIOCloseReason reason) => reason switch
    {
        EngineIOCloseReason.PingTimeout => SocketIODisconnectReason.PingTimeout,
        EngineIOCloseReason.TransportClose => SocketIODisconnectReason.TransportClose,
        EngineIOCloseReason.TransportError => SocketIODisconnectReason.TransportError,
        EngineIOCloseReason.ParseError => SocketIODisconnectReason.ParseError,
        EngineIOCloseReason.SlowConsumer => SocketIODisconnectReason.SlowConsumer,
        _ => SocketIODisconnectReason.ForcedClose,
    };

    // The reasons after which the reference keeps the session for recovery: the client did not choose to leave.
    internal static bool IsRecoverable(this SocketIODisconnectReason reason) => reason is
        SocketIODisconnectReason.TransportError or SocketIODisconnectReason.TransportClose or SocketIODisconnectReason.ForcedClose
        or SocketIODisconnectReason.PingTimeout or SocketIODisconnectReason.ServerShuttingDown or SocketIODisconnectReason.ForcedServerClose;
}

/// <summary>A socket's disconnection.</summary>
/// <param name="Reason">Why.</param>
public sealed record SocketIODisconnectEventArgs(SocketIODisconnectReason Reason)
{
    /// <summary>The reason as the reference words it.</summary>
    public string Description => Reason.ToReasonString();
}
