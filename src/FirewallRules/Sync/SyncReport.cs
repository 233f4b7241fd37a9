namespace FirewallRules.Sync;

/// <summary>What one sync found and did.</summary>
/// <param name="Outcome">Whether the firewall was touched.</param>
/// <param name="Document">The ip-ranges document the rules come from.</param>
/// <param name="Rules">The rules the kernel holds now (or would, after a dry run).</param>
/// <param name="Target">What they are loaded into, e.g. <c>table inet datadog</c>.</param>
/// <param name="Changes">
/// The elements that changed (or would), compared with what this host last applied; when <paramref name="Drifted"/>, with what
/// the kernel held (<see cref="CountedAgainstKernel"/>) when it could be read back.
/// </param>
/// <param name="Kept">Prefixes allowed only because Datadog stopped publishing them less than the keep period ago.</param>
/// <param name="Drifted">Whether the kernel no longer held what this host last applied (a reboot, a change by hand, or a run that could not write its state).</param>
internal sealed record SyncReport(
    SyncOutcome Outcome, IpRangesDocument Document, RuleSet Rules, string Target, IReadOnlyList<ElementChange> Changes, IReadOnlyList<KeptPrefix> Kept, bool Drifted)
{
    /// <summary>
    /// The most records of a grace list a run names one by one (kept prefixes, records dropped as unvetted); the rest are
    /// counted in one line, so a record of any size prints a bounded listing.
    /// </summary>
    public const int ListedAtMost = 20;

    /// <summary>Whether <see cref="Changes"/> were counted against the elements the kernel held (read back after drift), not against the state's record.</summary>
    public bool CountedAgainstKernel { get; init; }

    /// <summary>Set when the document came from the cache instead of a fetch (the fetch failed, or the run was offline).</summary>
    public CachedCopy? FromCache { get; init; }

    /// <summary>
    /// Why the sync state could not be used (damaged, unreadable), naming the settings that resolve it: the rules were
    /// loaded without its grace list and the file was left as it was.
    /// </summary>
    public Advice.SettingAdvice? StateProblem { get; init; }

    /// <summary>
    /// Set when the run was stopped (SIGTERM, SIGINT) or one of its tools killed while it applied, and the kernel, read
    /// back, held these rules whole: they were recorded in the state as applied.
    /// </summary>
    public bool Interrupted { get; init; }

    /// <summary>With <see cref="Interrupted"/>, the killed tool's failure (e.g. <c>nft -f was killed by SIGKILL ...</c>); null when the run itself was stopped.</summary>
    public string? InterruptCause { get; init; }

    /// <summary>
    /// Why the state could not be written by a run that changed nothing (a full disk): the rules in force stay as they were, and the
    /// next run with room writes it; null when it was written.
    /// </summary>
    public string? StateNotWritten { get; init; }

    /// <summary>The sources of fwrules' listener protection found in the table and loaded again beside the allow-list (it was applied by hand); empty when none.</summary>
    public IReadOnlyList<string> AdoptedListeners { get; init; } = [];
}
