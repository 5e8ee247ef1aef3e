using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TypedSio.Doctor.Diagnosis;

/// <summary>
/// The story of the diagnosis as the debug logs would tell it: each request and response, and the Engine.IO client's
/// own log lines. Shown with <c>--verbose</c> and kept in the JSON report.
/// </summary>
internal sealed class ExchangeLog : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Raised for every new line (the console shows them as they come with <c>--verbose</c>).</summary>
    public event Action<string>? LineAdded;

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Add(string category, string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"+{_clock.ElapsedMilliseconds,6}ms {category} {message}");
        _lines.Enqueue(line);
        LineAdded?.Invoke(line);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName.Replace("TypedSio.Client.", "engine.io-client:", StringComparison.Ordinal));

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(ExchangeLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            log.Add(category.ToLowerInvariant(), exception is null ? text : $"{text} ({exception.GetType().Name}: {exception.Message})");
        }
    }
}
