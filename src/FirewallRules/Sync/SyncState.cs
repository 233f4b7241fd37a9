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

    /// <summary>
    /// The latest time an upstream's Date header vouched for (the run's time, within the clock tolerance); null when no upstream
    /// ever sent one. Unlike <see cref="Confirmed"/>, never the host's clock alone: a run without a Date bounds the last-seen
    /// times it reads by this and the document's <c>modified</c>, so one run with the clock ahead keeps nothing for years.
    /// </summary>
    public DateTimeOffset? Vouched
    {
        get;
        set
        {
            field = value;
            VouchedRead = true;
        }
    }

    /// <summary>
    /// The clock's time at the first run without an upstream's Date that found <see cref="Vouched"/> ahead of the clock by more than the
    /// tolerance (a real-time clock reset at boot, or a time no one can vouch for: a hostile Date, a hand-edited state); null otherwise. Such
    /// runs count as now that time plus how long the clock has run since, so the keep period and <c>--max-stale</c> still run out.
    /// </summary>
    public DateTimeOffset? AheadSince { get; set; }

    /// <summary>Whether an upstream's Date vouched for <see cref="Confirmed"/> (a run without one records the clock alone).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ConfirmedVouched => Confirmed == Vouched;

    /// <summary>Whether <see cref="Vouched"/> was set, here or by the file (as null too); false for a file written before it existed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool VouchedRead { get; private set; }

    /// <summary>
    /// AWS sync only: the ids of the prefix lists the last run left as the name's; null for a host's state, or one written before.
    /// A list named here that no longer reads as the name's (its tags removed) is refused, never forked.
    /// </summary>
    public List<string>? Lists { get; set; }

    /// <summary>
    /// AWS sync of security groups only: the ids of the groups the last run kept; null before. A sync without <c>--group-id</c> keeps
    /// them, beside the groups that reference the name's lists or carry a whole seal of its rules; a description alone brings no group in.
    /// </summary>
    public List<string>? Groups { get; set; }

    /// <summary>What the last successful apply put in the kernel; null before the first.</summary>
    public AppliedRules? Applied { get; set; }
}
