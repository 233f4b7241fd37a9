using FirewallRules.Aws;
using FirewallRules.Tests.Architecture;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Aws;

/// <summary>The FirewallRules.Aws package's public API, reviewed like the core package's.</summary>
[TestFixture]
[Category("Aws")]
public sealed class AwsPublicApiTests
{
    [Test]
    public void PublicApi_MatchesTheReviewedList() =>
        GoldenFile.AssertMatchesFile(PublicApiTests.Describe(typeof(AwsPrefixListSync).Assembly), Path.Combine("Architecture", "PublicApi.Aws.txt"));
}
