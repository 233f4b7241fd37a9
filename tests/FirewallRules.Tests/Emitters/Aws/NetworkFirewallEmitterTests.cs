using System.Text.Json.Nodes;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// <c>aws-network-firewall</c> and <c>terraform-aws-network-firewall</c>: a stateful domain list rule group of the host
/// names the <c>domains</c> format lists (one list for every name-aware output), pinned by golden files, within Network
/// Firewall's capacity quota, refusing what cannot be a domain. The real tools are in <see cref="NetworkFirewallRealToolTests"/>.
/// </summary>
[TestFixture]
public class NetworkFirewallEmitterTests
{
    public const string CloudFormation = "aws-network-firewall";
    public const string Terraform = "terraform-aws-network-firewall";

    public static IEnumerable<TestCaseData> GoldenCases() =>
        from format in new[] { CloudFormation, Terraform }
        from name in new[] { "v52-agents-apm-logs", "v40-api-apm-webhooks" }
        select new TestCaseData(format, name);

    [TestCaseSource(nameof(GoldenCases))]
    public void Render_RealDocument_MatchesGoldenFile(string format, string name)
    {
        string text = GoldenRules(name).Render(EmitterRegistry.Default.Create(format));

        GoldenFile.AssertMatches(text, format, name + (format == CloudFormation ? ".json" : ".tf"));
    }

    [Test]
    public void Render_EverySite_AllowsTheDomainsFormatsNamesWithVersionedHostsAsTheirParentDomainCoveringItsSubdomains()
    {
        foreach (Site site in Site.All)
        {
            RuleSet rules = RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), site));
            string[] names = [.. rules.Render(EmitterRegistry.Default.Create("domains")).Split('\n')
                .Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split(' ')[0]).Distinct()];

            string[] targets = Targets(rules.Render(EmitterRegistry.Default.Create(CloudFormation)));

            string wildcard = $".agent.{site.Domain}";
            string[] expected = [.. names.Select(n => n.StartsWith("*-", StringComparison.Ordinal) ? n[n.IndexOf('.', StringComparison.Ordinal)..]
                : n).Where(n => n == wildcard || !n.EndsWith(wildcard, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)];
            Assert.That(targets, Is.EqualTo(expected), site.Name);
            Assert.That(targets, Does.Contain(wildcard).And.Not.Contain($"trace.agent.{site.Domain}").And.Not.Contain($"metrics.agent.{site.Domain}"),
                $"{site.Name}: the wildcard covers its subdomains, listed once");
        }
    }

    [Test]
    public void Render_CloudFormation_IsOneStatefulAllowListOnSniAndHostWithItsPortsInTheDescription()
    {
        JsonNode template = JsonNode.Parse(GoldenRules("v52-agents-apm-logs").Render(EmitterRegistry.Default.Create(CloudFormation)))!;

        JsonNode group = template["Resources"]!["DatadogAgentHosts"]!;
        JsonNode list = group["Properties"]!["RuleGroup"]!["RulesSource"]!["RulesSourceList"]!;
        Assert.That((string?)group["Type"], Is.EqualTo("AWS::NetworkFirewall::RuleGroup"));
        Assert.That((string?)group["Properties"]!["Type"], Is.EqualTo("STATEFUL"));
        Assert.That((string?)list["GeneratedRulesType"], Is.EqualTo("ALLOWLIST"));
        Assert.That(list["TargetTypes"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "TLS_SNI", "HTTP_HOST" }));
        Assert.That((string?)group["Properties"]!["Description"], Does.Contain("443/tcp, 10516/tcp").And.Contain("any port"));
        int targets = list["Targets"]!.AsArray().Count;
        Assert.That((int?)group["Properties"]!["Capacity"], Is.GreaterThanOrEqualTo(NetworkFirewallDomainList.Needed(targets)).And.LessThanOrEqualTo(30_000));
    }

    [Test]
    public void CapacityFor_OverOneStatefulRuleGroupsQuota_IsRefusedOnOneLine()
    {
        // 15,000 domains on two target types need (15,000 + 1) x 2 = 30,002 rules: over the 30,000 of one rule group.
        var refused = Assert.Throws<RuleGenerationException>(() => NetworkFirewallDomainList.CapacityFor(15_000))!;

        Assert.That(refused.Message,
            Is.EqualTo("15,000 domains need a rule group capacity of 30,002, over the 30,000 of one Network Firewall stateful rule group (at most 14,999 " +
            "domains on TLS_SNI and HTTP_HOST)"));
        Assert.That(NetworkFirewallDomainList.CapacityFor(14_999), Is.EqualTo(30_000), "the most domains fit exactly");
    }

    [TestCase(1, 100)]
    [TestCase(20, 100)]
    [TestCase(24, 100)]
    [TestCase(25, 200)]
    [TestCase(1_000, 5_000)]
    [TestCase(7_500, 30_000)]
    public void CapacityFor_Domains_LeavesRoomForTwiceTheRulesWithinTheQuota(int domains, int capacity)
    {
        Assert.That(NetworkFirewallDomainList.CapacityFor(domains), Is.EqualTo(capacity));
    }

    [TestCase(CloudFormation)]
    [TestCase(Terraform)]
    public void Render_NoOutboundSectionWithAHostName_IsRefusedWritingNothing(string format)
    {
        RuleSet rules = RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), Site.US1), Section.Webhooks, Section.Synthetics);
        using var output = new StringWriter();

        var refused = Assert.Throws<RuleGenerationException>(() => rules.Render(EmitterRegistry.Default.Create(format), output))!;

        Assert.That(refused.Message, Does.StartWith("no outbound rule has a host name Datadog documents, so a domain list would allow nothing").And.Not.Contain("\n"));
        Assert.That(output.ToString(), Is.Empty);
    }

    [TestCase("evil.example.com\n\"}, {\"Type\": \"x")]
    [TestCase("${file(\"/etc/passwd\")}.example.com")]
    [TestCase("under_score.example.com")]
    [TestCase("10.0.0.1")]
    [TestCase("*")]
    [TestCase("")]
    public void Target_NotADnsName_IsRefusedWithoutEchoingIt(string name)
    {
        var refused = Assert.Throws<RuleGenerationException>(() => NetworkFirewallDomainList.Target(name))!;

        Assert.That(refused.Message, Does.StartWith("a host to allow is not a DNS name").And.Not.Contain("\n").And.Not.Contain("${").And.Not.Contain("\""));
    }

    [TestCase("*-app.agent.datadoghq.eu", ".agent.datadoghq.eu")]
    [TestCase("Trace.Agent.DatadoghQ.com", "trace.agent.datadoghq.com")]
    public void Target_DatadogsNames_AreLowerCaseWithPatternsAsTheParentDomain(string name, string target)
    {
        Assert.That(NetworkFirewallDomainList.Target(name), Is.EqualTo(target));
    }

    [Test]
    public void Description_RuleGroupsDescription_IsOneLineWithinItsLimit()
    {
        PortRange[] ports = [.. Enumerable.Range(1, 200).Select(port => new PortRange(TransportProtocol.Tcp, port))];
        var list = new NetworkFirewallDomainList(["example.com"], ports, [], 100, "datadog-agent-hosts");

        Assert.That(list.Description, Has.Length.EqualTo(NetworkFirewallDomainList.MaxDescriptionLength).And.EndsWith("..."));
    }

    [Test]
    public void Render_HostileProvenanceText_IsOneEscapedJsonStringAndHclCommentsOnly()
    {
        const string hostile = "2022-11-14\ntouch pwned; ${file(\"/etc/passwd\")} %{ if true }x \" \\ \u2028\"}, {\"Type\": \"x";
        RuleSet clean = GoldenRules("v52-agents-apm-logs");
        RuleSet rules = RuleSet.Create(clean.Rules, clean.Provenance with { Modified = hostile });

        JsonNode template = JsonNode.Parse(rules.Render(EmitterRegistry.Default.Create(CloudFormation)))!;
        string hcl = rules.Render(EmitterRegistry.Default.Create(Terraform));

        Assert.That(template["Resources"]!.AsObject().Select(r => r.Key), Is.EqualTo(new[] { "DatadogAgentHosts" }));
        Assert.That((string?)template["Description"], Does.Contain("touch pwned; ${file(").And.Not.Contain("\n"));
        Assert.That(hcl.Split('\n').Where(l => l.Contains("pwned", StringComparison.Ordinal)), Has.All.StartWith("# "));
        Assert.That(Targets(template.ToJsonString()), Is.EqualTo(Targets(clean.Render(EmitterRegistry.Default.Create(CloudFormation)))));
    }

    private static string[] Targets(string template) =>
        [.. JsonNode.Parse(template)!["Resources"]!["DatadogAgentHosts"]!["Properties"]!["RuleGroup"]!["RulesSource"]!["RulesSourceList"]!["Targets"]!
            .AsArray().Select(t => (string)t!)];

    internal static RuleSet GoldenRules(string name) => name == "v52-agents-apm-logs"
        ? RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), Site.US1), Section.Agents, Section.Apm, Section.Logs)
        : RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v40.json"), Site.US1), Section.Api, Section.Apm, Section.Webhooks);
}
