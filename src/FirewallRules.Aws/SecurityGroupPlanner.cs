using System.Globalization;
using FirewallRules.Emitters.Aws;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>A rule the sync wants in every group, its description and its weight against the quota.</summary>
/// <param name="Rule">The rule's key.</param>
/// <param name="Description">The description it is authorized with: the owner marker first.</param>
/// <param name="Weight">What it counts against the quota: 1, or a referenced list's <c>MaxEntries</c>.</param>
/// <param name="Families">The families it counts in: a reference to a list counts in both.</param>
internal sealed record WantedRule(AwsSecurityGroupRule Rule, string Description, int Weight, AddressFamilies Families);

/// <summary>
/// One group's changes, in the order they are made so that traffic still wanted is never cut: the new rules that fit
/// next to what the group holds first, then the owned rules no longer wanted are revoked, then the new rules that did
/// not fit before (only when the group is near its quota).
/// </summary>
internal sealed record GroupPlan(GroupState Group, IReadOnlyList<WantedRule> AddFirst, IReadOnlyList<ExistingRule> Revoke, IReadOnlyList<WantedRule> AddAfter)
{
    public int Owned => Group.Rules.Count(r => r.Owned) - Revoke.Count + AddFirst.Count + AddAfter.Count;

    public AwsSecurityGroupChange ToChange() => new(
        Group.GroupId, Group.VpcId, [.. AddFirst.Concat(AddAfter).Select(w => w.Rule)], [.. Revoke.Select(r => r.Rule)], Owned,
        Group.Rules.Count(r => !r.Owned), Group.Rules.Any(r => r.Rule.IsDefaultEgress) && KeepsEgress);

    // Whether the group holds egress rules of this sync's once the plan is carried out: only then does AWS's default
    // allow-all egress rule make them restrict nothing (a sync of inbound sections leaves the group's egress alone).
    private bool KeepsEgress =>
        Group.Rules.Any(r => r.Owned && r.Rule.Egress && !Revoke.Contains(r)) || AddFirst.Concat(AddAfter).Any(w => w.Rule.Egress);
}

/// <summary>Works out the rules a rule set needs in a group, and each group's changes within the rules-per-group quota.</summary>
internal static class SecurityGroupPlanner
{
    /// <summary>How a plan names a list this run creates, which has no id until it is created: <c>(new list NAME)</c>.</summary>
    public static string NewListTarget(string listName) => NewListPrefix + listName + ")";

    /// <summary>Whether <paramref name="target"/> names a list this run creates (<see cref="NewListTarget"/>).</summary>
    public static bool IsNewListTarget(string target) => target.StartsWith(NewListPrefix, StringComparison.Ordinal);

    private const string NewListPrefix = "(new list ";

    /// <summary>
    /// The rules wanted: one per port and CIDR, or, given <paramref name="lists"/>, one per port and list of a family the
    /// rule has prefixes in (a list holds the prefixes of every section synced, so each port allows all of them).
    /// </summary>
    public static IReadOnlyList<WantedRule> Wanted(RuleSet rules, IReadOnlyList<AwsPrefixListChange>? lists, string name)
    {
        var wanted = new Dictionary<AwsSecurityGroupRule, WantedRule>();
        foreach (FirewallRule rule in rules.Rules.Where(r => r.Action == RuleAction.Allow))
        {
            string description = AwsText.Description($"{SecurityGroupReader.Marker(name)} {string.Join(',', rule.Sources)}");
            IEnumerable<(string Target, int Weight, AddressFamilies Families)> targets = lists is null
                ? rule.Prefixes.Select(p =>
                    (p.ToString(), 1, p.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressFamilies.IPv6 : AddressFamilies.IPv4))
                : lists.Where(l => l.Action != AwsListAction.Deleted && (l.Family == AddressFamilies.IPv4 ? rule.Prefixes.IPv4 : rule.Prefixes.IPv6).Count > 0)
                    .Select(l => (l.Id ?? NewListTarget(l.Name), l.MaxEntries, AddressFamilies.IPv4 | AddressFamilies.IPv6));
            foreach ((string target, int weight, AddressFamilies families) in targets)
            {
                var key = new AwsSecurityGroupRule(rule.Direction == Direction.Egress, rule.Port.Protocol.Keyword(), rule.Port.First, rule.Port.Last, target);
                wanted.TryAdd(key, new WantedRule(key, description, weight, families));
            }
        }

        return [.. wanted.Values];
    }

    /// <summary>The changes that make <paramref name="group"/> hold <paramref name="wanted"/>, keeping every rule it does not own.</summary>
    /// <exception cref="AwsSyncException">The group would end over <paramref name="quota"/> in a direction and family.</exception>
    public static GroupPlan Plan(GroupState group, IReadOnlyList<WantedRule> wanted, int quota)
    {
        var present = group.Rules.Select(r => r.Rule).ToHashSet();
        var keys = wanted.Select(w => w.Rule).ToHashSet();
        List<WantedRule> add = [.. wanted.Where(w => !present.Contains(w.Rule))];
        List<ExistingRule> revoke = [.. group.Rules.Where(r => r.Owned && !keys.Contains(r.Rule))];
        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (WantedRule w in wanted)
        {
            weights.TryAdd(w.Rule.Target, w.Weight);
        }

        var held = new Tally();
        foreach (ExistingRule rule in group.Rules)
        {
            held.Add(Counted(rule.Rule, weights), 1);
        }

        Tally after = held.Copy();
        revoke.ForEach(r => after.Add(Counted(r.Rule, weights), -1));
        add.ForEach(w => after.Add(w, 1));
        if (after.Over(quota) is { } over)
        {
            throw new AwsSyncException(string.Create(CultureInfo.InvariantCulture,
                $"security group {group.GroupId} would hold {over.Count} {over.Label} rules (a prefix list reference counting as its MaxEntries), over the " +
                    $"rules-per-group quota of {quota}; nothing was changed"));
        }

        // What fits next to the rules held goes before any revoke; the rest after it.
        int first = 0;
        while (first < add.Count && !held.Copy().With(add[first]).Over(quota).HasValue)
        {
            held.Add(add[first++], 1);
        }

        return new GroupPlan(group, add[..first], revoke, add[first..]);
    }

    private static WantedRule Counted(AwsSecurityGroupRule rule, Dictionary<string, int> weights) =>
        rule.IsPrefixList || !rule.Target.Contains('/', StringComparison.Ordinal)
            ? new WantedRule(rule, string.Empty, weights.GetValueOrDefault(rule.Target, 1), AddressFamilies.IPv4 | AddressFamilies.IPv6)
            : new WantedRule(rule, string.Empty, 1, rule.IsIPv6 ? AddressFamilies.IPv6 : AddressFamilies.IPv4);

    /// <summary>The rules' weights per direction and family, as AWS counts them against the quota.</summary>
    private sealed class Tally
    {
        private readonly Dictionary<(bool Egress, AddressFamilies Family), int> _counts = [];

        public void Add(WantedRule rule, int sign)
        {
            foreach (AddressFamilies family in (AddressFamilies[])[AddressFamilies.IPv4, AddressFamilies.IPv6])
            {
                if ((rule.Families & family) != 0)
                {
                    _counts[(rule.Rule.Egress, family)] = _counts.GetValueOrDefault((rule.Rule.Egress, family)) + (sign * rule.Weight);
                }
            }
        }

        public Tally With(WantedRule rule)
        {
            Add(rule, 1);
            return this;
        }

        public Tally Copy()
        {
            var copy = new Tally();
            foreach (KeyValuePair<(bool Egress, AddressFamilies Family), int> count in _counts)
            {
                copy._counts[count.Key] = count.Value;
            }

            return copy;
        }

        public (int Count, string Label)? Over(int quota) =>
            _counts.Where(c => c.Value > quota).Select(c => ((int Count, string Label)?)(c.Value, $"{(c.Key.Egress ? "egress" : "ingress")} {c.Key.Family}")).FirstOrDefault();
    }
}
