using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Tests.PrivateLink;

[TestFixture]
public class PrivateLinkPlanTests
{
    private static readonly PrefixSet Agents = PrefixSet.Parse("10.0.0.0/16\nfd12:3456::/48");
    private static readonly PrefixSet Subnets = PrefixSet.Parse("10.1.0.0/24\n10.1.1.0/24");

    private static PrivateLinkPlan Plan(Site site, PrivateLinkMode mode = PrivateLinkMode.SameRegion, DocumentationSource? prefer = null, params DatadogService[] services) =>
        PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = site,
            AgentNetworks = Agents,
            EndpointSubnets = Subnets,
            Mode = mode,
            PreferredSource = prefer,
            Services = services.Length > 0 ? services : null,
        });

    [TestCase("us3", "it offers Azure Private Link in westus2 instead")]
    [TestCase("us5", "it offers Google Cloud Private Service Connect in us-central1 instead")]
    [TestCase("eu1", "it offers Google Cloud Private Service Connect in europe-west3 instead")]
    [TestCase("us1-fed", "US1-FED (ddog-gov.com) does not offer AWS PrivateLink. ")]
    [TestCase("us2-fed", "US2-FED (us2.ddog-gov.com) does not offer AWS PrivateLink. ")]
    public void Create_SiteWithoutAwsPrivateLink_IsRefusedNamingTheSitesThatHaveIt(string site, string alternative)
    {
        var refusal = Assert.Throws<RuleGenerationException>(() => Plan(Site.Parse(site)));

        Assert.That(refusal.Message, Does.Contain(alternative)
            .And.Contain("AWS PrivateLink: US1 (us-east-1), AP1 (ap-northeast-1), AP2 (ap-southeast-2), UK1 (eu-west-2)")
            .And.Contain("Azure Private Link: US3 (westus2)")
            .And.Contain("Google Cloud Private Service Connect: US5 (us-central1), EU1 (europe-west3)"));
    }

    [Test]
    public void Create_CrossRegionWhereTheDocumentationDescribesNone_IsRefused()
    {
        var refusal = Assert.Throws<RuleGenerationException>(() => Plan(Site.UK1, PrivateLinkMode.CrossRegion));

        Assert.That(refusal.Message, Does.StartWith("Datadog documents cross-region endpoints for US1, AP1, AP2, not for UK1"));
        Assert.That(Plan(Site.UK1, PrivateLinkMode.PeeredVpc).Mode, Is.EqualTo(PrivateLinkMode.PeeredVpc), "peering works for every AWS site");
    }

    [TestCase("", "10.1.0.0/24", "no agent network was given, and an allow-list of nothing is refused: name at least one with PrivateLinkOptions.AgentNetworks")]
    [TestCase("10.0.0.0/16", "", "no endpoint subnet was given, and an allow-list of nothing is refused: name at least one with PrivateLinkOptions.EndpointSubnets")]
    [TestCase("0.0.0.0/0", "10.1.0.0/24", "agent network 0.0.0.0/0 is wider than /8")]
    [TestCase("::/0", "10.1.0.0/24", "agent network ::/0 is wider than /16")]
    [TestCase("10.0.0.0/7", "10.1.0.0/24", "agent network 10.0.0.0/7 is wider than /8")]
    [TestCase("10.0.0.0/16", "10.0.0.0/15", "endpoint subnet 10.0.0.0/15 is wider than /16")]
    [TestCase("10.0.0.0/16", "2600:1f18::/40", "endpoint subnet 2600:1f18::/40 is wider than /44")]
    [TestCase("3.233.144.0/24", "10.1.0.0/24", "agent network 3.233.144.0/24 overlaps Datadog's public ranges")]
    [TestCase("10.0.0.0/16", "3.233.144.0/20", "endpoint subnet 3.233.144.0/20 overlaps Datadog's public ranges")]
    [TestCase("10.0.0.0/16", "2600:1f18:24e6:b900::/64", "endpoint subnet 2600:1f18:24e6:b900::/64 overlaps Datadog's public ranges")]
    public void Create_UnsafeNetworks_AreRefused(string agents, string subnets, string reason)
    {
        var refusal = Assert.Throws<RuleGenerationException>(() => PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = Site.US1,
            AgentNetworks = PrefixSet.Parse(agents),
            EndpointSubnets = PrefixSet.Parse(subnets),
        }));

        Assert.That(refusal.Message, Does.StartWith(reason));
    }

    [Test]
    public void Create_EmptyServiceList_IsRefused()
    {
        Assert.That(() => PrivateLinkPlan.Create(new PrivateLinkOptions { Site = Site.US1, AgentNetworks = Agents, EndpointSubnets = Subnets, Services = [] }),
            Throws.TypeOf<RuleGenerationException>().With.Message.StartsWith("no service was selected"));
    }

    [Test]
    public void Rules_AcceptTheAgentsAndReachTheSubnets_On443TcpOnly()
    {
        PrivateLinkPlan plan = Plan(Site.AP1);

        Assert.That(plan.EndpointRules.Rules.Select(r => (r.Direction, r.Action, r.Port, r.Prefixes)),
            Is.EqualTo(new[] { (Direction.Ingress, RuleAction.Allow, PortRange.Https, Agents) }));
        Assert.That(plan.AgentRules.Rules.Select(r => (r.Direction, r.Action, r.Port, r.Prefixes)),
            Is.EqualTo(new[] { (Direction.Egress, RuleAction.Allow, PortRange.Https, Subnets) }));
        Assert.That(plan.Rules.Rules, Is.EqualTo(plan.AgentRules.Rules.Concat(plan.EndpointRules.Rules)));
        Assert.That(plan.Rules.Provenance.Site, Is.EqualTo(Site.AP1));
        Assert.That(plan.Rules.Provenance.Sections, Is.EqualTo(new[] { "privatelink-ap1:agent-networks", "privatelink-ap1:endpoint-subnets" }));
    }

    [TestCase(PrivateLinkMode.SameRegion, 2)]
    [TestCase(PrivateLinkMode.CrossRegion, 2)]
    [TestCase(PrivateLinkMode.PeeredVpc, 1)]
    public void EndpointVpcRules_LeaveOutTheAgentsOnlyForAPeeredVpc(PrivateLinkMode mode, int rules)
    {
        PrivateLinkPlan plan = Plan(Site.US1, mode);

        Assert.That(plan.EndpointVpcRules.Rules, Has.Count.EqualTo(rules));
        Assert.That(plan.EndpointVpcRules.Rules, Has.Some.Matches<FirewallRule>(r => r.Direction == Direction.Ingress && r.Prefixes == Agents));
    }

    [Test]
    public void Resolve_SourcesDisagreeAndNoneIsPreferred_IsRefusedNamingBothValues()
    {
        PrivateLinkPlan plan = Plan(Site.US1);

        var refusal = Assert.Throws<RuleGenerationException>(() => plan.ResolveInterfaceEndpoints());

        Assert.That(refusal.Message, Does.Contain("api (regions.config.js: com.amazonaws.vpce.us-east-1.vpce-svc-064ea718f8d0ead77 for api.datadoghq.com vs " +
            "the VPC endpoint service table: com.amazonaws.vpce.us-east-1.vpce-svc-07895350fd0109264 for orchid.intake.datadoghq.com)")
            .And.Contain("traces (regions.config.js: com.amazonaws.vpce.us-east-1.vpce-svc-0355bb1880dfa09c2")
            .And.Contain(
                "choose a source with PrivateLinkOptions.PreferredSource = DocumentationSource.EndpointTable (the newer) " +
                "or PrivateLinkOptions.PreferredSource = DocumentationSource.RegionsConfig"));
        Assert.That(plan.Endpoints, Has.Count.EqualTo(10), "the plan itself, and its rules, need no choice");
    }

    [TestCase(DocumentationSource.EndpointTable, "com.amazonaws.vpce.us-east-1.vpce-svc-07895350fd0109264", "com.amazonaws.vpce.us-east-1.vpce-svc-064ea718f8d0ead77")]
    [TestCase(DocumentationSource.RegionsConfig, "com.amazonaws.vpce.us-east-1.vpce-svc-064ea718f8d0ead77", "com.amazonaws.vpce.us-east-1.vpce-svc-07895350fd0109264")]
    public void Resolve_PreferredSource_IsUsedAndTheOtherValueNoted(DocumentationSource prefer, string used, string other)
    {
        InterfaceEndpoint api = Plan(Site.US1, prefer: prefer, services: DatadogService.Api).ResolveInterfaceEndpoints().Single();

        Assert.That(api.ServiceName, Is.EqualTo(used));
        Assert.That(api.Sources, Is.EqualTo(new[] { prefer }));
        Assert.That(api.Choices.Single(), Does.Contain($"this uses {used}").And.Contain($"lists {other}"));
    }

    [Test]
    public void Resolve_NoDisagreementSelected_NeedsNoPreference()
    {
        InterfaceEndpoint metrics = Plan(Site.US1, services: DatadogService.Metrics).ResolveInterfaceEndpoints().Single();

        Assert.That((metrics.ServiceName, metrics.PrivateDnsNames.Single()), Is.EqualTo(PrivateLinkData.Expected("us1", "metrics", preferTable: false)));
        Assert.That(metrics.Choices, Is.Empty);
    }

    [Test]
    public void Resolve_TwoIntakesOnOneService_ShareOneEndpoint()
    {
        // AP2's agent and user log intakes are one endpoint service behind one name.
        IReadOnlyList<InterfaceEndpoint> endpoints = Plan(Site.AP2, services: [DatadogService.LogsUser, DatadogService.LogsAgent, DatadogService.Api]).ResolveInterfaceEndpoints();

        Assert.That(endpoints.Select(e => (e.Key, e.PrivateDnsNames.Count)), Is.EqualTo(new[] { ("logs-agent-logs-user", 1), ("api", 1) }));
    }

    [Test]
    public void Resolve_RegionsConfigForAp2Metrics_SharesTheProcessServiceWithBothNames()
    {
        // regions.config.js gives AP2 metrics the process service: one endpoint then answers for both DNS names.
        InterfaceEndpoint shared = Plan(Site.AP2, prefer: DocumentationSource.RegionsConfig, services: [DatadogService.Metrics, DatadogService.Process])
            .ResolveInterfaceEndpoints().Single();

        Assert.That(shared.Key, Is.EqualTo("metrics-process"));
        Assert.That(shared.PrivateDnsNames, Is.EqualTo(new[] { "beige.intake.ap2.datadoghq.com", "bisque.intake.ap2.datadoghq.com" }));
    }
}
