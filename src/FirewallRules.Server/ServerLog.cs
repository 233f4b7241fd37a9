using Microsoft.Extensions.Logging;

namespace FirewallRules.Server;

/// <summary>
/// Every line the mirror logs, source-generated, in one class: the .NET 10 logging generator emits the classes of an
/// assembly in an order that varies from build to build (dotnet/runtime#119587, fixed for .NET 11 by dotnet/runtime#123428),
/// so that with several classes two clean builds made different assemblies. The event ids are part of the contract
/// (people filter and alert on them): never renumber, only add.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "listening on {Addresses}; serving {Sites}; refreshing every {Refresh}")]
    public static partial void Listening(ILogger logger, string addresses, string sites, string refresh);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Site}: serving version {Version} from the snapshot store in {Directory}")]
    public static partial void ServingStored(ILogger logger, string site, long version, string directory);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{Site}: serving version {Version}, fetched from {Source}")]
    public static partial void Updated(ILogger logger, string site, long version, Uri source);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "{Site}: version {Version} is current ({Result})")]
    public static partial void Current(ILogger logger, string site, long version, string result);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Site}: fetch result {Result}: {Detail}; still serving {Serving}; next attempt in {Next}")]
    public static partial void KeptLastGood(ILogger logger, string site, string result, string detail, string serving, string next);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "{Site}: the snapshot store in {Directory} cannot be read: {Detail}")]
    public static partial void StoreUnreadable(ILogger logger, string site, string directory, string detail);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "{Site}: fetch result {Result}, in detail")]
    public static partial void FailureDetail(ILogger logger, Exception exception, string site, string result);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "{Site}: fetch result {Result}: {Detail}; still serving {Serving}; next attempt in {Next}; {Advice}")]
    public static partial void KeptLastGoodRefused(ILogger logger, string site, string result, string detail, string serving, string next, string advice);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "{Site}: {Detail}: not served; serving {Serving}")]
    public static partial void NotVetted(ILogger logger, string site, string detail, string serving);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "{Site}: {Detail}: never served, and replaced by the copy just fetched and vetted")]
    public static partial void Replaced(ILogger logger, string site, string detail);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "{Site}: serving {Detail}, offline")]
    public static partial void Loaded(ILogger logger, string site, string detail);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "{Site}: posted {Count} change notice(s) to {Target}")]
    public static partial void Posted(ILogger logger, string site, int count, string target);

    [LoggerMessage(
        EventId = 112, Level = LogLevel.Warning,
        Message = "{Site}: could not post {Count} change notice(s) to {Target}: {Failure}; kept in {Directory} for the next refresh")]
    public static partial void Kept(ILogger logger, string site, int count, string target, string failure, string directory);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "{Site}: the change notices in {Directory} cannot be used: {Detail}")]
    public static partial void OutboxFailed(ILogger logger, string site, string directory, string detail);
}
