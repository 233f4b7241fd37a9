using System.Text.Json.Nodes;
using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Rules;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Every output that allows an agent's plan by name reads the one host list: Cilium's <c>toFQDNs</c> too (relays and
/// by-name-only hosts with their ports, NTP's pool, nothing reached through the proxy), and NTP's pool is listed where the
/// format can carry it (<c>domains</c>, Cilium, 123/udp) and named on one line where it cannot (Squid, Network Firewall).
/// </summary>
[TestFixture]
public class NameAwareOutputsTests
{
    private const string Relay = """
        api_key: 0123456789abcdef0123456789abcdef
        dd_url: https://relay.internal:8443
        container_image:
          enabled: true
        sbom:
          enabled: true
        """;

    private static readonly string[] NtpPool = ["0.datadog.pool.ntp.org", "1.datadog.pool.ntp.org", "2.datadog.pool.ntp.org", "3.datadog.pool.ntp.org"];

    private static string Cilium(AgentPlan plan, params ClusterDestination[] inCluster) =>
        PlanRules.Build(plan, IpRangesDocument.Embedded, new AgentRuleOptions { AllowedByFormat = inCluster.Length == 0 ? [] : ["ntp"] }).Rules!
            .ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true, ClusterDestinations = inCluster });

    private static string ByName(string format, string yaml) =>
        PlanRules.ByName(AgentConfiguration.Parse(yaml, null, null, TestAgent.Version)).Render(EmitterRegistry.Default.Create(format));

    [Test]
    public void CiliumByName_AgentPlan_AllowsTheRelayAndByNameOnlyHostsOnTheirPorts()
    {
        string text = Cilium(AgentConfiguration.Parse(Relay, null, null, TestAgent.Version), ClusterDestination.Ntp);

        Assert.That(text, Does.Contain("  name: datadog-egress-tcp-8443\n").And.Contain("- matchName: relay.internal\n    toPorts:\n    - ports:\n      - port: \"8443\""));
        Assert.That(text, Does.Contain("- matchName: contimage-intake.datadoghq.com\n").And.Contain("- matchName: sbom-intake.datadoghq.com\n")
            .And.Not.Contain("flare.agent.datadoghq.com"), "the hosts the published ranges do not cover, by name; the flare goes to dd_url's relay");
        Assert.That(text, Does.Contain("- matchName: \"0.datadog.pool.ntp.org\"\n").And.Not.Contain("- world\n"), "NTP by name too, as domains lists it");
    }

    [Test]
    public void CiliumByName_AgentBehindAProxyAtAnAddress_AllowsTheProxyByAddressAndNoDatadogHost()
    {
        string text = Cilium(AgentConfiguration.Parse("proxy:\n  https: http://10.0.0.5:3128\ndd_url: https://relay.internal:8443\n"), ClusterDestination.Ntp);

        Assert.That(text, Does.Contain("- cidr: 10.0.0.5/32\n").And.Contain("port: \"3128\""));
        Assert.That(text, Does.Not.Contain("relay.internal").And.Not.Match(@"matchName: .*datadoghq\.com"), "what goes through the proxy is the proxy's to allow");
    }

    [Test]
    public void CiliumByName_SectionPortSharedWithAddressesGivenForAFeature_IsRefusedNotWidened()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, "datadog:\n  apiKey: x\nclusterAgent:\n  enabled: false\n");
        RuleSet rules = PlanRules.Build(plan, IpRangesDocument.Embedded, new AgentRuleOptions
        {
            Networks = new Dictionary<string, PrefixSet> { ["kube-apiserver"] = PrefixSet.Parse("10.0.0.1/32") },
        }).Rules!;

        var error = Assert.Throws<RuleGenerationException>(() => rules.ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true }))!;

        Assert.That(error.Message, Does.Contain("egress-tcp-443 rule holds Datadog's sections and the addresses given for agent:kube-apiserver"));
    }

    [Test]
    public void Domains_AgentPlan_ListsTheNtpPoolOn123Udp()
    {
        string[] lines = ByName("domains", Relay).Split('\n');

        Assert.That(lines, Is.SupersetOf(NtpPool.Select(host => $"{host} 123/udp ntp")));
    }

    [Test]
    public void Squid_AgentPlan_NamesTheNtpPoolItCannotCarryOnOneLine()
    {
        string[] lines = ByName("squid", Relay).Split('\n');

        string[] ntp = [.. lines.Where(l => l.Contains("pool.ntp.org", StringComparison.Ordinal))];
        Assert.That(ntp, Has.Length.EqualTo(1));
        Assert.That(ntp[0], Does.StartWith("# not allowed: 0.datadog.pool.ntp.org, 1.datadog.pool.ntp.org").And.Contain("on 123/udp (ntp): UDP, which an HTTP proxy"));
    }

    [Test]
    public void AwsNetworkFirewall_AgentPlan_NamesTheNtpPoolItCannotMatchOnOneNote()
    {
        JsonNode template = JsonNode.Parse(ByName("aws-network-firewall", Relay))!;
        string[] notes = [.. template["Metadata"]!["FirewallRules"]!["Notes"]!.AsArray().Select(n => (string)n!)];

        string[] ntp = [.. notes.Where(n => n.Contains("pool.ntp.org", StringComparison.Ordinal))];
        Assert.That(ntp, Has.Length.EqualTo(1));
        Assert.That(ntp[0], Does.Contain(string.Join(", ", NtpPool) + " on 123/udp (ntp)"));
    }

    [Test]
    public void SquidInclude_ItsComment_NamesTheFileTheProxyRecipeWrites()
    {
        string recipe = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "operations", "agent-config.md"));
        string include = ByName("squid", Relay).Split('\n').Single(l => l.StartsWith("#   include ", StringComparison.Ordinal))[4..];

        string generate = $"-f squid --agent-config /etc/datadog-agent/datadog.yaml --proxy-clients 10.20.0.0/16 -o {include["include ".Length..]}\n";
        Assert.That(recipe, Does.Contain(generate).And.Contain($"s||{include}\\n&|"), "the sed line that puts the include in squid.conf");
    }
}
