using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>The rules a sync loads: each section's documented direction and ports, with the prefixes retention decided.</summary>
internal static class SyncRules
{
    /// <summary>
    /// The section keys selected in <paramref name="document"/>: those asked for, as the document spells them, else every section of
    /// <paramref name="direction"/> (egress: what the host connects to).
    /// </summary>
    /// <exception cref="RuleGenerationException">A section is not in the document.</exception>
    public static IReadOnlyList<string> SelectSections(IpRangesDocument document, IReadOnlyList<string> sections, Direction direction = Direction.Egress) =>
        sections.Count == 0
            ? RuleSet.All(document, direction).Provenance.Sections
            : RuleSet.For(document, sections).Provenance.Sections;

    /// <summary>The rules with the listener protection's rules after them, when there is one (one table, one owner).</summary>
    public static RuleSet WithListeners(RuleSet rules, RuleSet? listeners) =>
        listeners is null ? rules : RuleSet.Create([.. rules.Rules, .. listeners.Rules], rules.Provenance);

    /// <summary>
    /// The rules for <paramref name="sections"/> of <paramref name="document"/>, each rule allowing the union of its
    /// sections' <paramref name="prefixes"/> instead of what the document lists.
    /// </summary>
    /// <exception cref="RuleGenerationException">A section is not in the document, or a rule would be left with no prefix.</exception>
    /// <param name="document">The ip-ranges document.</param>
    /// <param name="sections">The sections, as the document spells them.</param>
    /// <param name="prefixes">Each section's prefixes, after retention.</param>
    /// <param name="ports">The egress ports each section is allowed on instead of its documented ones (<see cref="SyncSettings.SectionPorts"/>).</param>
    public static RuleSet Build(IpRangesDocument document, IReadOnlyList<string> sections, IReadOnlyDictionary<string, PrefixSet> prefixes,
        IReadOnlyDictionary<string, IReadOnlyList<PortRange>>? ports = null)
    {
        RuleSet documented = RuleSet.For(document, sections);
        IEnumerable<(Direction Direction, RuleAction Action, PortRange Port, IReadOnlyList<string> Sources)> shapes = ports is null
            ? documented.Rules.Select(rule => (rule.Direction, rule.Action, rule.Port, rule.Sources))
            : sections.SelectMany(section => ports.FirstOrDefault(p => string.Equals(p.Key, section, StringComparison.OrdinalIgnoreCase)).Value is { } chosen
                    ? chosen.Select(port => (Direction.Egress, RuleAction.Allow, port, section))
                    : documented.Rules.Where(rule => rule.Sources.Contains(section)).Select(rule => (rule.Direction, rule.Action, rule.Port, section)))
                .GroupBy(shape => (shape.Item1, shape.Item2, shape.Item3))
                .OrderBy(group => group.Key.Item1).ThenBy(group => group.Key.Item3)
                .Select(group => (group.Key.Item1, group.Key.Item2, group.Key.Item3, (IReadOnlyList<string>)[.. group.Select(shape => shape.Item4).Distinct()]));
        FirewallRule[] rules = [.. shapes.Select(shape => new FirewallRule(
            shape.Direction,
            shape.Action,
            shape.Port,
            shape.Sources.Aggregate(PrefixSet.Empty, (all, section) => all.Union(prefixes.GetValueOrDefault(section) ?? PrefixSet.Empty)),
            shape.Sources))];
        return RuleSet.Create(rules, documented.Provenance);
    }
}
