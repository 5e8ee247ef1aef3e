using Microsoft.Extensions.Logging;

namespace TypedSio.Client;

public sealed partial class SocketIOSocket
{
    // Messages follow socket.io-client's DEBUG=socket.io-client:socket output so the two can be read side by side.
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "connecting socket to namespace {Namespace}")]
        public static partial void Connecting(ILogger logger, string @namespace);

        [LoggerMessage(2, LogLevel.Debug, "sending connect packet for namespace {Namespace}")]
        public static partial void SendingConnect(ILogger logger, string @namespace);

        [LoggerMessage(3, LogLevel.Debug, "socket connected to {Namespace} with id {Id} (recovered: {Recovered}, {Flushed} buffered packet(s) sent)")]
        public static partial void Connected(ILogger logger, string @namespace, string id, bool recovered, int flushed);

        [LoggerMessage(4, LogLevel.Debug, "connect_error on {Namespace} (will retry: {WillRetry})")]
        public static partial void ConnectError(ILogger logger, string @namespace, bool willRetry, Exception error);

        [LoggerMessage(5, LogLevel.Debug, "connect to {Namespace} did not complete within {Timeout} ms")]
        public static partial void ConnectTimedOut(ILogger logger, string @namespace, long timeout);

        [LoggerMessage(6, LogLevel.Debug, "performing disconnect ({Namespace})")]
        public static partial void Disconnecting(ILogger logger, string @namespace);

        [LoggerMessage(7, LogLevel.Debug, "close ({Namespace}): {Reason}")]
        public static partial void Closed(ILogger logger, string @namespace, string reason);

        [LoggerMessage(8, LogLevel.Debug, "server disconnect ({Namespace})")]
        public static partial void ServerDisconnect(ILogger logger, string @namespace);

        [LoggerMessage(9, LogLevel.Debug, "discard volatile packet '{Event}' on {Namespace}: not connected")]
        public static partial void VolatileDroppedCore(ILogger logger, string @event, string @namespace);

        [LoggerMessage(10, LogLevel.Debug, "buffered '{Event}' on {Namespace} until connected ({Count} waiting)")]
        public static partial void BufferedCore(ILogger logger, string @event, string @namespace, int count);

        [LoggerMessage(11, LogLevel.Debug, "emitting event '{Event}' on {Namespace} (ack {AckId})")]
        public static partial void EventReceivedCore(ILogger logger, string @event, string @namespace, long? ackId);

        [LoggerMessage(12, LogLevel.Debug, "calling ack {AckId} of '{Event}' on {Namespace}")]
        public static partial void AckReceivedCore(ILogger logger, long ackId, string @event, string @namespace);

        [LoggerMessage(13, LogLevel.Debug, "bad ack {AckId} on {Namespace}")]
        public static partial void UnknownAck(ILogger logger, string @namespace, long? ackId);

        [LoggerMessage(14, LogLevel.Debug, "sending ack {AckId} on {Namespace}")]
        public static partial void SendingAck(ILogger logger, string @namespace, long ackId);

        [LoggerMessage(15, LogLevel.Debug, "draining queue: sending '{Event}' (ack {AckId}) on {Namespace}, try {Try}")]
        public static partial void SendingQueuedCore(ILogger logger, string @event, long ackId, string @namespace, int @try);

        [LoggerMessage(16, LogLevel.Debug, "no ack for '{Event}' (ack {AckId}) on {Namespace}; will send again")]
        public static partial void RetryingQueuedCore(ILogger logger, string @event, long ackId, string @namespace);

        [LoggerMessage(17, LogLevel.Warning, "emit of '{Event}' was never acknowledged and is given up")]
        public static partial void ReliableEmitFailed(ILogger logger, string @event, Exception error);

        [LoggerMessage(18, LogLevel.Warning, "the auth callback of {Namespace} failed")]
        public static partial void AuthFailed(ILogger logger, string @namespace, Exception error);

        [LoggerMessage(19, LogLevel.Error, "an event handler threw")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);

        public static void VolatileDropped(ILogger logger, string nsp, string eventName) => VolatileDroppedCore(logger, eventName, nsp);

        public static void Buffered(ILogger logger, string nsp, string eventName, int count) => BufferedCore(logger, eventName, nsp, count);

        public static void EventReceived(ILogger logger, string nsp, string eventName, long? ackId) => EventReceivedCore(logger, eventName, nsp, ackId);

        public static void AckReceived(ILogger logger, string nsp, long ackId, string eventName) => AckReceivedCore(logger, ackId, eventName, nsp);

        public static void SendingQueued(ILogger logger, string nsp, string eventName, long ackId, int tries) => SendingQueuedCore(logger, eventName, ackId, nsp, tries);

        public static void RetryingQueued(ILogger logger, string nsp, string eventName, long ackId) => RetryingQueuedCore(logger, eventName, ackId, nsp);
    }
}
