namespace FirewallRules.Sync;

/// <summary>
/// A sync that loaded the newest document of its cache instead of a fetched one: because the fetch failed, the fetched
/// document was refused or could not be stored, or because it was asked to make no request (<c>--offline</c>). Only a copy
/// the snapshot store proves it vetted is loaded: a newer file that no longer holds the bytes vetted is passed over.
/// </summary>
/// <param name="Version">The cached document's version.</param>
/// <param name="Age">
/// How long ago the upstream last confirmed it (a fetch that returned it, or answered that it had not changed); null when
/// that time is ahead of this host's clock (counted as now), or unknown and no bound applied.
/// </param>
/// <param name="FetchFailure">
/// Why the newer document could not be used, in one sentence (the fetch's failure, a newer file passed over, or both); null when
/// no request was made and the newest stored copy was loaded.
/// </param>
internal sealed record CachedCopy(long Version, TimeSpan? Age, string? FetchFailure)
{
    /// <summary>Whether the newer document was fetched and refused by the store's guards (a rollback, a shrink, a growth, a version jump or a changed version).</summary>
    public bool Refused { get; init; }

    /// <summary>
    /// Whether the confirmation is ahead of this host's clock and <see cref="Age"/> is counted from the clock's time since it was first
    /// found ahead (<see cref="SyncState.AheadSince"/>), not zero: so <c>--max-stale</c> is still reached.
    /// </summary>
    public bool Ahead { get; init; }

    /// <summary>Whether the newer document was fetched and is not a valid document.</summary>
    public bool Invalid { get; init; }
}
