namespace FirewallRules.Sync;

/// <summary>
/// Loads rules into this host's firewall with its own tools: checked before anything is touched, then applied
/// atomically, and the previous rules left in force when the apply fails.
/// </summary>
internal interface IFirewallBackend
{
    /// <summary>What the rules are loaded into, for messages, e.g. <c>table inet datadog</c>.</summary>
    string Target { get; }

    /// <summary>
    /// Whether what the rules load into may hold fwrules' listener protection under the same name (a firewall table), which a sync
    /// must not replace unasked (<see cref="TableOwnership"/>); a file a server reads never does.
    /// </summary>
    bool MayHoldListenerProtection => true;

    /// <summary>
    /// The kernel's listing of the objects <paramref name="rules"/> load, without counters or other changing state: equal
    /// listings mean the kernel holds the same rules. Objects that do not exist are listed as absent.
    /// </summary>
    /// <exception cref="FirewallSyncException">A tool is missing or cannot read the firewall (not root?).</exception>
    Task<string> ReadKernelAsync(RuleSet rules, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="listing"/> (<see cref="ReadKernelAsync"/> of <paramref name="rules"/>) shows any object they
    /// load (a table, set or chain of this sync): rules of an earlier run are in force, which a run that cannot read its
    /// state must not narrow; none is the firewall of a fresh boot.
    /// </summary>
    bool Holds(RuleSet rules, string listing);

    /// <summary>
    /// Whether <paramref name="listing"/>, read back after an apply was stopped or one of its tools killed, shows
    /// <paramref name="rules"/> in force, whole: their elements or their version, in every object they load.
    /// </summary>
    /// <param name="rules">The rules the stopped apply was loading.</param>
    /// <param name="listing">The kernel's listing now (<see cref="ReadKernelAsync"/> of <paramref name="rules"/>).</param>
    /// <param name="before">The same listing read before the apply began.</param>
    bool InForce(RuleSet rules, string listing, string before);

    /// <summary>
    /// The elements <paramref name="listing"/> (<see cref="ReadKernelAsync"/> of <paramref name="rules"/>) shows in each set
    /// <paramref name="rules"/> load, whatever loaded them: a set (or table) not there holds none. Null when a set's
    /// elements cannot be read from the listing.
    /// </summary>
    IReadOnlyList<HeldSet>? Held(RuleSet rules, string listing);

    /// <summary>Checks <paramref name="rules"/> with the real tool, then applies them.</summary>
    /// <param name="rules">The rules to load.</param>
    /// <param name="loaded">The rules the kernel holds exactly now, when known: only the elements that differ need to change.</param>
    /// <param name="cancellationToken">Cancels before the apply starts; an apply under way finishes or is undone.</param>
    /// <exception cref="FirewallSyncException">The check refused the rules (nothing was changed), or the apply failed (undone).</exception>
    Task ApplyAsync(RuleSet rules, RuleSet? loaded, CancellationToken cancellationToken);
}
