using System.Net;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Fetching;

/// <summary>
/// Everything the client logs, source-generated. The event ids are part of the public contract (people
/// filter and alert on them): never renumber, only add.
/// </summary>
internal static partial class IpRangesClientLog
{
    [LoggerMessage(EventId = 1, EventName = "Fetching", Level = LogLevel.Debug,
        Message = "Fetching {Uri} (conditional: {Conditional})")]
    public static partial void Fetching(ILogger logger, Uri uri, bool conditional);

    [LoggerMessage(EventId = 2, EventName = "Fetched", Level = LogLevel.Information,
        Message = "Fetched {Uri}: version {Version}, {Bytes} bytes")]
    public static partial void Fetched(ILogger logger, Uri uri, long version, int bytes);

    [LoggerMessage(EventId = 3, EventName = "NotModified", Level = LogLevel.Information,
        Message = "{Uri} is not modified")]
    public static partial void NotModified(ILogger logger, Uri uri);

    [LoggerMessage(EventId = 4, EventName = "RetryScheduled", Level = LogLevel.Warning,
        Message = "Attempt {Attempt} for {Uri} failed ({Reason}); retrying in {Delay}")]
    public static partial void RetryScheduled(ILogger logger, int attempt, Uri? uri, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 5, EventName = "CircuitOpened", Level = LogLevel.Warning,
        Message = "Too many failed requests for ip-ranges: the circuit is open for {BreakDuration}")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 6, EventName = "CircuitClosed", Level = LogLevel.Information,
        Message = "ip-ranges requests succeed again: the circuit is closed")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 7, EventName = "FetchFailed", Level = LogLevel.Error,
        Message = "Could not fetch {Uri} after {Attempts} attempts (last status {Status})")]
    public static partial void FetchFailed(ILogger logger, Exception exception, Uri uri, int attempts, HttpStatusCode? status);
}
