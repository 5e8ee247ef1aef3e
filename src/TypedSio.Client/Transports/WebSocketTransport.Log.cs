using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace TypedSio.Client.Transports;

internal sealed partial class WebSocketTransport
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "connecting to {Uri}")]
        public static partial void Connecting(ILogger logger, Uri uri);

        [LoggerMessage(2, LogLevel.Debug, "websocket open")]
        public static partial void Opened(ILogger logger);

        [LoggerMessage(3, LogLevel.Debug, "upgrade refused with HTTP {Status}: {Body}")]
        public static partial void UpgradeRefused(ILogger logger, int status, string body);

        [LoggerMessage(4, LogLevel.Trace, "frame sent: {MessageType}, {Length} bytes")]
        public static partial void FrameSent(ILogger logger, WebSocketMessageType messageType, int length);

        [LoggerMessage(5, LogLevel.Trace, "frame received: {MessageType}, {Length} bytes")]
        public static partial void FrameReceived(ILogger logger, WebSocketMessageType messageType, int length);

        [LoggerMessage(6, LogLevel.Debug, "closing websocket")]
        public static partial void Closing(ILogger logger);

        [LoggerMessage(7, LogLevel.Debug, "websocket closed by the server")]
        public static partial void ClosedByServer(ILogger logger);
    }
}
