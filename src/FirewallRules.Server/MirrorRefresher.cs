using System.Globalization;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Ranges;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Server;

/// <summary>
/// Keeps every site's document current in the background: first the copy the snapshot store already
/// vetted (and can prove it did: a file changed since is never served), then a conditional fetch through the resilient client every refresh interval. While a site has
/// nothing to serve (a cold start with the upstream down), the fetch is retried sooner (online: an offline mirror's files are read at each refresh), with growing jittered
/// waits (<see cref="ColdStartBackoff"/>). A document the store refuses, or a fetch that fails, leaves the
/// version in service as it was; one log line and /metrics say why, and when the next attempt comes.
/// </summary>
internal sealed class MirrorRefresher(
    MirrorState state, MirrorSettings settings, SnapshotStore store, IpRangesClient client, MirrorNotices notices, RefusalAdvice advice, TimeProvider time,
    ILogger<MirrorRefresher> logger)
    : BackgroundService
{
    // The library's name of the setting that allows plain HTTP, which a refused redirect's message names.
    private static readonly string AllowInsecureHttp = Advice.SettingNames.Of<IpRangesClientOptions>(nameof(IpRangesClientOptions.AllowInsecureHttp));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(state.Sites.Select(site => RefreshAsync(site, stoppingToken)));

    private async Task RefreshAsync(SiteMirror mirror, CancellationToken stoppingToken)
    {
        try
        {
            await LoadStoredAsync(mirror, stoppingToken).ConfigureAwait(false);
            var coldStart = new ColdStartBackoff(settings.Refresh, Random.Shared);
            while (true)
            {
                (FetchResult result, string detail, Exception? failure) = await TryUpdateAsync(mirror, stoppingToken).ConfigureAwait(false);
                // A cold start retries a fetch sooner; an offline mirror's files do not get better by reading them again sooner.
                TimeSpan next = mirror.Current is null && !settings.Offline ? coldStart.Next() : settings.Refresh;
                Report(mirror, result, detail, failure, next);
                await notices.NotifyAsync(mirror.Site, stoppingToken).ConfigureAwait(false);
                await Task.Delay(next, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// Serves the store's current copy at once, so a restart does not wait for the network: only a copy the store proves it
    /// vetted (its SHA-256 as recorded); a newer file that no longer holds the bytes vetted is never served, and the log says so.
    /// </summary>
    private async Task LoadStoredAsync(SiteMirror mirror, CancellationToken cancellationToken)
    {
        try
        {
            mirror.Remember(await VersionHistory.LoadAsync(store, mirror.Site, cancellationToken).ConfigureAwait(false));
            (IpRangesDocument? stored, SnapshotUnvettedException? passedOver) =
                await store.GetNewestVettedAsync(mirror.Site.Source, cancellationToken).ConfigureAwait(false);
            if (passedOver is not null)
            {
                mirror.Record(FetchResult.StoreError, time.GetUtcNow(), passedOver.Message);
                ServerLog.NotVetted(logger, mirror.Site.Key, passedOver.Message, stored is null ? "nothing from the store" : $"version {stored.Version} instead");
            }

            if (stored is not null)
            {
                mirror.Serve(stored, StoredAt(mirror.Site.Source, stored.Version));
                ServerLog.ServingStored(logger, mirror.Site.Key, stored.Version, store.DirectoryPath);
            }
        }
        catch (Exception ex) when (ex is IpRangesFormatException or IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            mirror.Record(FetchResult.StoreError, time.GetUtcNow(), ex.Message);
            ServerLog.StoreUnreadable(logger, mirror.Site.Key, store.DirectoryPath, ex.Message);
        }
    }

    /// <summary>Records how a fetch ended, and says it in one line: a failure's stack trace is logged at Debug only.</summary>
    private void Report(SiteMirror mirror, FetchResult result, string detail, Exception? failure, TimeSpan next)
    {
        MirroredSite site = mirror.Site;
        DateTimeOffset now = time.GetUtcNow();
        mirror.Record(result, now, detail, now + next);
        long serving = mirror.Current?.Document.Version ?? 0;
        string label = MirrorMetrics.Label(result);
        switch (result)
        {
            case FetchResult.Updated when settings.Offline:
                ServerLog.Loaded(logger, site.Key, detail);
                break;
            case FetchResult.Updated:
                ServerLog.Updated(logger, site.Key, serving, site.Source.IpRangesUri);
                break;
            case FetchResult.NotModified or FetchResult.Unchanged:
                ServerLog.Current(logger, site.Key, serving, label);
                break;
            default:
                string still = serving > 0 ? $"version {serving}" : "nothing yet";
                string wait = Wait(next);
                if (WayOut(site, failure) is { } way)
                {
                    // Refused on every refresh until the operator acts: the line ends with the way out.
                    ServerLog.KeptLastGoodRefused(logger, site.Key, label, detail, still, wait, way);
                }
                else
                {
                    ServerLog.KeptLastGood(logger, site.Key, label, detail, still, wait);
                }

                if (failure is not null)
                {
                    ServerLog.FailureDetail(logger, failure, site.Key, label);
                }

                break;
        }
    }

    /// <summary>
    /// What ends a refusal's line: for a fetched document, the command that stores it once checked (the command last, to be
    /// copied whole); for an input file, what fits a file no fetch replaces. Null for a failure that is no refusal.
    /// </summary>
    private string? WayOut(MirroredSite site, Exception? failure) => failure switch
    {
        OfflineInputRefusedException input => advice.ForInput(site.Site, input.Refusal is SnapshotRollbackException),
        SnapshotRefusedException => advice.For(site.Source, store.DirectoryPath),
        _ => null,
    };

    /// <summary>When the store wrote a version's file; now when it cannot say.</summary>
    private DateTimeOffset StoredAt(Site source, long version)
    {
        var file = new FileInfo(store.GetPath(source, version));
        return file.Exists ? new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) : time.GetUtcNow();
    }

    /// <summary>A wait as the command line writes durations; under a minute (a cold start's), to a tenth of a second.</summary>
    private static string Wait(TimeSpan wait) =>
        wait < TimeSpan.FromMinutes(1) ? string.Create(CultureInfo.InvariantCulture, $"{wait.TotalSeconds:0.0}s") : DurationText.Format(wait);

    /// <summary>
    /// An offline mirror's refresh: the input files' newer documents, vetted and stored; else, with nothing at all to serve, the
    /// embedded snapshot (US1 only).
    /// </summary>
    private async Task<(FetchResult Result, string Detail, Exception? Failure)> ImportAsync(SiteMirror mirror, CancellationToken cancellationToken)
    {
        ((SnapshotUpdate Update, string File)? stored, DateTimeOffset? copiedAt) =
            await OfflineInput.ImportAsync(store, mirror.Site.Source, settings.Input, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (stored is ({ } update, _))
        {
            if (update.ReplacedUnvetted is { } replaced)
            {
                ServerLog.Replaced(logger, mirror.Site.Key, replaced.Message);
            }

            mirror.Serve(update.Current, StoredAt(mirror.Site.Source, update.Current.Version));
        }

        // The operator copying the version in service in is what confirms it (its Age counts from there, not from its modified).
        if (copiedAt is { } at && mirror.Current is not null)
        {
            mirror.Confirm(at);
        }

        if (stored is { } done)
        {
            return (FetchResult.Updated, $"version {done.Update.Current.Version} from {TerminalText.EscapeWhole(done.File)}", null);
        }

        if (mirror.Current is null && OfflineInput.Fallback(mirror.Site.Site) is { } embedded)
        {
            mirror.Serve(embedded, time.GetUtcNow());
            return (FetchResult.Updated, $"version {embedded.Version}, the snapshot embedded in fwrules (old: give current documents with --input)", null);
        }

        return mirror.Current is { } current
            ? (FetchResult.Unchanged, $"version {current.Document.Version} is current", null)
            : (FetchResult.Failed, $"offline, with nothing stored for {mirror.Site.Key}: give its document with --input FILE", null);
    }

    private static FetchResult Refused(SnapshotRefusedException refusal) => refusal switch
    {
        SnapshotRollbackException => FetchResult.Rollback,
        SnapshotShrinkException => FetchResult.Shrink,
        SnapshotGrowthException => FetchResult.Growth,
        _ => FetchResult.Conflict,
    };

    /// <summary>One conditional fetch; only a vetted document changes what is served.</summary>
    private async Task<(FetchResult Result, string Detail, Exception? Failure)> TryUpdateAsync(SiteMirror mirror, CancellationToken cancellationToken)
    {
        try
        {
            if (settings.Offline)
            {
                return await ImportAsync(mirror, cancellationToken).ConfigureAwait(false);
            }

            SnapshotUpdate update = await store.UpdateAsync(client, mirror.Site.Source, force: false, cancellationToken).ConfigureAwait(false);
            // Confirmed now, or, behind another mirror, as long before as its Age says.
            DateTimeOffset confirmed = time.GetUtcNow() - (update.UpstreamAge ?? TimeSpan.Zero);
            long? serving = mirror.Current?.Document.Version;
            if (serving == update.Current.Version && (update.IsNotModified || update.Previous?.Version == serving))
            {
                // The store accepts the served version again only byte for byte: a different body is a conflict.
                mirror.Confirm(confirmed);
                return (update.IsNotModified ? FetchResult.NotModified : FetchResult.Unchanged, $"version {serving} is current", null);
            }

            if (update.ReplacedUnvetted is { } replaced)
            {
                ServerLog.Replaced(logger, mirror.Site.Key, replaced.Message);
            }

            mirror.Serve(update.Current, StoredAt(mirror.Site.Source, update.Current.Version));
            mirror.Confirm(confirmed);
            return (FetchResult.Updated, $"version {update.Current.Version}", null);
        }
        catch (SnapshotRefusedException ex)
        {
            return (Refused(ex), ex.Message, ex);
        }
        catch (OfflineInputRefusedException ex)
        {
            return (Refused(ex.Refusal), ex.Message, ex);
        }
        catch (IpRangesFormatException ex)
        {
            return (FetchResult.Invalid, ex.Message, ex);
        }
        catch (OfflineInputException ex)
        {
            return (ex.Invalid ? FetchResult.Invalid : FetchResult.Failed, ex.Message, ex);
        }
        catch (IpRangesFetchException ex)
        {
            // A refused redirect names the setting that allows it as the mirror's configuration spells it.
            return (FetchResult.Failed, ex.FormatMessage(setting => setting == AllowInsecureHttp ? nameof(ServeOptions.AllowHttp) : setting), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return (FetchResult.StoreError, ex.Message, ex);
        }
    }
}
