using Microsoft.Extensions.Logging;

namespace FirewallRules.Cli;

/// <summary>
/// A library type's log as the tool shows it: each warning (or worse) as one warning line through <paramref name="warn"/>,
/// nothing below. The snapshot store says this way that it adopted a cache written by fwrules 0.1.0.
/// </summary>
internal sealed class WarningLines(Action<string> warn) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and < LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            warn(formatter(state, exception));
        }
    }
}
