using FirewallRules.Advice;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules;

/// <summary>
/// Firewall rules for Datadog's ranges: which sections, their aggregated prefixes, the ports, the
/// direction, the action, and where it all came from. Emitters render it for a platform:
/// <c>RuleSet.For(Section.Logs).ToIptables()</c>.
/// </summary>
/// <remarks>
/// <para>Sections that share a direction, action and port share a rule, whose prefixes are the union of
/// theirs, aggregated: a prefix listed by several sections appears once per family.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class RuleSet
{
    private RuleSet(
        IReadOnlyList<FirewallRule> rules, RuleSetProvenance provenance, IReadOnlyList<(Direction Direction, PortRange Port)>? closedPorts = null,
        IReadOnlyList<NamedDestination>? named = null)
    {
        // Every way of building a set ends here: a set with no rule would render as "remove all rules". Only hosts to allow
        // by name stand in for rules, and only name-aware outputs render them (the render step refuses the others).
        if (rules.Count == 0 && named is not { Count: > 0 })
        {
            throw new RuleGenerationException("a rule set needs at least one rule");
        }

        Rules = rules;
        Provenance = provenance;
        ClosedPorts = closedPorts ?? rules.Where(r => r.ClosesPort).Select(r => (r.Direction, r.Port)).Distinct().ToArray();
        Named = named;
    }

    private PrefixSet? _prefixes;

    /// <summary>The rules, ordered by direction, then protocol and port.</summary>
    public IReadOnlyList<FirewallRule> Rules { get; }

    /// <summary>Where the rules came from; emitters write it into their output.</summary>
    public RuleSetProvenance Provenance { get; }

    /// <summary>
    /// The ports closing rules (<see cref="FirewallRule.ClosesPort"/>) close, by direction, in rule order. Kept when
    /// <see cref="ForFamilies"/> drops a closing rule that has no prefix of a family: the port stays closed to that
    /// family, which no prefix of the rule may use.
    /// </summary>
    internal IReadOnlyList<(Direction Direction, PortRange Port)> ClosedPorts { get; }

    /// <summary>
    /// The hosts name-aware outputs allow, when the rules come from an agent's plan (every host it reaches, published in a
    /// section or by name only); null when they are derived from the rules' sections and site (Datadog's documented names).
    /// </summary>
    internal IReadOnlyList<NamedDestination>? Named { get; }

    /// <summary>The directions that have a rule or a closed port, egress first: the chains or groups an output needs.</summary>
    internal IReadOnlyList<Direction> Directions =>
        Rules.Select(r => r.Direction).Concat(ClosedPorts.Select(c => c.Direction)).Distinct().Order().ToArray();

    /// <summary>Every remote prefix of every rule, aggregated.</summary>
    /// <remarks>
    /// Worked out on the first read and kept: a union over every rule costs as much as the rules hold. Two threads
    /// reading it first at once may each work it out; they get equal sets, and the set is immutable.
    /// </remarks>
    public PrefixSet Prefixes => _prefixes ??= Rules.Aggregate(PrefixSet.Empty, (all, rule) => all.Union(rule.Prefixes));

    /// <summary>IPv4 addresses allowed beyond the sections' own by prefix budgets, over all rules.</summary>
    public UInt128 ExtraIPv4Addresses => Rules.Aggregate(UInt128.Zero, (sum, rule) => sum + rule.ExtraIPv4Addresses);

    /// <summary>IPv6 addresses allowed beyond the sections' own by prefix budgets, over all rules.</summary>
    public UInt128 ExtraIPv6Addresses => Rules.Aggregate(UInt128.Zero, (sum, rule) => sum + rule.ExtraIPv6Addresses);

    /// <summary>
    /// Where the rules came from (see <see cref="RuleSetProvenance.Describe"/>) and, when a prefix budget
    /// summarised them, how many addresses that allows beyond the listed ranges: the sentences every
    /// emitter puts at the top of its output.
    /// </summary>
    public IReadOnlyList<string> Describe()
    {
        IReadOnlyList<string> provenance = HoldsNoRanges ? [.. Provenance.Describe(), NoRanges] : Provenance.Describe();
        return IsExact ? provenance : [.. provenance, DescribeCost()];
    }

    /// <summary>
    /// Whether these are an agent's plan's rules built with no ip-ranges document (<see cref="Named"/>, no version): what is not
    /// Datadog's ranges (its proxy, listeners, networks given), its Datadog hosts allowed by name or reached through the proxy.
    /// </summary>
    internal bool HoldsNoRanges => Named is not null && Provenance.Version is null && Rules.Count > 0;

    private string NoRanges =>
        $"No Datadog IP ranges: the Agent reaches Datadog{(Provenance.Site is Site site ? $" ({site})" : string.Empty)} by host name or through its proxy, " +
        "so no ip-ranges document was read.";

    /// <summary>Whether no prefix budget added an address (asked without <see cref="UInt128"/>: see <see cref="SummaryCost"/>).</summary>
    internal bool IsExact => Rules.All(rule => rule.Cost is null);

    private string DescribeCost() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"A prefix budget summarised the lists: they allow {ExtraIPv4Addresses} IPv4 and {ExtraIPv6Addresses} IPv6 addresses beyond the listed ranges.");

    /// <summary>Rules for <paramref name="sections"/> of the snapshot embedded in the package (offline; see <see cref="IpRangesDocument.Embedded"/>).</summary>
    /// <exception cref="RuleGenerationException">A section is not in the snapshot or lists no prefixes.</exception>
    public static RuleSet For(params Section[] sections) => For(IpRangesDocument.Embedded, sections);

    /// <summary>Rules for <paramref name="sections"/> of <paramref name="document"/>, with each section's documented direction and ports.</summary>
    /// <exception cref="RuleGenerationException">No section was given, or a section is not in the document or lists no prefixes.</exception>
    public static RuleSet For(IpRangesDocument document, params Section[] sections) =>
        For(document, sections.Select(Sections.GetName), RuleSetOptions.Default);

    /// <summary>Rules for sections named as in the document (known or not), with overrides.</summary>
    /// <param name="document">The ip-ranges document.</param>
    /// <param name="sections">Section keys such as <c>logs</c> or a section added after this library; unknown ones default to egress 443/tcp.</param>
    /// <param name="options">Overrides for direction, ports and action; <see cref="RuleSetOptions.Default"/> when null.</param>
    /// <exception cref="RuleGenerationException">No section was given, or a section is not in the document or lists no prefixes.</exception>
    public static RuleSet For(IpRangesDocument document, IEnumerable<string> sections, RuleSetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sections);
        options ??= RuleSetOptions.Default;
        if (options.Ports is { Count: 0 })
        {
            throw new RuleGenerationException("no port was given: name at least one, or leave the ports to each section's documented defaults");
        }

        IpRangesSection[] selected = sections.Select(name => Find(document, name)).DistinctBy(s => s.Name).ToArray();
        if (selected.Length == 0)
        {
            throw new RuleGenerationException("no section was selected", new SettingAdvice("name at least one with {0}", SettingNames.Parameter<RuleSet>(nameof(For), "sections")));
        }

        // Each (direction, port) pair becomes one rule holding every section that uses it, its sections by name. Lists of
        // classes rather than a sorted dictionary keyed by tuples: the framework's generics over value types are compiled
        // at start-up, and there are a handful of groups.
        if (selected.FirstOrDefault(s => s.IsEmpty) is IpRangesSection empty)
        {
            throw new RuleGenerationException($"section '{empty.Name}' of {document} lists no prefixes: refusing to build an allow-list of nothing");
        }

        IpRangesSection[] byName = [.. selected.OrderBy(s => s.Name, StringComparer.Ordinal)];
        var groups = new List<SectionGroup>();
        foreach (IpRangesSection section in byName)
        {
            Direction direction = options.Direction ?? SectionTraffic.GetDirection(section.Name) ?? Direction.Egress;
            foreach (PortRange port in options.Ports ?? SectionTraffic.GetPorts(section.Name))
            {
                SectionGroup? group = groups.Find(g => g.Direction == direction && g.Port == port);
                if (group is null)
                {
                    groups.Add(group = new SectionGroup(direction, port));
                }

                group.Sections.Add(section);
            }
        }

        groups.Sort(SectionGroup.CompareRuleOrder);
        var rules = new FirewallRule[groups.Count];
        for (int i = 0; i < rules.Length; i++)
        {
            rules[i] = FirewallRule.ForSections(groups[i].Direction, options.Action, groups[i].Port, groups[i].Sections);
        }

        return new RuleSet(rules, RuleSetProvenance.From(document, [.. byName.Select(s => s.Name)]));
    }

    /// <summary>
    /// Rules for every known section of <paramref name="document"/> whose documented direction is
    /// <paramref name="direction"/> (sections this library does not know are only included by name).
    /// </summary>
    /// <param name="document">The document; the embedded snapshot when null.</param>
    /// <param name="direction">Egress (what your hosts connect to) or ingress (what connects to you).</param>
    /// <exception cref="RuleGenerationException">A selected section lists no prefixes.</exception>
    public static RuleSet All(IpRangesDocument? document = null, Direction direction = Direction.Egress)
    {
        document ??= IpRangesDocument.Embedded;
        string[] names = document.SectionList
            .Where(s => s.KnownSection is Section known && SectionTraffic.GetDirection(known) == direction)
            .Select(s => s.Name)
            .ToArray();
        return For(document, names, new RuleSetOptions { Direction = direction });
    }

    /// <summary>A rule set from rules built by hand (local listeners, PrivateLink endpoints, your own ranges).</summary>
    /// <exception cref="RuleGenerationException">There is no rule.</exception>
    public static RuleSet Create(IEnumerable<FirewallRule> rules, RuleSetProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(provenance);
        return new RuleSet(rules.OrderBy(r => r.Direction).ThenBy(r => r.Port).ToArray(), provenance);
    }

    /// <summary>The hosts an agent's plan reaches, for name-aware outputs, with <paramref name="rules"/> (none: those hosts alone).</summary>
    /// <exception cref="RuleGenerationException">There is neither a rule nor a host.</exception>
    internal static RuleSet WithNamed(IEnumerable<FirewallRule> rules, RuleSetProvenance provenance, IReadOnlyList<NamedDestination> named) =>
        new([.. rules.OrderBy(r => r.Direction).ThenBy(r => r.Port)], provenance, named: named.Count == 0 ? null : named);

    /// <summary>The rules restricted to <paramref name="families"/>; rules left with no prefix are dropped.</summary>
    /// <exception cref="RuleGenerationException">Nothing is left: the sections have no prefix of those families.</exception>
    public RuleSet ForFamilies(AddressFamilies families)
    {
        if (families == AddressFamilies.Both)
        {
            return this;
        }

        // Hosts by name have no family: they stay, with no rule left if need be (the render step refuses that to address formats).
        FirewallRule[] kept = Rules.Select(r => r.Restrict(families)).OfType<FirewallRule>().ToArray();
        return kept.Length > 0 || Named is not null
            ? new RuleSet(kept, Provenance, ClosedPorts, Named)
            : throw new RuleGenerationException(
                $"{string.Join(", ", Provenance.Sections)} list no {families.Label()} prefixes: refusing to build an allow-list of nothing");
    }

    /// <summary>
    /// The rules with each rule's prefixes summarised, optimally, to at most <paramref name="maxPrefixesPerFamily"/>
    /// per address family, for platforms with rule quotas. Rules that fit are unchanged; see
    /// <see cref="ExtraIPv4Addresses"/> and <see cref="ExtraIPv6Addresses"/> for what the budget cost.
    /// </summary>
    /// <remarks>A summary only adds addresses within /8s (IPv4) or /16s (IPv6) that already hold listed addresses.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The budget is below 1.</exception>
    /// <exception cref="RuleGenerationException">A rule cannot meet the budget without a wider prefix.</exception>
    public RuleSet WithPrefixBudget(int maxPrefixesPerFamily)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPrefixesPerFamily, 1);
        return new RuleSet(Rules.Select(r => r.Summarize(maxPrefixesPerFamily)).ToArray(), Provenance, ClosedPorts, Named);
    }

    private static IpRangesSection Find(IpRangesDocument document, string name)
    {
        try
        {
            return document[name];
        }
        catch (KeyNotFoundException ex)
        {
            throw new RuleGenerationException(ex.Message, ex);
        }
    }

    /// <summary>The sections that share a direction and port, and so a rule.</summary>
    private sealed class SectionGroup(Direction direction, PortRange port)
    {
        public Direction Direction { get; } = direction;

        public PortRange Port { get; } = port;

        public List<IpRangesSection> Sections { get; } = [];

        /// <summary>Rule order: by direction, then protocol and port.</summary>
        public static int CompareRuleOrder(SectionGroup left, SectionGroup right) =>
            left.Direction != right.Direction ? left.Direction.CompareTo(right.Direction) : left.Port.CompareTo(right.Port);
    }
}
