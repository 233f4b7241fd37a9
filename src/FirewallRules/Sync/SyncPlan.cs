namespace FirewallRules.Sync;

/// <summary>What a run decided before touching the firewall.</summary>
/// <param name="Report">The outcome it will have, the rules and the changes.</param>
/// <param name="Retained">What retention decided, including the last-seen times to record.</param>
/// <param name="Loaded">The rules the kernel holds exactly, when it holds what this host last applied from the same document version (the rules' comments name
/// it); null otherwise.</param>
/// <param name="Fingerprint">The settings the rules were planned under (<see cref="SyncSettings.Fingerprint"/>, with any listener protection adopted from the table).</param>
internal sealed record SyncPlan(SyncReport Report, RetainedPrefixes Retained, RuleSet? Loaded, string Fingerprint)
{
    /// <summary>The kernel's listing of the objects the new rules load, before the apply, when the plan read that one; null when it read another.</summary>
    public string? Before { get; init; }
}
