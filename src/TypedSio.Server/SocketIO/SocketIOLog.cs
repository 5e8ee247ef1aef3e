using Microsoft.Extensions.Logging;

namespace TypedSio.Server.SocketIO;

/// <summary>The <c>TypedSio.Server.SocketIO</c> log messages.</summary>
internal sealed partial class SocketIOLog(ILogger logger)
{
    public const string Category = "TypedSio.Server.SocketIO";

    public void Connected(string nsp, string id, bool recovered) => LogConnected(logger, nsp, id, recovered);

    public void Disconnected(string nsp, string id, string reason) => LogDisconnected(logger, nsp, id, reason);

    public void Refused(string nsp, string message) => LogRefused(logger, nsp, message);

    public void InvalidNamespace(string connection, string nsp) => LogInvalidNamespace(logger, connection, nsp);

    public void InvalidState(string connection, string type, string nsp) => LogInvalidState(logger, connection, type, nsp);

    public void ParseError(string connection, string problem) => LogParseError(logger, connection, problem);

    public void ConnectTimeout(string connection) => LogConnectTimeout(logger, connection);

    public void HandlerFailed(Exception exception, string nsp, string id) => LogHandlerFailed(logger, exception, nsp, id);

    [LoggerMessage(1, LogLevel.Debug, "Socket {Id} connected to {Namespace} (recovered: {Recovered})")]
    private static partial void LogConnected(ILogger logger, string @namespace, string id, bool recovered);

    [LoggerMessage(2, LogLevel.Debug, "Socket {Id} left {Namespace}: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string @namespace, string id, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Connection to {Namespace} refused by a middleware: {Message}")]
    private static partial void LogRefused(ILogger logger, string @namespace, string message);

    [LoggerMessage(4, LogLevel.Debug, "Connection {Connection}: invalid namespace {Namespace}")]
    private static partial void LogInvalidNamespace(ILogger logger, string connection, string @namespace);

    [LoggerMessage(5, LogLevel.Debug, "Connection {Connection}: {Type} packet for {Namespace} in an invalid state; closing")]
    private static partial void LogInvalidState(ILogger logger, string connection, string type, string @namespace);

    [LoggerMessage(6, LogLevel.Debug, "Connection {Connection}: invalid packet ({Problem}); closing")]
    private static partial void LogParseError(ILogger logger, string connection, string problem);

    [LoggerMessage(7, LogLevel.Debug, "Connection {Connection} joined no namespace within the connect timeout; closing")]
    private static partial void LogConnectTimeout(ILogger logger, string connection);

    [LoggerMessage(8, LogLevel.Warning, "A handler of socket {Id} in {Namespace} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string @namespace, string id);
}
