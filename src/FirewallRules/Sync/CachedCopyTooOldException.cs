namespace FirewallRules.Sync;

/// <summary>
/// The newest document could not be used (the fetch failed, it was refused, or no request was allowed) and the cache's
/// newest document is older than the bound a sync accepts, or its age is unknown: nothing was loaded, the firewall was left
/// as it was.
/// </summary>
internal sealed class CachedCopyTooOldException(string message, Exception? cause) : Exception(message, cause)
{
    /// <summary>Whether the network failed first, or no request was allowed (else the document was refused or could not be stored).</summary>
    public bool FetchFailed => InnerException is null or Fetching.IpRangesFetchException;
}
