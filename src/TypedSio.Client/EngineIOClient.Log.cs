using Microsoft.Extensions.Logging;
using TypedSio.EngineIO;

namespace TypedSio.Client;

public sealed partial class EngineIOClient
{
    // Messages follow the reference client's DEBUG=engine.io-client:* output so the two can be read side by side.
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "connecting to {Uri}")]
        public static partial void Connecting(ILogger logger, Uri uri);

        [LoggerMessage(2, LogLevel.Debug, "setting transport {Transport}")]
        public static partial void SettingTransport(ILogger logger, EngineIOTransportKind transport);

        [LoggerMessage(3, LogLevel.Debug, "readyState {State}")]
        public static partial void ReadyState(ILogger logger, EngineIOReadyState state);

        [LoggerMessage(4, LogLevel.Debug, "socket receive: type {Type}, binary {IsBinary}, {Length} bytes")]
        public static partial void PacketReceived(ILogger logger, EngineIOPacketType type, bool isBinary, long length);

        [LoggerMessage(5, LogLevel.Debug, "packet {Type} received on stale transport {Transport}, ignored")]
        public static partial void IgnoringPacket(ILogger logger, EngineIOPacketType type, EngineIOTransportKind transport);

        [LoggerMessage(6, LogLevel.Debug, "socket open: sid {Sid}, pingInterval {PingInterval} ms, pingTimeout {PingTimeout} ms, maxPayload {MaxPayload}")]
        public static partial void Handshake(ILogger logger, string sid, long pingInterval, long pingTimeout, long? maxPayload);

        [LoggerMessage(7, LogLevel.Debug, "flushing {Count} packet(s) over {Transport}")]
        public static partial void Flushing(ILogger logger, int count, EngineIOTransportKind transport);

        [LoggerMessage(8, LogLevel.Debug, "starting upgrade probes")]
        public static partial void StartingUpgradeProbes(ILogger logger);

        [LoggerMessage(9, LogLevel.Debug, "probing transport websocket")]
        public static partial void Probing(ILogger logger);

        [LoggerMessage(10, LogLevel.Debug, "probe transport websocket opened")]
        public static partial void ProbeOpened(ILogger logger);

        [LoggerMessage(11, LogLevel.Debug, "probe transport websocket pong")]
        public static partial void ProbePong(ILogger logger);

        [LoggerMessage(12, LogLevel.Debug, "changing transport and sending upgrade packet")]
        public static partial void ChangingTransport(ILogger logger);

        [LoggerMessage(13, LogLevel.Debug, "upgrade to websocket complete")]
        public static partial void Upgraded(ILogger logger);

        [LoggerMessage(14, LogLevel.Debug, "probe transport websocket failed")]
        public static partial void ProbeFailed(ILogger logger, Exception exception);

        [LoggerMessage(15, LogLevel.Debug, "socket close with reason: {Reason}")]
        public static partial void Closing(ILogger logger, string reason);

        [LoggerMessage(16, LogLevel.Debug, "no ping from the server within pingInterval + pingTimeout")]
        public static partial void PingTimeout(ILogger logger);

        [LoggerMessage(17, LogLevel.Debug, "transport {Transport} closed: {Reason}")]
        public static partial void TransportClosed(ILogger logger, EngineIOTransportKind transport, string reason, Exception? exception);

        [LoggerMessage(18, LogLevel.Debug, "handshake failed")]
        public static partial void HandshakeFailed(ILogger logger, Exception exception);

        [LoggerMessage(19, LogLevel.Debug, "open failed")]
        public static partial void OpenFailed(ILogger logger, Exception exception);

        [LoggerMessage(20, LogLevel.Warning, "closing the transport failed")]
        public static partial void CloseFailed(ILogger logger, Exception exception);

        [LoggerMessage(22, LogLevel.Debug, "transport {Transport} failed while opening, trying next transport")]
        public static partial void TryingNextTransport(ILogger logger, EngineIOTransportKind transport, Exception exception);

        [LoggerMessage(21, LogLevel.Error, "an event handler threw")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);
    }
}
