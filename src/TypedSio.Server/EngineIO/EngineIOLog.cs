using Microsoft.Extensions.Logging;

namespace TypedSio.Server.EngineIO;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Handshake: session {Sid} opened over {Transport} (EIO={Protocol})")]
    public static partial void Handshake(ILogger logger, string sid, string transport, int protocol);

    [LoggerMessage(2, LogLevel.Information, "Connection error {Code} ({Message}){Detail} for {Method} {Path}{Query}")]
    public static partial void ConnectionError(ILogger logger, int code, string message, string detail, string method, string path, string query);

    [LoggerMessage(3, LogLevel.Debug, "Session {Sid} closed: {Reason}")]
    public static partial void Closed(ILogger logger, string sid, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Session {Sid}: client sent close")]
    public static partial void ClientClosed(ILogger logger, string sid);

    [LoggerMessage(5, LogLevel.Debug, "Session {Sid}: parse error: {Problem}")]
    public static partial void ParseError(ILogger logger, string sid, string problem);

    [LoggerMessage(6, LogLevel.Debug, "Session {Sid}: transport error: {Problem}")]
    public static partial void TransportError(ILogger logger, string sid, string problem);

    [LoggerMessage(7, LogLevel.Trace, "Session {Sid}: ping sent")]
    public static partial void PingSent(ILogger logger, string sid);

    [LoggerMessage(8, LogLevel.Debug, "Session {Sid}: no pong within the ping timeout")]
    public static partial void PingTimeout(ILogger logger, string sid);

    [LoggerMessage(9, LogLevel.Debug, "Session {Sid} upgraded to websocket")]
    public static partial void Upgraded(ILogger logger, string sid);

    [LoggerMessage(10, LogLevel.Debug, "Session {Sid}: upgrade failed: {Problem}")]
    public static partial void UpgradeFailed(ILogger logger, string sid, string problem);

    [LoggerMessage(11, LogLevel.Debug, "Session {Sid}: client did not complete the upgrade in time")]
    public static partial void UpgradeTimeout(ILogger logger, string sid);

    [LoggerMessage(12, LogLevel.Warning, "Session {Sid}: outbound queue full ({Packets} packets, {Bytes} bytes); closing the slow consumer")]
    public static partial void SlowConsumer(ILogger logger, string sid, int packets, long bytes);

    [LoggerMessage(13, LogLevel.Debug, "Session {Sid}: extra WebSocket closed: {Problem}")]
    public static partial void WebSocketRefused(ILogger logger, string sid, string problem);

    [LoggerMessage(14, LogLevel.Error, "Session {Sid}: the connection handler failed")]
    public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);

    [LoggerMessage(15, LogLevel.Debug, "Session {Sid}: POST body larger than maxHttpBufferSize, answered 413")]
    public static partial void PayloadTooLarge(ILogger logger, string sid);
}
