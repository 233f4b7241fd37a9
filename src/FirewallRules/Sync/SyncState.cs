namespace FirewallRules.Sync;

/// <summary>
/// <c>state.json</c> in the sync state directory: when each prefix of each section was last published, and what this
/// host last applied.
/// </summary>
internal sealed class SyncState
{
    /// <summary>The site or mirror the state belongs to (<see cref="Site.IpRangesUri"/>).</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Per section, each aggregated prefix the site published and when it was last seen published.</summary>
    public Dictionary<string, Dictionary<string, DateTimeOffset>> Published { get; set; } = [];

    /// <summary>
    /// When the upstream last gave this host a document or confirmed the cached one unchanged; null before the first
    /// fetch. The age of the cached copy a sync falls back on is measured from here.
    /// </summary>
    public DateTimeOffset? Confirmed { get; set; }

    /// <summary>What the last successful apply put in the kernel; null before the first.</summary>
    public AppliedRules? Applied { get; set; }
}
