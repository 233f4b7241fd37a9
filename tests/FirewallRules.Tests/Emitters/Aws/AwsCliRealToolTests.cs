using System.Net;
using System.Text.Json;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// aws-sg scripts run unmodified by bash with the real AWS CLI against moto, on new groups as their header asks;
/// <c>describe-security-groups</c> then shows what AWS holds.
/// </summary>
/// <remarks>
/// Moto counts a group's IPv4 and IPv6 rules together against its 60 (AWS counts each family separately), and its
/// quota cannot be raised, so the groups filled to exactly 60 hold one family: v30's IPv4 rules at a prefix budget of
/// 50 (its egress rules need 17 groups at the default quota, refused, see
/// <see cref="AwsEmitterTests.Write_OldDocumentAtTheDefaultQuota_IsRefused"/>) and 121 IPv6 prefixes.
/// </remarks>
[TestFixture]
[Category("RealTools")]
public class AwsCliRealToolTests
{
    private const int MotoRulesPerGroup = 60;

    private static IpRangesDocument Document(string file) => IpRangesDocument.Load(TestData.Path_("ip-ranges", file));

    // The real CLI runs a representative set, because each aws call starts Python and botocore (about a second of CPU):
    // the newest document in both directions here, and below a group filled to exactly 60 rules from an old document's
    // prefix budget, several IPv6 groups, a failure resumed with --from and the next version on used groups. Every real
    // document's script runs in bash against a recording aws in AwsEmitterTests, which checks the same rules.
    [TestCase(Direction.Egress)]
    [TestCase(Direction.Ingress)]
    public async Task AwsSg_NewestDocumentOnNewGroups_LeavesExactlyItsRules(Direction direction)
    {
        RuleSet rules = RuleSet.All(IpRangesDocument.Load(TestData.IpRangesDocuments[^1]), direction);
        Assert.That(Plan(rules, new AwsSecurityGroupOptions()).Groups.Max(g => g.Permissions.Sum(p => p.IPv4.Count + p.IPv6.Count)),
            Is.LessThanOrEqualTo(MotoRulesPerGroup), "moto holds each group's rules of both families together");
        string script = rules.ToAwsSecurityGroup();
        Dictionary<string, string> groups = await AwsCli.CreateGroupsForAsync(script);

        ToolResult run = AwsCli.RunScript(script, groups);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        AssertHoldsExactly(AwsCli.Describe(groups.Values), rules, direction);
    }

    [Test]
    public async Task AwsSg_IssueReproductionThroughTheTool_FillsAGroupToExactly60()
    {
        // Group 1 holds exactly 60 IPv4 rules, which failed while AWS's default rule was still there.
        ProcessResult generated = await FwrulesProcess.RunAsync(null, "generate", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v30.json"),
            "--section", "agents", "--section", "api", "--section", "logs", "--family", "ipv4", "--max-rules", "50", "--format", "aws-sg");
        Assert.That(generated.ExitCode, Is.EqualTo(0), generated.Error);
        Dictionary<string, string> groups = await AwsCli.CreateGroupsForAsync(generated.Output);

        ToolResult run = AwsCli.RunScript(generated.Output, groups);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        AwsOutput held = AwsCli.Describe(groups.Values);
        Assert.That(held.Rules.Count(r => r.Group == groups["DATADOG_EGRESS_1"]), Is.EqualTo(MotoRulesPerGroup), "group 1 is full");
        RuleSet expected = ExpectedRules.For(RuleSet.For(Document("datadoghq.com-v30.json"), ["agents", "api", "logs"]),
            new AwsSecurityGroupOptions { Families = AddressFamilies.IPv4, MaxPrefixesPerRule = 50 });
        AssertHoldsExactly(held, expected, Direction.Egress);
    }

    [Test]
    public async Task AwsSg_SeveralIngressGroupsOfExactly60IPv6Rules_AreFilledExactly()
    {
        // 121 real IPv6 prefixes (AWS's own published ranges): two full groups and one of a single rule.
        RuleSet rules = SyntheticIngress(121);
        string script = rules.ToAwsSecurityGroup();
        Dictionary<string, string> groups = await AwsCli.CreateGroupsForAsync(script);

        ToolResult run = AwsCli.RunScript(script, groups);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        AwsOutput held = AwsCli.Describe(groups.Values);
        Assert.That(groups.Keys, Is.EqualTo(new[] { "DATADOG_INGRESS_1", "DATADOG_INGRESS_2", "DATADOG_INGRESS_3" }));
        Assert.That(groups.Values.Select(g => held.Rules.Count(r => r.Group == g && r.Direction == Direction.Ingress)), Is.EqualTo(new[] { 60, 60, 1 }));
        AssertHoldsExactly(held, rules, Direction.Ingress);
    }

    [Test]
    public async Task AwsSg_NextVersionOnTheSameGroups_ChangesNothingAndSaysWhy()
    {
        // The header promises to fill new groups only: a later version's script refuses groups that already hold rules.
        RuleSet v46 = RuleSet.All(Document("datadoghq.com-v46.json"));
        string first = v46.ToAwsSecurityGroup();
        Dictionary<string, string> groups = await AwsCli.CreateGroupsForAsync(first);
        Assert.That(AwsCli.RunScript(first, groups).ExitCode, Is.EqualTo(0));

        ToolResult next = AwsCli.RunScript(RuleSet.All(Document("datadoghq.com-v47.json")).ToAwsSecurityGroup(), groups);

        Assert.That(next.ExitCode, Is.EqualTo(1));
        Assert.That(next.Error, Does.StartWith($"Nothing was changed: {groups["DATADOG_EGRESS_1"]} already hold rules")
            .And.Contains("use new ones, or the aws-cloudformation or terraform formats"));
        AssertHoldsExactly(AwsCli.Describe(groups.Values), v46, Direction.Egress);
    }

    [Test]
    public async Task AwsSg_MissingGroup_ChangesNothing()
    {
        RuleSet rules = RuleSet.For(Document("datadoghq.com-v52.json"), Section.Logs);
        string script = rules.ToAwsSecurityGroup();
        Dictionary<string, string> groups = await AwsCli.CreateGroupsForAsync(script);
        string created = groups["DATADOG_EGRESS_1"];

        ToolResult run = AwsCli.RunScript(script, new Dictionary<string, string> { ["DATADOG_EGRESS_1"] = "sg-0123456789abcdef0" });

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("InvalidGroup.NotFound").And.Contains("Nothing was changed"));
        Assert.That(AwsCli.Describe([created]).Rules.Select(r => (r.Direction, r.Protocol, r.Cidr)), Is.EqualTo(new[] { (Direction.Egress, "-1", "0.0.0.0/0") }),
            "the script's own group was not touched either");
    }

    [Test]
    public async Task AwsSg_FailurePartWay_SaysWhatWasAppliedAndResumesToExactlyTheRules()
    {
        // Two groups, five steps: revoke the defaults of both, then 443 and 10516 in group 1, then 10516 in group 2.
        RuleSet rules = ExpectedRules.For(RuleSet.For(Document("datadoghq.com-v30.json"), ["agents", "api", "logs"]),
            new AwsSecurityGroupOptions { Families = AddressFamilies.IPv4, MaxPrefixesPerRule = 50 });
        string script = rules.ToAwsSecurityGroup();
        Dictionary<string, string> groups = await AwsCli.CreateGroupsForAsync(script);
        string second = groups["DATADOG_EGRESS_2"];

        ToolResult failed = AwsCli.RunScript(script, groups, failCallMatching: $"authorize-security-group-egress --group-id {second}");

        Assert.That(failed.ExitCode, Is.EqualTo(1));
        Assert.That(failed.Error, Does.Contain("RequestLimitExceeded")
            .And.Contains("Step 5 of 5 failed: datadog-egress-2: allow 10516/tcp to 40 ranges.")
            .And.Contains(
                "Applied by this run:\n  1. revoke AWS's default allow-all outbound rules from datadog-egress-1\n" +
                "  2. revoke AWS's default allow-all outbound rules from datadog-egress-2\n" +
                "  3. datadog-egress-1: allow 443/tcp to 50 ranges\n  4. datadog-egress-1: allow 10516/tcp to 10 ranges\n")
            .And.Contains("bash ").And.Contains(" --from 5\n")
            .And.Contains("aws ec2 delete-security-group --group-id ID"));
        AwsOutput partial = AwsCli.Describe(groups.Values);
        Assert.That(partial.Rules.Where(r => r.Group == second), Is.Empty, "group 2 lost its default rule and got nothing else");
        Assert.That(partial.Rules.Count(r => r.Group == groups["DATADOG_EGRESS_1"]), Is.EqualTo(60), "group 1 is complete");

        ToolResult resumed = AwsCli.RunScript(script, groups, ["--from", "5"]);

        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Error);
        AssertHoldsExactly(AwsCli.Describe(groups.Values), rules, Direction.Egress);
    }

    // What AWS holds is exactly the rules: the direction's rules, nothing else in egress groups (AWS's default
    // outbound rule revoked), and ingress groups keep only that default outbound rule, which the script leaves alone.
    private static void AssertHoldsExactly(AwsOutput held, RuleSet expected, Direction direction)
    {
        AwsAssert.AllowsExactly(held.Where(r => r.Direction == direction), expected);
        AwsAssert.WithinQuota(held.Where(r => r.Direction == direction), MotoRulesPerGroup);
        Assert.That(held.Where(r => r.Direction != direction).Rules.Where(r => direction == Direction.Egress || r.Protocol != "-1"), Is.Empty,
            "a rule the script did not write");
    }

    private static AwsPlan Plan(RuleSet rules, AwsSecurityGroupOptions options) =>
        AwsPlan.Create(PreparedRules.Create(rules, options, AddressFamilies.Both, "aws-sg"), options, maxListEntries: 0);

    private static RuleSet SyntheticIngress(int count)
    {
        using JsonDocument corpus = JsonDocument.Parse(File.ReadAllBytes(TestData.AwsCorpus));
        PrefixSet prefixes = PrefixSet.Create(corpus.RootElement.GetProperty("ipv6_prefixes").EnumerateArray()
            .Select(p => IPNetwork.Parse(p.GetProperty("ipv6_prefix").GetString()!))
            .Where(p => p.PrefixLength >= 40)
            .Distinct()
            .Take(count * 4));
        PrefixSet chosen = PrefixSet.Create(prefixes.Take(count));
        Assert.That(chosen.Count, Is.EqualTo(count), "the corpus holds enough separate prefixes");
        var rule = new FirewallRule(Direction.Ingress, RuleAction.Allow, new PortRange(TransportProtocol.Tcp, 443, 443), chosen, ["aws-ip-ranges"]);
        return RuleSet.Create([rule], new RuleSetProvenance(null, null, null, ["aws-ip-ranges"], IsEmbeddedSnapshot: false));
    }
}
