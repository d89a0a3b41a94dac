using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SessionKit.Sample.Tests;

/// <summary>Keeps the exception a host logs when it fails to start (its "Hosting failed to start" entry).</summary>
internal sealed class StartupFailureLog : ILoggerProvider
{
    private const string HostStartupFaulted = "HostedServiceStartupFaulted";
    private readonly ConcurrentQueue<Exception> _failures = new();

    /// <summary>The exception the host failed to start with, if it logged one.</summary>
    public Exception? Failure => _failures.TryPeek(out var failure) ? failure : null;

    public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) ? new HostLogger(_failures) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class HostLogger(ConcurrentQueue<Exception> failures) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == HostStartupFaulted && exception is not null)
            {
                failures.Enqueue(exception);
            }
        }
    }
}
