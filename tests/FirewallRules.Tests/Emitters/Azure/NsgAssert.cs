using System.Net;
using System.Text.RegularExpressions;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>The proofs every Azure output must pass, on what was parsed back from it.</summary>
internal static partial class NsgAssert
{
    /// <summary>Each (direction, port) allows exactly the rule's aggregated prefixes, with the rule's action.</summary>
    public static void AllowsExactly(NsgOutput output, RuleSet expected)
    {
        Dictionary<(Direction, PortRange), PrefixSet> actual = output.PrefixesByPort();
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Rules.Select(r => (r.Direction, r.Port))));
        foreach (FirewallRule rule in expected.Rules)
        {
            Assert.That(actual[(rule.Direction, rule.Port)], Is.EqualTo(rule.Prefixes), $"{rule.Name} lists other prefixes than the rule set");
        }

        Assert.That(output.Rules.Where(r => !r.IsPlannedDeny).Select(r => r.Access).Distinct(),
            Is.EqualTo(expected.Rules.Select(r => r.Action == RuleAction.Allow ? "Allow" : "Deny").Distinct()));
        ClosesExactly(output, expected);
    }

    /// <summary>
    /// Each closed port of <paramref name="expected"/> has one deny of its protocol and port from (or to) any address,
    /// after every rule of the set in its direction; no other port is closed.
    /// </summary>
    public static void ClosesExactly(NsgOutput output, RuleSet expected)
    {
        NsgEntry[] denies = output.Rules.Where(r => r.IsClosedPortDeny).ToArray();
        Assert.That(denies.Select(r => (r.Direction == "Outbound" ? Direction.Egress : Direction.Ingress, PortRange.Parse($"{r.DestinationPorts}/{r.Protocol}"))),
            Is.EquivalentTo(expected.ClosedPorts), "one deny per closed port, none for other ports");
        foreach (NsgEntry deny in denies)
        {
            Assert.That((deny.Sources, deny.Destinations), Is.EqualTo((new[] { "*" }, new[] { "*" })), deny.Name);
            Assert.That(output.Rules.Where(r => r.Direction == deny.Direction && !r.IsPlannedDeny).Select(r => r.Priority), Has.All.LessThan(deny.Priority),
                $"{deny.Name} comes after every rule of the set");
        }
    }

    /// <summary>
    /// Azure's rules: names valid, priorities unique per direction within 100-4096, descriptions of at most 140
    /// characters, one address family per rule, at most 1,000 rules and 4,000 source and 4,000 destination prefixes.
    /// </summary>
    public static void WithinLimits(NsgOutput output)
    {
        Assert.That(output.Rules.Select(r => r.Name).Where(n => !RuleName().IsMatch(n)), Is.Empty, "invalid rule names");
        Assert.That(output.Rules.Select(r => r.Name), Is.Unique);
        Assert.That(output.Rules.Select(r => r.Priority), Has.All.InRange(100, 4096));
        Assert.That(output.Rules.GroupBy(r => r.Direction).Where(d => d.Select(r => r.Priority).Distinct().Count() != d.Count()), Is.Empty, "a priority used twice in a direction");
        Assert.That(output.Rules.Select(r => r.Description ?? string.Empty), Has.All.Length.LessThanOrEqualTo(140));
        Assert.That(output.Rules.Where(r => !r.IsPlannedDeny && r.Remote.Select(p => IPNetwork.Parse(p).BaseAddress.AddressFamily).Distinct().Count() != 1), Is.Empty,
            "a rule without prefixes or with both families");
        Assert.That(output.Rules, Has.Count.LessThanOrEqualTo(1000));
        Assert.That(output.Rules.Sum(r => r.Sources.Count(IsPrefix)), Is.LessThanOrEqualTo(4000), "source addresses per NSG");
        Assert.That(output.Rules.Sum(r => r.Destinations.Count(IsPrefix)), Is.LessThanOrEqualTo(4000), "destination addresses per NSG");
    }

    /// <summary>Egress allows are followed by a deny of everything else to the Internet, at a later priority; nothing else denies.</summary>
    public static void DeniesOtherInternetEgress(NsgOutput output, bool expected)
    {
        NsgEntry[] outbound = output.Rules.Where(r => r.Direction == "Outbound").ToArray();
        NsgEntry[] denies = outbound.Where(r => r.IsInternetDeny).ToArray();
        Assert.That(denies, Has.Length.EqualTo(expected ? 1 : 0));
        if (expected)
        {
            Assert.That(denies[0], Has.Property(nameof(NsgEntry.Protocol)).EqualTo("*").And.Property(nameof(NsgEntry.DestinationPorts)).EqualTo("*")
                .And.Property(nameof(NsgEntry.Sources)).EqualTo(new[] { "*" }));
            Assert.That(outbound.Where(r => !r.IsInternetDeny).Select(r => r.Priority), Has.All.LessThan(denies[0].Priority));
        }
    }

    private static bool IsPrefix(string address) => address is not ("*" or "Internet");

    [GeneratedRegex(@"^[A-Za-z0-9_]([A-Za-z0-9_.\-]{0,78}[A-Za-z0-9_])?$")]
    private static partial Regex RuleName();
}
