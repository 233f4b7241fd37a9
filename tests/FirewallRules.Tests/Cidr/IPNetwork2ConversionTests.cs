using System.Net;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// The companion package's conversions to and from IPNetwork2, and IPNetwork2 as a second oracle of collapse:
/// <c>IPNetwork2.Supernet</c> over an array merges exactly, so it must cover the same addresses as the engine's
/// collapse, which may never need more prefixes than it.
/// </summary>
[TestFixture]
public sealed class IPNetwork2ConversionTests
{
    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = 300)]
    public void ToIPNetwork2ListThenToPrefixSet_AnySet_RoundTripsExactly(PrefixList input)
    {
        PrefixSet set = PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork()));

        IReadOnlyList<IPNetwork2> networks = set.ToIPNetwork2List();

        Assert.That(networks.ToPrefixSet(), Is.EqualTo(set));
        Assert.That(networks.Select(n => $"{n.Network}/{n.Cidr}"), Is.EqualTo(set.Select(n => n.ToString())));
        Assert.That(networks.Select(n => n.ToIPNetwork()), Is.EqualTo(set));
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = 300)]
    public void Collapse_AnyPrefixesOfOneFamily_CoversWhatIPNetwork2SupernetCoversWithNoMorePrefixes(PrefixList input)
    {
        foreach (IGrouping<int, ModelPrefix> family in input.Prefixes.GroupBy(p => p.Width))
        {
            IPNetwork2[] networks = [.. family.Select(p => p.ToNetwork().ToIPNetwork2())];
            PrefixSet ours = PrefixSet.Create(family.Select(p => p.ToNetwork()));

            IPNetwork2[] theirs = IPNetwork2.Supernet(networks);

            Assert.That(theirs.ToPrefixSet(), Is.EqualTo(ours), $"Supernet gave {string.Join(", ", theirs.Select(n => n.ToString()))}");
            Assert.That(ours.Count, Is.LessThanOrEqualTo(theirs.Length));
        }
    }

    [TestCase("10.1.2.3", 8, "10.0.0.0/8")]
    [TestCase("2001:db8::1", 32, "2001:db8::/32")]
    [TestCase("0.0.0.0", 0, "0.0.0.0/0")]
    [TestCase("::", 0, "::/0")]
    [TestCase("255.255.255.255", 32, "255.255.255.255/32")]
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")]
    public void ToIPNetwork_ValueBuiltWithHostBits_IsTheNetworkItHolds(string address, byte length, string expected)
    {
        var network = new IPNetwork2(IPAddress.Parse(address), length);

        Assert.That(network.ToIPNetwork().ToString(), Is.EqualTo(expected));
        Assert.That(new[] { network }.ToPrefixSet().ToString(), Is.EqualTo(expected + "\n"));
    }
}
