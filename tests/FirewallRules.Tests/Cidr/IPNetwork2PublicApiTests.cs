using FirewallRules.Tests.Architecture;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cidr;

/// <summary>The FirewallRules.IPNetwork2 package's public API, reviewed like the core package's.</summary>
[TestFixture]
public sealed class IPNetwork2PublicApiTests
{
    [Test]
    public void PublicApi_MatchesTheReviewedList() =>
        GoldenFile.AssertMatchesFile(PublicApiTests.Describe(typeof(IPNetwork2Conversions).Assembly), Path.Combine("Architecture", "PublicApi.IPNetwork2.txt"));
}
