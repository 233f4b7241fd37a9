using System.Net;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>The elements one set (one rule, one family) gains and loses, compared as written: aggregated prefixes.</summary>
/// <param name="Label">The rule and family, e.g. <c>egress 443/tcp IPv4</c>.</param>
/// <param name="Added">Prefixes the set gains.</param>
/// <param name="Removed">Prefixes the set loses.</param>
internal sealed record ElementChange(string Label, IReadOnlyList<IPNetwork> Added, IReadOnlyList<IPNetwork> Removed)
{
    /// <summary>
    /// Every set of <paramref name="families"/> that changes from <paramref name="previous"/> (null: nothing loaded yet)
    /// to <paramref name="current"/>, in rule order; the other family is not loaded, so it has no changes to report.
    /// </summary>
    public static IReadOnlyList<ElementChange> Between(RuleSet? previous, RuleSet current, AddressFamilies families) =>
        Between(rule => previous?.Rules.FirstOrDefault(r => Same(r, rule))?.Prefixes ?? PrefixSet.Empty, current, families);

    /// <summary>
    /// Every set of <paramref name="families"/> that changes from what the kernel holds (<paramref name="held"/>, read back)
    /// to <paramref name="current"/>: the counts a run reports when the kernel no longer held what the state recorded.
    /// </summary>
    public static IReadOnlyList<ElementChange> Between(IReadOnlyList<HeldSet> held, RuleSet current, AddressFamilies families) =>
        Between(rule => held.Where(set => Same(set.Rule, rule)).Aggregate(PrefixSet.Empty, (all, set) => all.Union(set.Prefixes)), current, families);

    private static bool Same(FirewallRule one, FirewallRule other) => one.Direction == other.Direction && one.Port == other.Port && one.Action == other.Action;

    private static List<ElementChange> Between(Func<FirewallRule, PrefixSet> before, RuleSet current, AddressFamilies families)
    {
        var changes = new List<ElementChange>();
        foreach (FirewallRule rule in current.Rules)
        {
            PrefixSet previous = before(rule);
            foreach (AddressFamilies family in NetfilterText.SingleFamilies.Where(family => (families & family) != 0))
            {
                PrefixSet now = NetfilterText.OfFamily(rule.Prefixes, family), then = NetfilterText.OfFamily(previous, family);
                HashSet<IPNetwork> old = [.. then], @new = [.. now];
                IPNetwork[] added = [.. now.Where(p => !old.Contains(p))], removed = [.. then.Where(p => !@new.Contains(p))];
                if (added.Length + removed.Length > 0)
                {
                    changes.Add(new ElementChange($"{rule.Direction.Keyword()} {rule.Port} {family.Label()}", added, removed));
                }
            }
        }

        return changes;
    }
}
