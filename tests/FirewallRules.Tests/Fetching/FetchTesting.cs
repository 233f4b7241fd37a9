using System.Security.Cryptography;
using FirewallRules.Fetching;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Tests.Fetching;

/// <summary>Settings and helpers the fetching tests share.</summary>
internal static class FetchTesting
{
    public static DateTimeOffset Start { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Retry waits stay under <see cref="RetryStep"/> and attempt timeouts above it, so
    /// <see cref="ManualTimeProvider.RunAsync{T}"/> skips the waits but fires a timeout only when a test advances past it.
    /// </summary>
    public static TimeSpan RetryStep { get; } = TimeSpan.FromSeconds(30);

    public static TimeSpan AttemptTimeout { get; } = TimeSpan.FromSeconds(60);

    public static TimeSpan MaxRetryDelay { get; } = TimeSpan.FromSeconds(25);

    public static IpRangesClientOptions Options() => new()
    {
        AttemptTimeout = AttemptTimeout,
        TotalTimeout = TimeSpan.FromMinutes(10),
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        MaxRetryDelay = MaxRetryDelay,
    };

    public static string Document(int version) => TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json");

    /// <summary>Every file under <paramref name="directory"/> with its SHA-256, sorted: equal lists mean byte-for-byte equal trees.</summary>
    public static string[] Contents(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
                .Select(path => $"{Path.GetRelativePath(directory, path)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}")
                .Order(StringComparer.Ordinal)]
            : [];
}

/// <summary>Keeps what the client logs, with event ids, so tests can check the documented events.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider, ILogger
{
    private readonly List<(EventId Id, LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((eventId, logLevel, formatter(state, exception)));
        }
    }

    public void Dispose()
    {
    }
}
