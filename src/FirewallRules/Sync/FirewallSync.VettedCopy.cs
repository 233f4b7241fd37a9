using FirewallRules.Advice;
using FirewallRules.Fetching;
using FirewallRules.Ranges;

namespace FirewallRules.Sync;

/// <summary>The cached copy a run falls back on: only one the snapshot store proves it vetted, and the one line when there is none.</summary>
internal sealed partial class FirewallSync
{
    /// <summary>Why nothing can be loaded: the failure itself when the cache holds no copy, else that and why its newest file was passed over.</summary>
    private Exception NothingToLoad(Exception? failure, SnapshotUnvettedException? passedOver, string? statePath)
    {
        if (passedOver is not null)
        {
            string why = failure is not null ? $"{SyncAdvice.Literal(Cause(failure))}, and " : statePath is null ? "the sync state cannot be used, and " : "{0}: ";
            string then = failure is null && statePath is not null ? "; run once without {0} (or 'fwrules fetch') to fetch it again" : string.Empty;
            return new NoUsableCachedCopyException(new SettingAdvice(
                $"{why}{SyncAdvice.Literal(passedOver.Message)}, and the cache holds no earlier vetted copy: nothing was loaded, the firewall was left as it was{then}",
                SyncAdvice.Offline), failure);
        }

        return failure is not null ? Rethrow(failure)
            : statePath is null ? new FirewallSyncException("the sync state cannot be used and the cache holds no document to load instead")
            : new NoUsableCachedCopyException(new SettingAdvice(
                $"{{0}}: the cache {SyncAdvice.Literal(store.DirectoryPath)} holds no document for {SyncAdvice.Literal(settings.Site.IpRangesUri.ToString())}: " +
                    "run once without {0} (or 'fwrules fetch'); the firewall was left as it was", SyncAdvice.Offline), null);
    }

    /// <summary>
    /// The store's newest copy it can prove it vetted and why newer files were passed over, or nothing when it cannot be read
    /// (the first failure is then the one to report).
    /// </summary>
    private async Task<(IpRangesDocument? Document, SnapshotUnvettedException? PassedOver)> CachedOrNullAsync(Exception? failure, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetNewestVettedAsync(settings.Site, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (failure is not null && ex is IOException or UnauthorizedAccessException or IpRangesFormatException)
        {
            return (null, null);
        }
    }
}
