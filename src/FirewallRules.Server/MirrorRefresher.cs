using FirewallRules.Fetching;
using FirewallRules.Ranges;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Server;

/// <summary>
/// Keeps every site's document current in the background: first the copy the snapshot store already
/// vetted, then a conditional fetch through the resilient client every refresh interval. A document the
/// store refuses, or a fetch that fails, leaves the version in service as it was; the log and /metrics say why.
/// </summary>
internal sealed partial class MirrorRefresher(
    MirrorState state, MirrorSettings settings, SnapshotStore store, IpRangesClient client, MirrorNotices notices, TimeProvider time, ILogger<MirrorRefresher> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(state.Sites.Select(site => RefreshAsync(site, stoppingToken)));

    private async Task RefreshAsync(SiteMirror mirror, CancellationToken stoppingToken)
    {
        try
        {
            await LoadStoredAsync(mirror, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(settings.Refresh, time);
            do
            {
                await FetchAsync(mirror, stoppingToken).ConfigureAwait(false);
                await notices.NotifyAsync(mirror.Site, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Serves the store's current copy at once, so a restart does not wait for the network.</summary>
    private async Task LoadStoredAsync(SiteMirror mirror, CancellationToken cancellationToken)
    {
        try
        {
            if (await store.GetCurrentAsync(mirror.Site.Source, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                mirror.Serve(stored);
                Log.ServingStored(logger, mirror.Site.Key, stored.Version, store.DirectoryPath);
            }
        }
        catch (Exception ex) when (ex is IpRangesFormatException or IOException or UnauthorizedAccessException)
        {
            mirror.Record(FetchResult.StoreError, time.GetUtcNow(), ex.Message);
            Log.StoreUnreadable(logger, mirror.Site.Key, store.DirectoryPath, ex.Message);
        }
    }

    /// <summary>One conditional fetch; every outcome is recorded, and only a vetted document changes what is served.</summary>
    private async Task FetchAsync(SiteMirror mirror, CancellationToken cancellationToken)
    {
        MirroredSite site = mirror.Site;
        (FetchResult result, string detail) = await TryUpdateAsync(mirror, cancellationToken).ConfigureAwait(false);
        mirror.Record(result, time.GetUtcNow(), detail);
        long? serving = mirror.Current?.Document.Version;
        switch (result)
        {
            case FetchResult.Updated:
                Log.Updated(logger, site.Key, serving ?? 0, site.Source.IpRangesUri);
                break;
            case FetchResult.NotModified:
                Log.NotModified(logger, site.Key, serving ?? 0);
                break;
            default:
                Log.KeptLastGood(logger, site.Key, MirrorMetrics.Label(result), detail, serving is long version ? $"version {version}" : "nothing yet");
                break;
        }
    }

    private async Task<(FetchResult Result, string Detail)> TryUpdateAsync(SiteMirror mirror, CancellationToken cancellationToken)
    {
        try
        {
            SnapshotUpdate update = await store.UpdateAsync(client, mirror.Site.Source, force: false, cancellationToken).ConfigureAwait(false);
            if (update.IsNotModified && mirror.Current is not null)
            {
                return (FetchResult.NotModified, $"version {update.Current.Version} is current");
            }

            mirror.Serve(update.Current);
            return (FetchResult.Updated, $"version {update.Current.Version}");
        }
        catch (SnapshotRefusedException ex)
        {
            return (ex switch
            {
                SnapshotRollbackException => FetchResult.Rollback,
                SnapshotShrinkException => FetchResult.Shrink,
                _ => FetchResult.Conflict,
            }, ex.Message);
        }
        catch (IpRangesFormatException ex)
        {
            return (FetchResult.Invalid, ex.Message);
        }
        catch (IpRangesFetchException ex)
        {
            return (FetchResult.Failed, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (FetchResult.StoreError, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Site}: serving version {Version} from the snapshot store in {Directory}")]
        public static partial void ServingStored(ILogger logger, string site, long version, string directory);

        [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{Site}: serving version {Version}, fetched from {Source}")]
        public static partial void Updated(ILogger logger, string site, long version, Uri source);

        [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "{Site}: version {Version} is current")]
        public static partial void NotModified(ILogger logger, string site, long version);

        [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Site}: fetch result {Result}: {Detail}; still serving {Serving}")]
        public static partial void KeptLastGood(ILogger logger, string site, string result, string detail, string serving);

        [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "{Site}: the snapshot store in {Directory} cannot be read: {Detail}")]
        public static partial void StoreUnreadable(ILogger logger, string site, string directory, string detail);
    }
}
