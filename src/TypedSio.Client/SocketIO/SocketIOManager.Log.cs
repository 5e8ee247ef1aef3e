using Microsoft.Extensions.Logging;
using TypedSio.SocketIO;

namespace TypedSio.Client;

public sealed partial class SocketIOManager
{
    // Messages follow socket.io-client's DEBUG=socket.io-client:manager output so the two can be read side by side.
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "opening {Uri}; connect attempt will timeout after {Timeout} ms")]
        public static partial void Opening(ILogger logger, Uri uri, long timeout);

        [LoggerMessage(2, LogLevel.Debug, "open: engine sid {Sid} over {Transport}")]
        public static partial void Opened(ILogger logger, string sid, EngineIOTransportKind? transport);

        [LoggerMessage(3, LogLevel.Debug, "connect attempt failed (will retry: {WillRetry})")]
        public static partial void OpenFailed(ILogger logger, bool willRetry, Exception error);

        [LoggerMessage(4, LogLevel.Debug, "will wait {Delay} ms before reconnect attempt {Attempt}")]
        public static partial void ReconnectScheduledCore(ILogger logger, long delay, int attempt);

        [LoggerMessage(5, LogLevel.Debug, "attempting reconnect {Attempt}")]
        public static partial void ReconnectAttempt(ILogger logger, int attempt);

        [LoggerMessage(6, LogLevel.Debug, "reconnect success after {Attempts} attempt(s)")]
        public static partial void Reconnected(ILogger logger, int attempts);

        [LoggerMessage(7, LogLevel.Debug, "reconnect failed after {Attempts} attempt(s)")]
        public static partial void ReconnectGaveUp(ILogger logger, int attempts);

        [LoggerMessage(8, LogLevel.Debug, "onclose: {Reason}")]
        public static partial void Closed(ILogger logger, string reason, Exception? error);

        [LoggerMessage(9, LogLevel.Debug, "writing packet {Packet}")]
        public static partial void WritingPacket(ILogger logger, string packet);

        [LoggerMessage(10, LogLevel.Debug, "decoded packet {Type} for namespace {Namespace}")]
        public static partial void PacketReceived(ILogger logger, SocketIOPacketType type, string @namespace);

        [LoggerMessage(11, LogLevel.Debug, "packet for namespace {Namespace} without a socket, ignored")]
        public static partial void UnknownNamespace(ILogger logger, string @namespace);

        [LoggerMessage(12, LogLevel.Warning, "undecodable packet, closing: {Error}")]
        public static partial void ParseError(ILogger logger, string error);

        [LoggerMessage(13, LogLevel.Debug, "no active socket left, closing the connection")]
        public static partial void ClosingUnused(ILogger logger);

        [LoggerMessage(14, LogLevel.Error, "an event handler threw")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);

        public static void ReconnectScheduled(ILogger logger, int attempt, long delay) => ReconnectScheduledCore(logger, delay, attempt);
    }
}
