using FirewallRules.Rules;

namespace FirewallRules.Tests.Rules;

[TestFixture]
public class RuleSetTests
{
    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    [Test]
    public void For_LogsOnTheEmbeddedSnapshot_IsEgressOnHttpsAndLogsTcp()
    {
        RuleSet rules = RuleSet.For(Section.Logs);

        Assert.That(rules.Rules.Select(r => r.Name), Is.EqualTo(new[] { "egress-tcp-443", "egress-tcp-10516" }));
        Assert.That(rules.Rules.Select(r => r.Prefixes.ToString()), Has.All.EqualTo("3.233.144.0/20\n2600:1f18:24e6:b900::/56\n"));
        Assert.That(rules.Provenance.IsEmbeddedSnapshot, Is.True);
        Assert.That(rules.Provenance.Describe(), Does.Contain("Source: Datadog ip-ranges version 59, modified 2024-10-17T00:00:00Z, site US1 (datadoghq.com)."));
    }

    [Test]
    public void For_RemoteConfiguration_IsEgressOnHttpsAndItsSecondPort()
    {
        // Datadog's network page: 8042/tcp for Remote Configuration, Agent 7.80 and later.
        Assert.That(RuleSet.For(Section.RemoteConfiguration).Rules.Select(r => r.Name), Is.EqualTo(new[] { "egress-tcp-443", "egress-tcp-8042" }));
        Assert.That(RuleSet.For(Section.Agents).Rules.Select(r => r.Name), Is.EqualTo(new[] { "egress-tcp-443" }));
    }

    [Test]
    public void For_SectionsSharingAPort_ShareOneRuleWithEachPrefixOnce()
    {
        IpRangesDocument v40 = Version(40);

        RuleSet rules = RuleSet.For(v40, Section.Logs, Section.Apm, Section.Agents);

        FirewallRule https = rules.Rules.Single(r => r.Port == PortRange.Https);
        Assert.That(https.Sources, Is.EqualTo(new[] { "agents", "apm", "logs" }));
        Assert.That(https.Prefixes, Is.EqualTo(v40[Section.Logs].Prefixes.Union(v40[Section.Apm].Prefixes).Union(v40[Section.Agents].Prefixes)));
        Assert.That(rules.Rules.Single(r => r.Port.First == 10516).Prefixes, Is.EqualTo(v40[Section.Logs].Prefixes));
    }

    [Test]
    public void For_NestedPrefixAcrossSections_IsAggregatedAway()
    {
        // v36: orchestrator lists 3.233.147.160/28, inside 3.233.144.0/20 from other sections (data/PROVENANCE.md).
        IpRangesDocument v36 = Version(36);

        RuleSet rules = RuleSet.For(v36, Section.Orchestrator, Section.Global);

        Assert.That(rules.Rules.Single().Prefixes.IPv4.Count, Is.EqualTo(v36[Section.Global].Prefixes.IPv4.Count));
        Assert.That(rules.Prefixes.Contains(System.Net.IPNetwork.Parse("3.233.147.160/28")), Is.True);
    }

    [Test]
    public void Prefixes_ReadTwice_IsTheUnionOfEveryRuleWorkedOutOnce()
    {
        RuleSet rules = RuleSet.For(Version(40), Section.Logs, Section.Apm, Section.Agents);

        PrefixSet prefixes = rules.Prefixes;

        Assert.That(prefixes, Is.EqualTo(rules.Rules.Select(r => r.Prefixes).Aggregate((all, next) => all.Union(next))));
        Assert.That(rules.Prefixes, Is.SameAs(prefixes), "kept from the first read");
    }

    [Test]
    public void All_Egress_CoversEveryEgressSectionOfTheDocument()
    {
        RuleSet rules = RuleSet.All(Version(52));

        Assert.That(rules.Provenance.Sections, Is.EqualTo(new[] { "agents", "api", "apm", "global", "logs", "orchestrator", "process", "synthetics-private-locations" }));
        Assert.That(rules.Rules.All(r => r.Direction == Direction.Egress), Is.True);
    }

    [Test]
    public void All_Ingress_IsWebhooksAndSynthetics()
    {
        RuleSet rules = RuleSet.All(Version(52), Direction.Ingress);

        Assert.That(rules.Provenance.Sections, Is.EqualTo(new[] { "synthetics", "webhooks" }));
        Assert.That(rules.Rules.Single().Name, Is.EqualTo("ingress-tcp-443"));
    }

    [Test]
    public void For_Overrides_ReplaceDirectionPortsAndAction()
    {
        var options = new RuleSetOptions { Direction = Direction.Ingress, Ports = [PortRange.Parse("8443/tcp"), PortRange.Parse("8125/udp")], Action = RuleAction.Deny };

        RuleSet rules = RuleSet.For(Version(52), ["webhooks"], options);

        Assert.That(rules.Rules.Select(r => r.Name), Is.EqualTo(new[] { "ingress-tcp-8443", "ingress-udp-8125" }));
        Assert.That(rules.Rules.Select(r => r.Description), Has.All.StartWith("deny ingress on "));
    }

    [Test]
    public void For_SectionMissingFromTheDocument_IsRefusedNamingWhatExists()
    {
        Assert.That(() => RuleSet.For(Version(27), Section.Orchestrator), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("has no section 'orchestrator'"));
    }

    [Test]
    public void For_EmptySection_IsRefusedNotRenderedAsNothing()
    {
        IpRangesDocument empty = IpRangesDocument.Parse("""{"version": 53, "logs": {"prefixes_ipv4": [], "prefixes_ipv6": []}}""");

        Assert.That(() => RuleSet.For(empty, Section.Logs), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("lists no prefixes: refusing to build an allow-list of nothing"));
    }

    [Test]
    public void ForFamilies_SectionWithoutIPv6_IsRefusedForIPv6()
    {
        RuleSet webhooks = RuleSet.For(Version(52), Section.Webhooks);

        Assert.That(webhooks.ForFamilies(AddressFamilies.IPv4).Rules, Has.Count.EqualTo(1));
        Assert.That(() => webhooks.ForFamilies(AddressFamilies.IPv6), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("webhooks list no IPv6 prefixes"));
    }

    [Test]
    public void WithPrefixBudget_LongList_FitsAndReportsTheExtraAddresses()
    {
        RuleSet agents = RuleSet.For(Version(30), Section.Agents); // 437 IPv4 prefixes as listed

        RuleSet budgeted = agents.WithPrefixBudget(20);

        FirewallRule rule = budgeted.Rules.Single();
        Assert.That(rule.Prefixes.IPv4.Count, Is.LessThanOrEqualTo(20));
        Assert.That(agents.Prefixes.IsSubsetOf(budgeted.Prefixes), Is.True, "every Datadog address is still allowed");
        Assert.That(budgeted.ExtraIPv4Addresses, Is.EqualTo(rule.Prefixes.IPv4AddressCount - agents.Prefixes.IPv4AddressCount));
        Assert.That(budgeted.ExtraIPv4Addresses, Is.EqualTo(agents.Rules.Single().Prefixes.IPv4.Summarize(20).ExtraIPv4Addresses), "the optimal summary");
    }

    [Test]
    public void Describe_Budgeted_AddsWhatTheBudgetCostToTheProvenance()
    {
        RuleSet agents = RuleSet.For(Version(30), Section.Agents);
        RuleSet budgeted = agents.WithPrefixBudget(20);

        Assert.That(agents.Describe(), Is.EqualTo(agents.Provenance.Describe()), "nothing to report without a budget");
        Assert.That(budgeted.Describe()[^1], Is.EqualTo(
            $"A prefix budget summarised the lists: they allow {budgeted.ExtraIPv4Addresses} IPv4 and 0 IPv6 addresses beyond the listed ranges."));
    }

    [Test]
    public void ForFamilies_Budgeted_KeepsOnlyTheCostOfTheFamiliesLeft()
    {
        RuleSet budgeted = RuleSet.For(Version(30), Section.Agents).WithPrefixBudget(20); // only IPv4 needs summarising

        RuleSet ipv4 = budgeted.ForFamilies(AddressFamilies.IPv4);
        RuleSet ipv6 = budgeted.ForFamilies(AddressFamilies.IPv6);

        Assert.That(ipv4.ExtraIPv4Addresses, Is.EqualTo(budgeted.ExtraIPv4Addresses).And.GreaterThan(UInt128.Zero));
        Assert.That(ipv6.ExtraIPv4Addresses, Is.EqualTo(UInt128.Zero));
        Assert.That(ipv6.ExtraIPv6Addresses, Is.EqualTo(UInt128.Zero));
        Assert.That(ipv6.Describe(), Is.EqualTo(ipv6.Provenance.Describe()), "the IPv6 rules allow nothing extra, so there is nothing to report");
    }

    [TestCase("0.0.0.0/0")]
    [TestCase("0.0.0.0/1\n128.0.0.0/1")]
    [TestCase("::/0")]
    public void FirewallRule_WholeAddressSpace_IsRefused(string prefixes)
    {
        Assert.That(() => new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse(prefixes), ["custom"]),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("covers every address"));
    }

    [Test]
    public void WithPrefixBudget_SyntheticsToOnePrefix_NeverWidensBeyondASlash8()
    {
        // v52 synthetics spans many /8s: one prefix could only be 0.0.0.0/1 or wider, which a rule must never allow.
        RuleSet synthetics = RuleSet.For(Version(52), Section.Synthetics);

        Assert.That(() => synthetics.WithPrefixBudget(1), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("shorter than /8"));
        RuleSet budgeted = synthetics.WithPrefixBudget(40);
        Assert.That(budgeted.Prefixes.IPv4.Select(p => p.PrefixLength), Has.All.GreaterThanOrEqualTo(8));
        Assert.That(synthetics.Prefixes.IsSubsetOf(budgeted.Prefixes), Is.True);
    }

    [TestCase("192.0.2.0/24\n2001:db8::/32\n2a00:1::/32\n2c0f:f000::/32", "2 IPv6 prefixes cannot cover its addresses without prefixes shorter than /16")]
    [TestCase("10.0.0.0/24\n11.0.0.0/24\n12.0.0.0/24\n2001:db8::/32", "2 IPv4 prefixes cannot cover its addresses without prefixes shorter than /8")]
    public void WithPrefixBudget_TooSmallForOneFamily_NamesThatFamily(string prefixes, string expected)
    {
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse(prefixes), ["custom"])],
            new RuleSetProvenance(null, null, null, ["custom"], false));

        Assert.That(() => rules.WithPrefixBudget(2), Throws.TypeOf<RuleGenerationException>().With.Message.Contains(expected));
    }

    [Test]
    public void For_NoSection_AdvisesTheSectionsParameterNotACommand()
    {
        RuleGenerationException refusal = Assert.Throws<RuleGenerationException>(() => RuleSet.For(Version(52), Array.Empty<string>()))!;

        Assert.That(refusal.Message, Is.EqualTo("no section was selected: name at least one with RuleSet.For(sections)"));
        Assert.That(refusal.FormatMessage(setting => "--section"), Is.EqualTo("no section was selected: name at least one with --section"));
    }

    [Test]
    public void For_EmptyPortList_IsRefusedRatherThanRenderingNoRule()
    {
        Assert.That(() => RuleSet.For(Version(52), ["logs"], new RuleSetOptions { Ports = [] }),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("no port was given"));
    }

    [Test]
    public void FirewallRule_SourcesChangedAfterwards_DoNotChangeTheRule()
    {
        string[] sources = ["logs"];
        var rule = new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.144.0/20"), sources);

        sources[0] = "x\"; rm -rf /";

        Assert.That(rule.Sources, Is.EqualTo(new[] { "logs" }));
    }

    [Test]
    public void FirewallRule_SourceNameWithScriptCharacters_IsRefused()
    {
        Assert.That(() => new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["x\"; rm -rf /"]),
            Throws.TypeOf<RuleGenerationException>());
    }

    [Test]
    public void FirewallRule_DenyClosingItsPort_IsRefused()
    {
        Assert.That(() => new FirewallRule(Direction.Ingress, RuleAction.Deny, PortRange.Parse("8125/udp"), PrefixSet.Parse("192.0.2.0/24"), ["custom"], closesPort: true),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("only an allow rule can"));
    }

    [Test]
    public void ClosedPorts_RuleWithoutTheFamily_StayClosedThroughFamiliesAndBudgets()
    {
        // The closing rule has no IPv6 prefix, so no IPv6 address may use 8125/udp: ip6tables still needs the drop.
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8125/udp"), PrefixSet.Parse("127.0.0.1/32"), ["custom"], closesPort: true),
            new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24\n2001:db8::/32"), ["other"]),
        ], new RuleSetProvenance(null, null, null, ["custom", "other"], false));

        RuleSet ipv6 = rules.ForFamilies(AddressFamilies.IPv6).WithPrefixBudget(1);

        Assert.That(ipv6.Rules.Select(r => r.Name), Is.EqualTo(new[] { "egress-tcp-443" }));
        Assert.That(ipv6.ClosedPorts, Is.EqualTo(new[] { (Direction.Ingress, PortRange.Parse("8125/udp")) }));
        Assert.That(ipv6.Directions, Is.EqualTo(new[] { Direction.Egress, Direction.Ingress }));
        Assert.That(RuleSet.For(Version(52), Section.Logs).ClosedPorts, Is.Empty, "Datadog's ranges leave other traffic on their ports to your policy");
    }

    [TestCase("443", "443/tcp")]
    [TestCase("8125/udp", "8125/udp")]
    [TestCase("8000-8100/TCP", "8000-8100/tcp")]
    public void PortRange_Parse_ReadsWhatPeopleWrite(string text, string expected)
    {
        Assert.That(PortRange.Parse(text).ToString(), Is.EqualTo(expected));
    }

    [TestCase("0")]
    [TestCase("65536")]
    [TestCase("443/icmp")]
    [TestCase("100-10")]
    [TestCase("0443")]
    public void PortRange_Parse_RejectsWhatIsNotAPort(string text)
    {
        Assert.That(() => PortRange.Parse(text), Throws.TypeOf<FormatException>());
    }
}
