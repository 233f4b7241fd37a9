using FirewallRules.AgentConfig;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Rules;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Whether an agent's rules need its site's ip-ranges document (<see cref="PlanRules.NeedsDocument"/>), decided once for
/// every output: only when they hold prefixes of its sections. Rules built without one hold no Datadog range and say so.
/// </summary>
[TestFixture]
public class PlanDocumentNeedTests
{
    private const string Key = "api_key: 0123456789abcdef0123456789abcdef\nsite: datadoghq.eu\n";

    [Test]
    public void NeedsDocument_AgentReachingItsSectionsDirectly_NeedsItUnlessAllowedByName()
    {
        AgentPlan plan = Plan(Key + string.Empty);

        Assert.That((PlanRules.NeedsDocument(plan, sectionsByName: false), PlanRules.NeedsDocument(plan, sectionsByName: true)), Is.EqualTo((true, false)));
    }

    [Test]
    public void NeedsDocument_AgentSendingEverythingThroughItsProxy_NeedsNone()
    {
        AgentPlan plan = Plan(Key + "proxy:\n  https: http://10.9.9.9:3128\n  http: http://10.9.9.9:3128\n");

        Assert.That(PlanRules.NeedsDocument(plan, sectionsByName: false), Is.False);
    }

    [Test]
    public void Build_WithoutDocument_NamesTheAgentsSiteAndSaysItHoldsNoRanges()
    {
        AgentPlan plan = Plan(Key + string.Empty);

        RuleSet rules = PlanRules.Build(plan, null, new AgentRuleOptions()).Rules!;
        string text = rules.ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true });

        Assert.That(rules.Provenance.Version, Is.Null);
        Assert.That(text, Does.Contain("# No Datadog IP ranges: the Agent reaches Datadog (EU1 (datadoghq.eu)) by host name").And.Not.Contain("toCIDRSet"));
        Assert.That(text, Does.Contain("- matchName: config.datadoghq.eu\n"));
    }

    [Test]
    public void ProxyWithoutAddress_NamedProxyWithAndWithoutItsNetwork_IsTheProxyOnlyWithout()
    {
        AgentPlan plan = Plan(Key + "proxy:\n  https: http://proxy.internal:3128\n");
        var given = new AgentRuleOptions { Networks = new Dictionary<string, PrefixSet> { ["proxy"] = PrefixSet.Parse("10.9.9.9/32") } };

        Assert.That(PlanRules.ProxyWithoutAddress(plan, new AgentRuleOptions())?.HostName, Is.EqualTo("proxy.internal"));
        Assert.That(PlanRules.ProxyWithoutAddress(plan, given), Is.Null);
    }

    [Test]
    public void RelaysGivenByAddress_RulesByThatAddress_UnlessTheFormatAllowsThemItself()
    {
        AgentPlan plan = AgentConfiguration.Parse("process_config:\n  process_dd_url: https://192.168.7.7\napm_config:\n  apm_dd_url: https://[fd00::7]:8443\n",
            null, null, TestAgent.Version);

        (RuleSet? rules, IReadOnlyList<Omission> omitted) = PlanRules.Build(plan, IpRangesDocument.Embedded, new AgentRuleOptions());
        (RuleSet? byName, _) = PlanRules.Build(plan, IpRangesDocument.Embedded, new AgentRuleOptions { AllowedByFormat = [PlanRules.AddressRelays] });

        FirewallRule apm = rules!.Rules.Single(r => r.Direction == Direction.Egress && r.Sources.Contains("agent:apm"));
        Assert.That((apm.Port.First, apm.Prefixes.Contains(System.Net.IPAddress.Parse("fd00::7")), apm.Prefixes.IPv6.Count), Is.EqualTo((8443, true, 1)));
        Assert.That(rules.Rules.Single(r => r.Sources.Contains("agent:process")).Prefixes.Contains(System.Net.IPAddress.Parse("192.168.7.7")), Is.True);
        Assert.That(omitted.Select(o => o.Text), Has.None.Contains("192.168.7.7").And.None.Contains("fd00::7"));
        Assert.That(byName!.Rules.Where(r => r.Direction == Direction.Egress).SelectMany(r => r.Sources), Has.None.EqualTo("agent:apm").And.None.EqualTo("agent:process"));
    }

    [Test]
    public void ClusterAgentRelayGivenByAddress_NoRuleForTheNodeAgents()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, "DD_EXTERNAL_METRICS_PROVIDER_ENDPOINT=https://10.3.3.3:9443\n",
            "datadog:\n  apiKey: x\nclusterAgent:\n  metricsProvider:\n    enabled: true\n", TestAgent.Version);

        (RuleSet? rules, IReadOnlyList<Omission> omitted) = PlanRules.Build(plan, IpRangesDocument.Embedded, new AgentRuleOptions());

        Assert.That(plan.Destinations.Select(d => d.HostName), Does.Contain("10.3.3.3"));
        Assert.That(rules!.Rules.Where(r => r.Port.First == 9443), Is.Empty, "the node agents' rules would open the Cluster Agent's relay to them");
        Assert.That(omitted.Where(o => o.Kind == OmissionKind.ClusterAgentByAddress).Select(o => o.Text), Has.Some.Contains("10.3.3.3"));
    }
}
