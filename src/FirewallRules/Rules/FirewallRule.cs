using FirewallRules.Advice;
using FirewallRules.Cidr;
using FirewallRules.Names;

namespace FirewallRules.Rules;

/// <summary>
/// One rule of a rule set: traffic in one direction, to one destination port or range, from or to a
/// set of aggregated prefixes (the remote side: destinations for egress, sources for ingress).
/// </summary>
/// <remarks>Immutable and thread-safe. Emitters split a rule into as many platform rules as its limits require.</remarks>
public sealed class FirewallRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="direction">Which way the traffic flows.</param>
    /// <param name="action">What to do with it.</param>
    /// <param name="port">The destination port or range.</param>
    /// <param name="prefixes">The remote prefixes; must not be empty.</param>
    /// <param name="sources">What the prefixes came from (section names), for names and comments; 1 to 64 letters, digits and <c>-_.:</c> each.</param>
    /// <param name="closesPort">
    /// Whether the prefixes are the only ones that may use the port, so emitters drop other traffic to it
    /// (local listeners reachable from loopback only). False for Datadog's ranges: other traffic on 443 is
    /// left to your policy. Only an allow rule can close its port.
    /// </param>
    /// <exception cref="RuleGenerationException">
    /// <paramref name="prefixes"/> is empty (an allow-list of nothing) or holds a whole address space
    /// (<c>0.0.0.0/0</c>, <c>::/0</c>: a rule for everything), or a source name holds other characters, or a
    /// deny rule would close its port.
    /// </exception>
    public FirewallRule(Direction direction, RuleAction action, PortRange port, PrefixSet prefixes, IReadOnlyList<string> sources, bool closesPort = false)
        : this(direction, action, port, prefixes, sources?.ToArray()!, closesPort, null, null)
    {
    }

    private FirewallRule(
        Direction direction, RuleAction action, PortRange port, PrefixSet prefixes, string[] sources, bool closesPort, SummaryCost? cost,
        PrefixSet[]? sourcePrefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(sources);
        if (prefixes.IsEmpty)
        {
            throw new RuleGenerationException(
                $"the {direction.ToString().ToLowerInvariant()} rule for {port} from {string.Join(", ", sources)} has no prefixes: refusing to build an allow-list of nothing");
        }

        // Collapsed, a whole address space is that family's only block.
        if (prefixes.IPv4Blocks is [{ Length: 0 }] || prefixes.IPv6Blocks is [{ Length: 0 }])
        {
            throw new RuleGenerationException(
                $"the {direction.ToString().ToLowerInvariant()} rule for {port} from {string.Join(", ", sources)} covers every address " +
                $"({(prefixes.IPv4Blocks is [{ Length: 0 }] ? "0.0.0.0/0" : "::/0")}): refusing a rule for everything");
        }

        // "Only these may use the port" names who is allowed: a deny rule has no one to let through.
        if (closesPort && action != RuleAction.Allow)
        {
            throw new RuleGenerationException(
                $"the {direction.ToString().ToLowerInvariant()} rule for {port} from {string.Join(", ", sources)} denies its prefixes, " +
                "so it cannot close its port to everyone else: only an allow rule can");
        }

        foreach (string source in sources)
        {
            if (!NameRules.IsKey(source))
            {
                throw new RuleGenerationException($"'{source}' cannot name a rule's source: use {NameRules.KeyRule}");
            }
        }

        Direction = direction;
        Action = action;
        Port = port;
        Prefixes = prefixes;
        Sources = sources;
        ClosesPort = closesPort;
        Cost = cost;
        SourcePrefixes = sourcePrefixes;
    }

    /// <summary>Which way the traffic flows.</summary>
    public Direction Direction { get; }

    /// <summary>What the rule does.</summary>
    public RuleAction Action { get; }

    /// <summary>The destination port or range and its protocol.</summary>
    public PortRange Port { get; }

    /// <summary>The remote prefixes, aggregated.</summary>
    public PrefixSet Prefixes { get; }

    /// <summary>What the prefixes came from (section names), sorted.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>
    /// Whether other traffic to <see cref="Port"/> in <see cref="Direction"/> must be dropped: only <see cref="Prefixes"/>
    /// (and those of any other allow rule reaching the port in that direction) may use it. Always false for a deny rule.
    /// </summary>
    public bool ClosesPort { get; }

    /// <summary>
    /// Each source's own prefixes, in the order of <see cref="Sources"/>, when the rule was built from a document's
    /// sections and not summarised; null otherwise. What names networks per section (the definitions formats) reads.
    /// </summary>
    internal IReadOnlyList<PrefixSet>? SourcePrefixes { get; }

    /// <summary>IPv4 addresses allowed beyond the sources' own because a prefix budget summarised the list (0 when exact).</summary>
    public UInt128 ExtraIPv4Addresses => Cost?.IPv4 ?? UInt128.Zero;

    /// <summary>IPv6 addresses allowed beyond the sources' own because a prefix budget summarised the list (0 when exact).</summary>
    public UInt128 ExtraIPv6Addresses => Cost?.IPv6 ?? UInt128.Zero;

    /// <summary>What a prefix budget added to the rule; null when it is exact.</summary>
    internal SummaryCost? Cost { get; }

    /// <summary>A stable name built from validated parts only, e.g. <c>egress-tcp-443</c> or <c>ingress-udp-8000-8100</c>.</summary>
    public string Name => NameOf(Direction, Port);

    /// <summary>A one-line description built from validated parts only, e.g. <c>allow egress to 443/tcp for agents, logs</c>.</summary>
    public string Description =>
        $"{(Action == RuleAction.Allow ? "allow" : "deny")} {(Direction == Direction.Egress ? "egress to" : "ingress on")} {Port} for {string.Join(", ", Sources)}";

    /// <summary>The <see cref="Name"/> of a rule for <paramref name="direction"/> and <paramref name="port"/>, for what an output adds around it (a closed port's deny).</summary>
    internal static string NameOf(Direction direction, PortRange port) =>
        $"{direction.Keyword()}-{port.Protocol.Keyword()}-{port.Text()}";

    /// <summary>A rule for sections of a document, in the order given, each with its own prefixes.</summary>
    /// <remarks>Loops over arrays rather than LINQ over tuples: framework generics over value types are compiled at start-up.</remarks>
    /// <exception cref="RuleGenerationException">As the public constructor.</exception>
    internal static FirewallRule ForSections(Direction direction, RuleAction action, PortRange port, IReadOnlyList<Ranges.IpRangesSection> sections)
    {
        var names = new string[sections.Count];
        var prefixes = new PrefixSet[sections.Count];
        PrefixSet all = PrefixSet.Empty;
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = sections[i].Name;
            prefixes[i] = sections[i].Prefixes;
            all = all.Union(prefixes[i]);
        }

        return new(direction, action, port, all, names, closesPort: false, null, prefixes);
    }

    /// <summary>The same rule restricted to <paramref name="families"/>, or null when nothing of it is left.</summary>
    internal FirewallRule? Restrict(AddressFamilies families)
    {
        PrefixSet kept = Narrow(Prefixes, families);
        return kept.IsEmpty ? null : new FirewallRule(Direction, Action, Port, kept, [.. Sources], ClosesPort,
            SummaryCost.Restrict(Cost, families), SourcePrefixes?.Select(p => Narrow(p, families)).ToArray());
    }

    /// <summary>
    /// The same rule with each family summarised, optimally, to at most <paramref name="budget"/> prefixes,
    /// adding addresses only within /8s (IPv4) or /16s (IPv6) that already hold listed addresses: the
    /// floor the document parser applies to vendor ranges.
    /// </summary>
    /// <exception cref="RuleGenerationException">The budget cannot be met without a wider prefix.</exception>
    internal FirewallRule Summarize(int budget)
    {
        PrefixSummary summary;
        try
        {
            summary = Prefixes.Summarize(budget, budget, Ranges.PublicAddressPolicy.MinimumIPv4Length, Ranges.PublicAddressPolicy.MinimumIPv6Length);
        }
        catch (ArgumentOutOfRangeException)
        {
            // The budget cannot cover one family: the IPv4 part alone says which.
            (string family, int minimumLength) = Covers(Prefixes.IPv4, budget)
                ? ("IPv6", Ranges.PublicAddressPolicy.MinimumIPv6Length)
                : ("IPv4", Ranges.PublicAddressPolicy.MinimumIPv4Length);
            throw new RuleGenerationException(
                $"the {Name} rule for {string.Join(", ", Sources)}: {budget} {family} prefixes cannot cover its addresses without prefixes shorter than /{minimumLength}",
                new SettingAdvice("raise the prefix budget ({0})", SettingNames.Parameter<RuleSet>(nameof(RuleSet.WithPrefixBudget), "maxPrefixesPerFamily")));
        }

        // A summary belongs to the rule, not to any one source: the sources' own prefixes are no longer known.
        return new FirewallRule(Direction, Action, Port, summary.Prefixes, [.. Sources], ClosesPort, SummaryCost.Add(Cost, summary), null);
    }

    // Whether budget prefixes per family cover prefixes without going below the public address floor.
    private static bool Covers(PrefixSet prefixes, int budget)
    {
        try
        {
            _ = prefixes.Summarize(budget, budget, Ranges.PublicAddressPolicy.MinimumIPv4Length, Ranges.PublicAddressPolicy.MinimumIPv6Length);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static PrefixSet Narrow(PrefixSet prefixes, AddressFamilies families) => families switch
    {
        AddressFamilies.IPv4 => prefixes.IPv4,
        AddressFamilies.IPv6 => prefixes.IPv6,
        _ => prefixes,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Prefixes.Count} prefixes ({string.Join(", ", Sources)})";
}
