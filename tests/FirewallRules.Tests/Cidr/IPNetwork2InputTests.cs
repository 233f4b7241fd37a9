using System.Net;
using FirewallRules.Ports;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// The companion package's overloads for the library's other inputs and outputs that hold prefixes: membership of an
/// <c>IPNetwork2</c>, named groups for the options' dictionaries, and the library's <c>IPNetwork</c> lists, each checked
/// against the conversions of one value (<c>ToIPNetwork</c> / <c>ToIPNetwork2</c>).
/// </summary>
[TestFixture]
public sealed class IPNetwork2InputTests
{
    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = 300)]
    public void Contains_AnyIPNetwork2_AnswersAsTheNetworkItHolds(PrefixListPair pair)
    {
        PrefixSet set = PrefixSet.Create(pair.Left.Select(p => p.ToNetwork()));

        foreach (ModelPrefix prefix in pair.Right.Concat(pair.Left))
        {
            IPNetwork2 network = prefix.ToNetwork().ToIPNetwork2();
            Assert.That(set.Contains(network), Is.EqualTo(set.Contains(prefix.ToNetwork())), prefix.ToString());
        }

        Assert.That(pair.Left.All(p => set.Contains(p.ToNetwork().ToIPNetwork2())), Is.True, "every input prefix is in its own set");
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = 300)]
    public void ToIPNetwork2List_AnyIPNetworkList_KeepsOrderAndDuplicatesAndConvertsBackExactly(PrefixList input)
    {
        IPNetwork[] listed = [.. input.Prefixes.Select(p => p.ToNetwork()), .. input.Prefixes.Take(2).Select(p => p.ToNetwork())];

        IReadOnlyList<IPNetwork2> networks = listed.ToIPNetwork2List();

        Assert.That(networks.Select(n => n.ToIPNetwork()), Is.EqualTo(listed));
        Assert.That(networks.Select(n => $"{n.Network}/{n.Cidr}"), Is.EqualTo(listed.Select(n => n.ToString())));
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = 300)]
    public void ToPrefixSets_AnyNamedGroups_CollapsesEachGroupAsToPrefixSetDoes(PrefixListPair pair)
    {
        var groups = new Dictionary<string, IPNetwork2[]>
        {
            ["dogstatsd"] = [.. pair.Left.Select(p => p.ToNetwork().ToIPNetwork2())],
            ["apm"] = [.. pair.Right.Select(p => p.ToNetwork().ToIPNetwork2())],
        };

        IReadOnlyDictionary<string, PrefixSet> sets = groups.ToPrefixSets();

        Assert.That(sets.Keys, Is.EquivalentTo(groups.Keys));
        Assert.That(sets["dogstatsd"], Is.EqualTo(PrefixSet.Create(pair.Left.Select(p => p.ToNetwork()))));
        Assert.That(sets["apm"], Is.EqualTo(PrefixSet.Create(pair.Right.Select(p => p.ToNetwork()))));
    }

    [Test]
    public void ToPrefixSets_NameRepeated_IsRefused()
    {
        KeyValuePair<string, List<IPNetwork2>>[] groups =
        [
            new("dogstatsd", [IPNetwork2.Parse("10.0.0.0/8")]),
            new("dogstatsd", [IPNetwork2.Parse("192.168.0.0/16")]),
        ];

        Assert.That(() => groups.ToPrefixSets(), Throws.ArgumentException);
    }

    [Test]
    public void ToPrefixSets_AsLocalListenerOpenTo_GivesTheSameRulesAsParsedText()
    {
        var fromText = new LocalListenerOptions { OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8\n2001:db8::/32") } };
        var fromIPNetwork2 = new LocalListenerOptions
        {
            OpenTo = new Dictionary<string, IPNetwork2[]> { ["dogstatsd"] = [IPNetwork2.Parse("10.1.2.3/8"), IPNetwork2.Parse("2001:db8::/32")] }.ToPrefixSets(),
        };

        string expected = LocalListenerRules.For(AgentKind.DatadogAgent, fromText).ToNftables();

        Assert.That(LocalListenerRules.For(AgentKind.DatadogAgent, fromIPNetwork2).ToNftables(), Is.EqualTo(expected));
        Assert.That(expected, Does.Contain("10.0.0.0/8"));
    }
}
