using FirewallRules.Emitters;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The plan both GCP outputs render (gcp-firewall and terraform-gcp), without a tool: names, priorities, descriptions and
/// notes of the rules and of the denies GCP's implied rules need, and every limit refused with the option to change. The
/// expected rules are written out by hand from GCP's documented rule order (lower priority first; the implied allow-egress
/// at 65535), not computed by the planner.
/// </summary>
[TestFixture]
public class GcpFirewallPlanTests
{
    private static readonly string[] NameAndTags = ["datadog-agent"];

    private static readonly RuleSetProvenance Custom = new(null, 7, "2026-01-02-03-04-05", ["custom"], false);

    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    [Test]
    public void Plan_EgressAllowList_GetsTheDenyBelowEveryRuleAndIngressNone()
    {
        RuleSet logs = RuleSet.For(Version(30), Section.Agents, Section.Logs);

        GcpFirewallRule[] egress = [.. Plan(logs, new GcpFirewallOptions()).FirewallRules];
        GcpFirewallRule[] ingress = [.. Plan(RuleSet.For(Version(52), Section.Webhooks), new GcpFirewallOptions()).FirewallRules];

        Assert.That(egress.Where(r => r.IsPlannedDeny).Select(r => (r.Name, r.Priority, r.Ranges.Single().ToString())), Is.EqualTo(new[]
        {
            ("datadog-deny-other-egress-ipv4", 65533, "0.0.0.0/0"),
            ("datadog-deny-other-egress-ipv6", 65534, "::/0"),
        }));
        Assert.That(egress.Where(r => !r.IsPlannedDeny).Select(r => r.Priority), Is.Ordered.Ascending.And.Unique.And.All.LessThan(65533));
        Assert.That(ingress.Where(r => r.IsPlannedDeny), Is.Empty);
        Assert.That(Plan(logs, new GcpFirewallOptions { DenyOtherEgress = false }).FirewallRules.Where(r => r.IsPlannedDeny), Is.Empty);
    }

    [Test]
    public void Plan_ClosedPort_IsDeniedFromAnyAddressBeforeDefaultAllowInternal()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] });

        GcpFirewallRule[] rules = [.. Plan(listeners, new GcpFirewallOptions()).FirewallRules];

        Assert.That(rules.Where(r => r.IsPlannedDeny).Select(r => (r.Name, r.Priority, r.Ranges.Single().ToString(), r.GcloudRules)), Is.EqualTo(new[]
        {
            ("datadog-ingress-udp-8125-deny-others-ipv4", 65533, "0.0.0.0/0", "udp:8125"),
            ("datadog-ingress-udp-8125-deny-others-ipv6", 65534, "::/0", "udp:8125"),
        }));
    }

    [Test]
    public void Plan_MoreRangesThanARuleHolds_SplitsWithDistinctNamesAndPriorities()
    {
        RuleSet agents = RuleSet.For(Version(30), Section.Agents);

        GcpFirewallRule[] rules = [.. Plan(agents, new GcpFirewallOptions { MaxRangesPerRule = 100 }).FirewallRules.Where(r => !r.IsPlannedDeny)];

        Assert.That(rules.Select(r => r.Name), Is.EqualTo(new[]
        {
            "datadog-egress-tcp-443-ipv4-1", "datadog-egress-tcp-443-ipv4-2", "datadog-egress-tcp-443-ipv4-3", "datadog-egress-tcp-443-ipv4-4",
            "datadog-egress-tcp-443-ipv4-5", "datadog-egress-tcp-443-ipv6",
        }));
        Assert.That(rules.Select(r => r.Priority), Is.EqualTo(new[] { 1000, 1001, 1002, 1003, 1004, 1005 }));
        Assert.That(rules.SelectMany(r => r.Ranges), Is.EqualTo(agents.Prefixes));
    }

    [Test]
    public void Plan_TagsAndServiceAccountsTogether_AreRefusedNamingTheOptions()
    {
        var options = new GcpFirewallOptions { TargetTags = NameAndTags, TargetServiceAccounts = ["agent@project-1.iam.gserviceaccount.com"] };

        var ex = Assert.Throws<RuleGenerationException>(() => RuleSet.For(Version(52), Section.Logs).ToGcloudFirewall(options));

        Assert.That(ex!.Message, Does.StartWith("a GCP firewall rule targets network tags or service accounts, not both")
            .And.Contain("give GcpFirewallOptions.TargetTags or GcpFirewallOptions.TargetServiceAccounts"));
    }

    [TestCase("Datadog")]
    [TestCase("data_dog")]
    public void Plan_NameGcpRefuses_IsRefusedNamingTheOption(string name)
    {
        var ex = Assert.Throws<RuleGenerationException>(() => RuleSet.For(Version(52), Section.Logs).ToTerraformGcp(new GcpFirewallOptions { Name = name }));

        Assert.That(ex!.Message, Does.StartWith($"'{name}-egress-tcp-").And.Contain("' is not a GCP firewall rule name (").And.Contain("EmitterOptions.Name"));
    }

    [TestCase("Default")]
    [TestCase("net work")]
    [TestCase("net'; rm -rf /")]
    [TestCase("-net")]
    public void Options_NetworkOrTagGcpRefuses_AreRefused(string value)
    {
        Assert.Throws<ArgumentException>(() => _ = new GcpFirewallOptions { Network = value });
        Assert.Throws<ArgumentException>(() => _ = new GcpFirewallOptions { TargetTags = [value] });
    }

    [Test]
    public void Plan_PrioritiesPastTheDeny_AreRefused()
    {
        var ex = Assert.Throws<RuleGenerationException>(() => RuleSet.For(Version(30), Section.Agents).ToTerraformGcp(new GcpFirewallOptions { FirstPriority = 65533 }));

        Assert.That(ex!.Message, Does.Contain("GcpFirewallOptions.FirstPriority"));
    }

    [Test]
    public void Plan_SplitRule_NamesAndDescribesEachPartAndAnUnsplitFamilyNone()
    {
        GcpFirewallRule[] rules = [.. Plan(RuleSet.For(Version(30), Section.Agents), new GcpFirewallOptions { MaxRangesPerRule = 100 }).FirewallRules
            .Where(r => !r.IsPlannedDeny)];

        Assert.That(rules.Select(r => r.Description[r.Description.LastIndexOf('(')..]), Is.EqualTo(new[]
        {
            "(IPv4, part 1 of 5)", "(IPv4, part 2 of 5)", "(IPv4, part 3 of 5)", "(IPv4, part 4 of 5)", "(IPv4, part 5 of 5)", "(IPv6)",
        }));
        Assert.That(rules.Select(r => r.Description[..r.Description.LastIndexOf('(')]), Has.All.StartWith("allow egress to 443/tcp"));
    }

    [Test]
    public void Plan_EgressDenies_AreDescribedAndNotedWithTheirPriorities()
    {
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Parse("8125/udp"), PrefixSet.Parse("192.0.2.0/24"), ["relay"], closesPort: true),
            new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("198.51.100.0/24"), ["intake"]),
        ], Custom);

        GcpFirewallPlan plan = Plan(rules, new GcpFirewallOptions());

        Assert.That(plan.FirewallRules.Where(r => r.IsPlannedDeny).Select(r => (r.Name, r.Priority, r.Port?.ToString(), r.Description)), Is.EqualTo(new[]
        {
            ("datadog-egress-udp-8125-deny-others-ipv4", 65531, "8125/udp", "deny other egress to 8125/udp (closed port)"),
            ("datadog-egress-udp-8125-deny-others-ipv6", 65532, "8125/udp", "deny other egress to 8125/udp (closed port)"),
            ("datadog-deny-other-egress-ipv4", 65533, null, "deny other egress: only the rules above are allowed"),
            ("datadog-deny-other-egress-ipv6", 65534, null, "deny other egress: only the rules above are allowed"),
        }));
        Assert.That(plan.Notes, Is.EqualTo(new[]
        {
            "datadog-egress-udp-8125-deny-others-ipv4 (priority 65531) denies other egress to 8125/udp, a closed port (IPv4): another allow rule, " +
            "such as the default network's default-allow-internal, would let it in.",
            "datadog-egress-udp-8125-deny-others-ipv6 (priority 65532) denies other egress to 8125/udp, a closed port (IPv6): another allow rule, " +
            "such as the default network's default-allow-internal, would let it in.",
            "datadog-deny-other-egress-ipv4 (priority 65533) denies all other IPv4 egress: GCP's implied allow-egress rule (65535) would otherwise " +
            "let everything out, and the allow-list would restrict nothing.",
            "datadog-deny-other-egress-ipv6 (priority 65534) denies all other IPv6 egress: GCP's implied allow-egress rule (65535) would otherwise " +
            "let everything out, and the allow-list would restrict nothing.",
        }));
    }

    [Test]
    public void Plan_ClosedIngressPort_IsNotedAsIngress()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] });

        Assert.That(Plan(listeners, new GcpFirewallOptions()).Notes, Has.All.Contain(" denies other ingress on 8125/udp, a closed port ("));
    }

    [Test]
    public void Plan_EgressOfDeniesOnly_BesideIngressAllows_GetsNoDenyOfOtherEgress()
    {
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Egress, RuleAction.Deny, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["blocked"]),
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("198.51.100.0/24"), ["webhooks"]),
        ], Custom);

        Assert.That(Plan(rules, new GcpFirewallOptions()).FirewallRules.Where(r => r.IsPlannedDeny), Is.Empty);
    }

    [Test]
    public void Plan_EgressAllowsBesideEgressDenies_GetsTheDenyOfOtherEgress()
    {
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Egress, RuleAction.Deny, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["blocked"]),
            new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("198.51.100.0/24"), ["intake"]),
        ], Custom);

        Assert.That(Plan(rules, new GcpFirewallOptions()).FirewallRules.Where(r => r.IsPlannedDeny).Select(r => r.Name),
            Is.EqualTo(new[] { "datadog-deny-other-egress-ipv4", "datadog-deny-other-egress-ipv6" }));
    }

    [Test]
    public void Plan_TagsOrServiceAccountsAlone_AreEachAccepted()
    {
        RuleSet logs = RuleSet.For(Version(52), Section.Logs);

        Assert.That(Plan(logs, new GcpFirewallOptions { TargetTags = NameAndTags }).FirewallRules, Is.Not.Empty);
        Assert.That(Plan(logs, new GcpFirewallOptions { TargetServiceAccounts = ["agent@project-1.iam.gserviceaccount.com"] }).FirewallRules, Is.Not.Empty);
    }

    [TestCase(65532, null)]
    [TestCase(65533, "the 1 egress rules need priorities up to 65533, past the deny rules' 65533")]
    public void Plan_LastRuleAtTheFirstDenysPriority_IsRefused(int firstPriority, string? refusal)
    {
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("198.51.100.0/24"), ["intake"])], Custom);

        AssertRefusal(() => Plan(rules, new GcpFirewallOptions { FirstPriority = firstPriority }), refusal, "GcpFirewallOptions.FirstPriority");
    }

    [TestCase(65534, null)]
    [TestCase(65535, "the 2 ingress rules need priorities up to 65536, past GCP's 65535")]
    public void Plan_WithoutDenies_RulesPastGcpsLastPriority_AreRefused(int firstPriority, string? refusal)
    {
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("198.51.100.0/24\n2001:db8::/32"), ["webhooks"])], Custom);

        AssertRefusal(() => Plan(rules, new GcpFirewallOptions { FirstPriority = firstPriority }), refusal, "GcpFirewallOptions.MaxRangesPerRule");
    }

    [TestCase(1, "the 2 egress rules need priorities up to 1, past the deny rules' 0", "GcpFirewallOptions.FirstPriority")]
    [TestCase(0, "the 2 egress deny rules need priorities below 0", "GcpFirewallOptions.DenyPriority")]
    public void Plan_DeniesFromTheLowestPriorities_AreRefusedBelowZero(int denyPriority, string refusal, string option)
    {
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("198.51.100.0/24\n2001:db8::/32"), ["intake"])], Custom);

        AssertRefusal(() => Plan(rules, new GcpFirewallOptions { FirstPriority = 0, DenyPriority = denyPriority }), refusal, option);
    }

    private static void AssertRefusal(Func<GcpFirewallPlan> plan, string? refusal, string option)
    {
        if (refusal is null)
        {
            Assert.That(plan().FirewallRules, Is.Not.Empty);
            return;
        }

        var ex = Assert.Throws<RuleGenerationException>(() => plan());
        Assert.That(ex!.Message, Does.StartWith(refusal).And.Contain(option));
    }

    private static GcpFirewallPlan Plan(RuleSet rules, GcpFirewallOptions options) => GcpFirewallPlan.Create(PreparedRules.For(rules, new GcloudFirewallEmitter(options)), options);
}
