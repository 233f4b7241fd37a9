using System.Text.Json.Nodes;
using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Kubernetes;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// An agent behind a proxy named by a host name, in every output that allows its plan by name: its own egress (Cilium's
/// <c>--by-name</c>) allows the proxy by name and what bypasses it, not the Datadog hosts behind it; a list
/// (<c>domains</c>) holds the proxy on its port; the proxy's own allow-list (Squid) and a domain list matching TLS and
/// HTTP names (Network Firewall) say in one line why the proxy is not in them.
/// </summary>
[TestFixture]
public class ProxyByNameTests
{
    private const string Proxied = """
        api_key: 0123456789abcdef0123456789abcdef
        logs_enabled: true
        proxy:
          https: http://proxy.internal:3128
        """;

    private static string Cilium(AgentPlan plan, bool byName = true) =>
        PlanRules.Build(plan, IpRangesDocument.Embedded, new AgentRuleOptions { AllowedByFormat = ["ntp"] }).Rules!
            .ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = byName, ClusterDestinations = [ClusterDestination.Ntp] });

    private static string ByName(string format, string yaml) => PlanRules.ByName(Plan(yaml)).Render(EmitterRegistry.Default.Create(format));

    [Test]
    public void CiliumByName_AgentBehindANamedProxy_AllowsTheProxyByNameOnItsPortAndNoDatadogHost()
    {
        string text = Cilium(Plan(Proxied));

        Assert.That(text, Does.Contain("- matchName: proxy.internal\n    toPorts:\n    - ports:\n      - port: \"3128\"\n        protocol: TCP\n"));
        Assert.That(text, Does.Not.Match(@"matchName: .*datadoghq\.com"), "the hosts behind the proxy are the proxy's to allow");
        Assert.That(text, Does.Contain("through the proxy proxy.internal (3128/tcp)"), "the header says why");
    }

    [Test]
    public void CiliumByName_NoProxyHost_IsAllowedByNameBesideTheProxy()
    {
        string text = Cilium(Plan(Proxied + "\n  no_proxy:\n    - agent-http-intake.logs.datadoghq.com.\n"));

        Assert.That(text, Does.Contain("- matchName: agent-http-intake.logs.datadoghq.com\n").And.Contain("- matchName: proxy.internal\n"));
        Assert.That(text, Does.Not.Contain("app.agent.datadoghq.com"), "metrics still go through the proxy");
    }

    [Test]
    public void CiliumByName_AgentPlan_AllowsTheNtpPoolByNameInTheNtpPolicy()
    {
        string text = Cilium(Plan(Proxied));

        string ntp = text.Split("---\n").Single(d => d.Contains("  name: datadog-egress-ntp\n", StringComparison.Ordinal));
        Assert.That(ntp, Does.Contain("- matchName: \"0.datadog.pool.ntp.org\"\n").And.Contain("- matchName: \"3.datadog.pool.ntp.org\"\n")
            .And.Contain("port: \"123\"\n        protocol: UDP"));
        Assert.That(text, Does.Not.Contain("- world"), "NTP by name takes the place of the world entity");
    }

    [Test]
    public void CiliumAddressForm_NamedProxyWithNtpLeftToTheFormat_RendersNtpAndDnsWithoutTheListenerError()
    {
        string text = Cilium(Plan(Proxied), byName: false);

        Assert.That(text, Does.Contain("  name: datadog-egress-ntp\n").And.Contain("- world\n").And.Contain("  name: datadog-egress-dns\n"));
        Assert.That(text, Does.Not.Contain("- cidr:"), "no address is known for the proxy");
    }

    [Test]
    public void CiliumByName_NamedProxyGivenAnAddress_AllowsTheAddressAndNotTheName()
    {
        RuleSet rules = PlanRules.Build(Plan(Proxied), IpRangesDocument.Embedded, new AgentRuleOptions
        {
            AllowedByFormat = ["ntp"],
            Networks = new Dictionary<string, PrefixSet> { ["proxy"] = PrefixSet.Parse("10.0.0.5/32") },
        }).Rules!;

        string text = rules.ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true, ClusterDestinations = [ClusterDestination.Ntp] });

        Assert.That(text, Does.Contain("- cidr: 10.0.0.5/32\n").And.Not.Contain("proxy.internal"));
    }

    [Test]
    public void Domains_AgentBehindANamedProxy_ListsTheProxyOnItsPort()
    {
        string[] lines = ByName("domains", Proxied).Split('\n');

        Assert.That(lines, Does.Contain("proxy.internal 3128/tcp proxy"));
    }

    [Test]
    public void Squid_AgentBehindANamedProxy_SaysInOneCommentThatTheProxyIsNoDestinationOfItself()
    {
        string text = ByName("squid", Proxied);

        string[] proxy = [.. text.Split('\n').Where(l => l.Contains("proxy.internal", StringComparison.Ordinal))];
        Assert.That(proxy, Is.EqualTo(new[] { "# not allowed: proxy.internal 3128/tcp (the agent's proxy): this is the proxy's own allow-list, " +
            "and the proxy is not a destination of itself" }));
        Assert.That(text, Does.Contain("dstdomain -n agent-http-intake.logs.datadoghq.com\n"), "what goes through the proxy is allowed");
    }

    [Test]
    public void AwsNetworkFirewall_AgentBehindANamedProxy_NotesWhyTheProxyIsNoTarget()
    {
        JsonNode template = JsonNode.Parse(ByName("aws-network-firewall", Proxied))!;
        string[] notes = [.. template["Metadata"]!["FirewallRules"]!["Notes"]!.AsArray().Select(n => (string)n!)];

        Assert.That(notes.Where(n => n.Contains("proxy.internal", StringComparison.Ordinal)).ToArray(), Has.Length.EqualTo(1)
            .And.Some.Contains("CONNECT requests to it name the Datadog hosts listed here"));
        Assert.That(template.ToJsonString(), Does.Not.Contain("\"proxy.internal\""), "not a target");
    }
}
