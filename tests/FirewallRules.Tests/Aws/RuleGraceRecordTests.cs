using System.Net;
using FirewallRules.Aws;

namespace FirewallRules.Tests.Aws;

/// <summary>The last-seen time kept in an owned rule's description with <c>--cidr-rules</c>: written within AWS's limits, read back, merged.</summary>
[TestFixture]
[Category("Aws")]
public sealed class RuleGraceRecordTests
{
    private static readonly DateTimeOffset Seen = DateTimeOffset.FromUnixTimeSeconds(1764072000);

    [Test]
    public void WithSeen_ALongDescription_IsCutToAwsLimitAndStillReadsItsTime()
    {
        string description = "fwrules:datadog " + string.Join(',', Enumerable.Repeat("logs", 60));

        string written = RuleGraceRecord.WithSeen(description, Seen);

        Assert.That(written, Has.Length.EqualTo(255).And.EndWith(" @1764072000"));
        Assert.That(RuleGraceRecord.Seen(written), Is.EqualTo(Seen));
        Assert.That(written, Does.Match(@"^[a-zA-Z0-9 ._\-:/()#,@\[\]+=;{}!$*]+$"), "a character AWS refuses in a rule description");
    }

    [Test]
    public void WithSeen_NoTime_DropsTheOneWrittenBefore()
    {
        Assert.That(RuleGraceRecord.WithSeen("fwrules:datadog logs @1764072000", null), Is.EqualTo("fwrules:datadog logs"));
        Assert.That(RuleGraceRecord.Seen("fwrules:datadog logs"), Is.Null);
        Assert.That(RuleGraceRecord.Seen("fwrules:datadog logs @99999999999999999999"), Is.Null);
    }

    [Test]
    public void Merge_TheDescriptionsTimeIsLater_ItWinsForTheSectionsTheRuleNames()
    {
        var cidr = IPNetwork.Parse("192.0.2.0/24");
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal)
        {
            ["logs"] = new() { [cidr] = Seen.AddHours(-1) },
            ["apm"] = [],
        };
        var rule = new ExistingRule("sgr-1", new AwsSecurityGroupRule(true, "tcp", 443, 443, "192.0.2.0/24"), true, "fwrules:datadog logs @1764072000");

        RuleGraceRecord.Merge(lastSeen, [rule], "datadog", PrefixSet.Empty, Seen.AddHours(5));

        Assert.That(lastSeen["logs"][cidr], Is.EqualTo(Seen));
        Assert.That(lastSeen["apm"], Is.Empty, "a section the rule does not name keeps the CIDR too");
    }

    [Test]
    public void Merge_NoTimeAnywhere_KeepsTheCidrFromNow()
    {
        var cidr = IPNetwork.Parse("192.0.2.0/24");
        var lastSeen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal) { ["logs"] = [] };
        var rule = new ExistingRule("sgr-1", new AwsSecurityGroupRule(true, "tcp", 443, 443, "192.0.2.0/24"), true, "fwrules:datadog logs");

        RuleGraceRecord.Merge(lastSeen, [rule], "datadog", PrefixSet.Empty, Seen);

        Assert.That(lastSeen["logs"][cidr], Is.EqualTo(Seen));
    }
}
