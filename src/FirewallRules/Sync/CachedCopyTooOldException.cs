using FirewallRules.Fetching;

namespace FirewallRules.Sync;

/// <summary>
/// The fetch failed (or no request was allowed) and the cache's newest document is older than the bound a sync accepts:
/// nothing was loaded, the firewall was left as it was.
/// </summary>
internal sealed class CachedCopyTooOldException(string message, IpRangesFetchException? fetchFailure) : Exception(message, fetchFailure)
{
    /// <summary>Whether a fetch failed first (else the run was offline).</summary>
    public bool FetchFailed => InnerException is not null;
}
