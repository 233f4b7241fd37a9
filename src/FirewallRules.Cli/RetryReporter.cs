using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Cli;

/// <summary>
/// The client's log, as the tool shows it: one warning line per scheduled retry (its cause and the wait), nothing else.
/// The final failure is the command's error line.
/// </summary>
internal sealed class RetryReporter(CliConsole console, int attempts) : ILoggerFactory, ILogger
{
    private const string RetryScheduled = "RetryScheduled";

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Name != RetryScheduled || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }

        object? Value(string name) => values.FirstOrDefault(pair => pair.Key == name).Value;
        double wait = Value("Delay") is TimeSpan delay ? delay.TotalSeconds : 0;
        console.WriteWarning(string.Create(CultureInfo.InvariantCulture,
            $"attempt {Value("Attempt")} of {attempts} failed ({Value("Reason")}); retrying in {wait:0.0} s"));
    }
}
