using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>The rules a sync loads: each section's documented direction and ports, with the prefixes retention decided.</summary>
internal static class SyncRules
{
    /// <summary>The section keys selected in <paramref name="document"/>: those asked for, as the document spells them, else every egress section.</summary>
    /// <exception cref="RuleGenerationException">A section is not in the document.</exception>
    public static IReadOnlyList<string> SelectSections(IpRangesDocument document, IReadOnlyList<string> sections) =>
        sections.Count == 0
            ? RuleSet.All(document).Provenance.Sections
            : RuleSet.For(document, sections).Provenance.Sections;

    /// <summary>The rules with the listener protection's rules after them, when there is one (one table, one owner).</summary>
    public static RuleSet WithListeners(RuleSet rules, RuleSet? listeners) =>
        listeners is null ? rules : RuleSet.Create([.. rules.Rules, .. listeners.Rules], rules.Provenance);

    /// <summary>
    /// The rules for <paramref name="sections"/> of <paramref name="document"/>, each rule allowing the union of its
    /// sections' <paramref name="prefixes"/> instead of what the document lists.
    /// </summary>
    /// <exception cref="RuleGenerationException">A section is not in the document, or a rule would be left with no prefix.</exception>
    public static RuleSet Build(IpRangesDocument document, IReadOnlyList<string> sections, IReadOnlyDictionary<string, PrefixSet> prefixes)
    {
        RuleSet documented = RuleSet.For(document, sections);
        FirewallRule[] rules = [.. documented.Rules.Select(rule => new FirewallRule(
            rule.Direction,
            rule.Action,
            rule.Port,
            rule.Sources.Aggregate(PrefixSet.Empty, (all, section) => all.Union(prefixes.GetValueOrDefault(section) ?? PrefixSet.Empty)),
            rule.Sources))];
        return RuleSet.Create(rules, documented.Provenance);
    }
}
