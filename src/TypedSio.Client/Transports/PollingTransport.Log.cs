using Microsoft.Extensions.Logging;

namespace TypedSio.Client.Transports;

internal sealed partial class PollingTransport
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "polling")]
        public static partial void Polling(ILogger logger);

        [LoggerMessage(2, LogLevel.Debug, "polling got data: {Length} bytes")]
        public static partial void PollGotData(ILogger logger, int length);

        [LoggerMessage(3, LogLevel.Debug, "writing {Count} packet(s) as {Length} bytes")]
        public static partial void Writing(ILogger logger, int count, int length);

        [LoggerMessage(4, LogLevel.Debug, "data written")]
        public static partial void WriteDone(ILogger logger);

        [LoggerMessage(5, LogLevel.Debug, "we are currently polling - waiting to pause")]
        public static partial void Pausing(ILogger logger);

        [LoggerMessage(6, LogLevel.Debug, "paused")]
        public static partial void Paused(ILogger logger);

        [LoggerMessage(7, LogLevel.Trace, "{Method} {Uri}")]
        public static partial void Request(ILogger logger, string method, Uri uri);

        [LoggerMessage(8, LogLevel.Debug, "{Method} refused with HTTP {Status}: {Body}")]
        public static partial void RequestRefused(ILogger logger, string method, int status, string body);
    }
}
