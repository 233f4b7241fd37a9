using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>The proofs every AWS output must pass, on what was parsed back from it.</summary>
internal static class AwsAssert
{
    /// <summary>Each (direction, port) allows exactly the rule's aggregated prefixes: nothing missing, nothing extra, no rule twice.</summary>
    /// <remarks>An ingress group beside egress groups holds AWS's rule for "no outbound traffic" (<see cref="IsNoEgress"/>): not a rule of the set.</remarks>
    public static void AllowsExactly(AwsOutput output, RuleSet expected)
    {
        output = new AwsOutput([.. output.Rules.Where(r => !IsNoEgress(r))], output.Lists);
        Dictionary<(Direction, PortRange), PrefixSet> actual = output.PrefixesByPort();
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Rules.Select(r => (r.Direction, r.Port))));
        foreach (FirewallRule rule in expected.Rules)
        {
            Assert.That(actual[(rule.Direction, rule.Port)], Is.EqualTo(rule.Prefixes), $"{rule.Name} allows other prefixes than the rule set");
        }

        Assert.That(output.Rules.GroupBy(r => (r.Group, r.Direction, r.Protocol, r.FromPort, r.ToPort, r.Cidr, r.PrefixList)).Where(g => g.Count() > 1).Select(g => g.Key),
            Is.Empty, "a rule is listed twice in a group (AWS refuses duplicates)");
    }

    /// <summary>AWS's idiom for a group that allows no outbound traffic: one egress rule to loopback, all protocols, which never leaves the host.</summary>
    public static bool IsNoEgress(AwsRule rule) => rule is { Direction: Direction.Egress, Protocol: "-1", Cidr: "127.0.0.1/32" };

    /// <summary>No group holds more rules per direction and family than the quota, and every rule names exactly one target.</summary>
    public static void WithinQuota(AwsOutput output, int quota)
    {
        Assert.That(output.QuotaUse().Where(u => u.Weight > quota), Is.Empty, $"a group exceeds {quota} rules");
        Assert.That(output.Rules.Where(r => r.Targets != 1), Is.Empty, "a rule without exactly one CIDR or prefix list");
        Assert.That(output.Rules.GroupBy(r => r.Direction).Select(d => d.Select(r => r.Group).Distinct().Count()), Has.All.LessThanOrEqualTo(16),
            "more groups in a direction than a network interface can have");
        Assert.That(output.Lists.Where(l => l.Cidrs.Count > l.MaxEntries || l.MaxEntries > 1000), Is.Empty, "a prefix list over its max entries");
    }
}
