using FirewallRules.Cli;

namespace FirewallRules.Tests.Cli;

/// <summary>How summary lines spell counts and dates.</summary>
[TestFixture]
public class WordingTests
{
    [TestCase(0, "0 rules")]
    [TestCase(1, "1 rule")]
    [TestCase(2, "2 rules")]
    public void Count_Number_AgreesWithIt(long count, string expected) => Assert.That(Wording.Count(count, "rule", "rules"), Is.EqualTo(expected));

    [Test]
    public void Addresses_SmallCounts_AreExact()
    {
        Assert.That(Wording.Addresses(0), Is.EqualTo("0"));
        Assert.That(Wording.Addresses(1_000_000_000), Is.EqualTo("1000000000"));
    }

    [Test]
    public void Addresses_IPv6SizedCounts_ArePowersOfTwo()
    {
        Assert.That(Wording.Addresses(UInt128.One << 96), Is.EqualTo("2^96"));
        Assert.That(Wording.Addresses((UInt128.One << 70) + (UInt128.One << 68)), Is.EqualTo("about 2^70.3"));
        Assert.That(Wording.Addresses(UInt128.MaxValue), Is.EqualTo("about 2^128.0"));
    }

    [TestCase("2022-11-14-22-00-00", "2022-11-14T22:00:00Z")]
    [TestCase("2024-10-17T09:00:00Z", "2024-10-17T09:00:00Z")]
    [TestCase("2024-10-17T11:00:00+02:00", "2024-10-17T09:00:00Z")]
    [TestCase("yesterday", "yesterday")]
    public void Date_ModifiedText_IsIso8601InUtcWhenItIsADate(string modified, string expected) =>
        Assert.That(Wording.Date(modified), Is.EqualTo(expected));
}
