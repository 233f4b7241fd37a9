using System.Net;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>The iptables, ip6tables, ipset and script outputs' rules and limits, without the tools.</summary>
[TestFixture]
public class IptablesEmitterTests
{
    private static readonly RuleSetProvenance Custom = new(null, 7, "2026-01-02-03-04-05", ["custom"], false);

    [Test]
    public void ToIptables_EmbeddedLogs_SaysWhereTheRangesCameFromAndHowToApply()
    {
        string text = RuleSet.For(Section.Logs).ToIptables();

        Assert.That(text, Does.StartWith("# datadog: Datadog egress rules for iptables-restore (IPv4, filter table).\n"));
        Assert.That(text, Does.Contain("# Source: Datadog ip-ranges version 59, modified 2024-10-17T00:00:00Z, site US1 (datadoghq.com).\n"));
        Assert.That(text, Does.Contain("# This is the snapshot shipped with the package, not the live list"));
        Assert.That(text, Does.Contain("#   iptables -w -C OUTPUT -j datadog-egress 2>/dev/null || iptables -w -I OUTPUT -j datadog-egress\n"));
        Assert.That(text, Does.EndWith(
            "*filter\n:datadog-egress - [0:0]\n" +
            "-A datadog-egress -d 3.233.144.0/20 -p tcp -m tcp --dport 443 -m comment --comment \"datadog: allow egress to 443/tcp for logs (ip-ranges v59)\" -j ACCEPT\n" +
            "-A datadog-egress -d 3.233.144.0/20 -p tcp -m tcp --dport 10516 -m comment --comment \"datadog: allow egress to 10516/tcp for logs (ip-ranges v59)\" -j ACCEPT\n" +
            "COMMIT\n"));
    }

    [Test]
    public void ToIptables_IngressDenyRangeOfUdpPorts_MatchesSourcesAndDrops()
    {
        RuleSet rules = Rules(Direction.Ingress, RuleAction.Deny, new PortRange(TransportProtocol.Udp, 8000, 8100), "192.0.2.0/24");

        string text = rules.ToIptables(new IptablesEmitterOptions { Name = "dd", Comments = false, IngressHook = "FORWARD" });

        Assert.That(text, Is.EqualTo("*filter\n:dd-ingress - [0:0]\n-A dd-ingress -s 192.0.2.0/24 -p udp -m udp --dport 8000:8100 -j DROP\nCOMMIT\n"));
    }

    [Test]
    public void ToIptables_IngressHook_IsTheJumpInTheHeader()
    {
        string text = Rules(Direction.Ingress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24").ToIptables(new IptablesEmitterOptions { IngressHook = "FORWARD" });

        Assert.That(text, Does.Contain("#   iptables -w -C FORWARD -j datadog-ingress 2>/dev/null || iptables -w -I FORWARD -j datadog-ingress\n"));
    }

    [Test]
    public void ToIp6tables_UseIpset_OneRulePerPortMatchingTheFamilysSet()
    {
        string text = RuleSet.For(Section.Logs).ToIp6tables(new IptablesEmitterOptions { UseIpset = true, Comments = false });

        Assert.That(text, Is.EqualTo(
            "*filter\n:datadog-egress - [0:0]\n" +
            "-A datadog-egress -p tcp -m tcp --dport 443 -m set --match-set datadog-e443-tcp6 dst -j ACCEPT\n" +
            "-A datadog-egress -p tcp -m tcp --dport 10516 -m set --match-set datadog-e10516-tcp6 dst -j ACCEPT\n" +
            "COMMIT\n"));
    }

    [Test]
    public void ToIp6tables_SectionWithoutIPv6_IsRefused()
    {
        RuleSet webhooks = RuleSet.For(Section.Webhooks);

        Assert.That(() => webhooks.ToIp6tables(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("webhooks list no IPv6 prefixes"));
    }

    [Test]
    public void ToIptables_OptionsAskForTheOtherFamily_IsRefusedNamingTheRightFormat()
    {
        Assert.That(() => RuleSet.For(Section.Logs).ToIptables(new IptablesEmitterOptions { Families = AddressFamilies.IPv6 }),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("use ip6tables"));
    }

    [Test]
    public void IptablesEmitter_BothFamilies_IsRejected()
    {
        Assert.That(() => new IptablesEmitter(AddressFamilies.Both), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ToIptables_ManyLongSources_NamesFewerSectionsWithinTheKernelsLimitAndKeepsTheVersion()
    {
        string[] sources = Enumerable.Range(0, 10).Select(i => $"section-{i}-{new string('x', 50)}").ToArray();
        var rule = new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), sources);
        RuleSet rules = RuleSet.Create([rule], Custom);

        string line = Readback.RenderedRules(rules.ToIptables()).Single();
        string comment = line.Split('"')[1];

        Assert.That(comment, Has.Length.LessThanOrEqualTo(255).And.Match(@" and \d+ more \(ip-ranges v\d+\)$"));
    }

    [Test]
    public void ToIptables_PrefixBudget_ReportsTheExtraAddressesInTheHeader()
    {
        IpRangesDocument v30 = IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v30.json"));

        string text = RuleSet.For(v30, Section.Agents).ToIptables(new IptablesEmitterOptions { MaxPrefixesPerRule = 10 });

        Assert.That(Readback.RenderedRules(text), Has.Length.EqualTo(10));
        Assert.That(text, Does.Match(@"# A prefix budget summarised the lists: they allow [1-9]\d* IPv4 and 0 IPv6 addresses beyond the listed ranges\.\n"));
    }

    [TestCase("OUTPUT; reboot")]
    [TestCase("OUTPUT\n-A INPUT -j ACCEPT")]
    [TestCase("")]
    [TestCase("A-chain-name-longer-than-28-chars")]
    public void IptablesEmitterOptions_UnsafeHook_IsRejected(string hook)
    {
        Assert.That(() => new IptablesEmitterOptions { EgressHook = hook }, Throws.ArgumentException);
        Assert.That(() => new IptablesEmitterOptions { IngressHook = hook }, Throws.ArgumentException);
    }

    [Test]
    public void ToIpset_Logs_LoadsEachSetIntoATemporaryTwinAndSwapsThenTheVersionMark()
    {
        string text = RuleSet.For(Section.Logs).ToIpset(new IptablesEmitterOptions { Comments = false, Families = AddressFamilies.IPv4 });

        Assert.That(text, Is.EqualTo(
            "create datadog-e443-tcp4 hash:net family inet hashsize 64 maxelem 65536 -exist\n" +
            "create datadog-e443-tcp4-tmp hash:net family inet hashsize 64 maxelem 65536 -exist\n" +
            "flush datadog-e443-tcp4-tmp\n" +
            "add datadog-e443-tcp4-tmp 3.233.144.0/20\n" +
            "swap datadog-e443-tcp4-tmp datadog-e443-tcp4\n" +
            "destroy datadog-e443-tcp4-tmp\n" +
            "create datadog-e10516-tcp4 hash:net family inet hashsize 64 maxelem 65536 -exist\n" +
            "create datadog-e10516-tcp4-tmp hash:net family inet hashsize 64 maxelem 65536 -exist\n" +
            "flush datadog-e10516-tcp4-tmp\n" +
            "add datadog-e10516-tcp4-tmp 3.233.144.0/20\n" +
            "swap datadog-e10516-tcp4-tmp datadog-e10516-tcp4\n" +
            "destroy datadog-e10516-tcp4-tmp\n" +
            "create datadog-version hash:ip family inet hashsize 64 maxelem 1 -exist\n" +
            "create datadog-version-tmp hash:ip family inet hashsize 64 maxelem 1 -exist\n" +
            "flush datadog-version-tmp\n" +
            "add datadog-version-tmp 0.0.0.59\n" +
            "swap datadog-version-tmp datadog-version\n" +
            "destroy datadog-version-tmp\n"));
    }

    [Test]
    public void ToIpset_ManyPrefixes_SizesTheHashToTheEntriesAndKeepsTheDefaultMaximum()
    {
        RuleSet agents = RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v27.json")), Section.Agents);
        int count = agents.Rules.Single().Prefixes.IPv4.Count;
        int expectedHashSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count);

        string text = agents.ToIpset();

        Assert.That(count, Is.GreaterThan(64), "the case needs more entries than the smallest hash");
        Assert.That(text, Does.Contain($"create datadog-e443-tcp4 hash:net family inet hashsize {expectedHashSize} maxelem 65536 -exist\n"));
    }

    [Test]
    public void ToIpset_SetNameOverIpsetsLimit_IsRefusedSayingHowLongTheNameMayBe()
    {
        var options = new IptablesEmitterOptions { Name = "a-twenty-chars-name1" };

        Assert.That(() => RuleSet.For(Section.Logs).ToIpset(options),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("31 characters").And.Message.Contains("at most 15 characters"));
    }

    [Test]
    public void ToIptablesScript_Logs_AppliesSetsThenEachFamilyThenTheJumps()
    {
        RuleSet logs = RuleSet.For(Section.Logs);
        var options = new IptablesEmitterOptions { UseIpset = true, Comments = false };

        string script = logs.ToIptablesScript(options);

        Assert.That(script, Is.EqualTo(
            "#!/bin/sh\nset -eu\n" +
            "ipset restore <<'FWRULES_EOF'\n" + WithoutVersionMark(logs.ToIpset(options)) + "FWRULES_EOF\n" +
            "iptables-restore -w --noflush <<'FWRULES_EOF'\n" + logs.ToIptables(options) + "FWRULES_EOF\n" +
            "ip6tables-restore -w --noflush <<'FWRULES_EOF'\n" + logs.ToIp6tables(options) + "FWRULES_EOF\n" +
            "iptables -w -C OUTPUT -j datadog-egress 2>/dev/null || iptables -w -I OUTPUT -j datadog-egress\n" +
            "ip6tables -w -C OUTPUT -j datadog-egress 2>/dev/null || ip6tables -w -I OUTPUT -j datadog-egress\n"));
    }

    [Test]
    public void ToIptablesScript_SectionWithoutIPv6_LeavesIp6tablesOut()
    {
        string script = RuleSet.For(Section.Webhooks).ToIptablesScript();

        Assert.That(script, Does.Contain("iptables-restore -w --noflush").And.Not.Contain("ip6tables"));
        Assert.That(script, Does.Contain("iptables -w -C INPUT -j datadog-ingress"));
    }

    [Test]
    public void ToIptables_ListenerRules_DropEachClosedPortAfterItsAllows()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd", "apm"] });
        var options = new IptablesEmitterOptions { Comments = false };

        Assert.That(listeners.ToIptables(options), Is.EqualTo(
            "*filter\n:datadog-ingress - [0:0]\n" +
            "-A datadog-ingress -s 127.0.0.1/32 -p tcp -m tcp --dport 8126 -j ACCEPT\n" +
            "-A datadog-ingress -s 127.0.0.1/32 -p udp -m udp --dport 8125 -j ACCEPT\n" +
            "-A datadog-ingress -p tcp -m tcp --dport 8126 -j DROP\n" +
            "-A datadog-ingress -p udp -m udp --dport 8125 -j DROP\n" +
            "COMMIT\n"));
        Assert.That(listeners.ToIp6tables(options), Is.EqualTo(
            "*filter\n:datadog-ingress - [0:0]\n" +
            "-A datadog-ingress -s ::1/128 -p tcp -m tcp --dport 8126 -j ACCEPT\n" +
            "-A datadog-ingress -s ::1/128 -p udp -m udp --dport 8125 -j ACCEPT\n" +
            "-A datadog-ingress -p tcp -m tcp --dport 8126 -j DROP\n" +
            "-A datadog-ingress -p udp -m udp --dport 8125 -j DROP\n" +
            "COMMIT\n"));
    }

    [Test]
    public void ToIptables_ListenerRulesWithIpset_DropAfterTheSetMatch()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] });

        Assert.That(listeners.ToIp6tables(new IptablesEmitterOptions { UseIpset = true, Comments = false }), Is.EqualTo(
            "*filter\n:datadog-ingress - [0:0]\n" +
            "-A datadog-ingress -p udp -m udp --dport 8125 -m set --match-set datadog-i8125-udp6 src -j ACCEPT\n" +
            "-A datadog-ingress -p udp -m udp --dport 8125 -j DROP\n" +
            "COMMIT\n"));
    }

    [Test]
    public void ToIptables_ClosedPort_HeaderAndDropCommentSaySo()
    {
        string text = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] }).ToIptables();

        Assert.That(text, Does.Contain("# Closed ports: any other ingress on 8125/udp is dropped; only the addresses allowed here may use it.\n"));
        Assert.That(text, Does.Contain("-A datadog-ingress -p udp -m udp --dport 8125 -m comment --comment \"datadog: drop other ingress on 8125/udp (closed port)\" -j DROP\n"));
    }

    [Test]
    public void ToIptables_OtherRulesReachingAClosedPort_ComeBeforeItsDropAndTheRestAfter()
    {
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8125/udp"), PrefixSet.Parse("127.0.0.1/32"), ["listener"], closesPort: true),
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8000-8200/udp"), PrefixSet.Parse("192.0.2.0/24"), ["range"]),
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("198.51.100.0/24"), ["web"]),
        ], Custom);

        string[] lines = Readback.RenderedRules(rules.ToIptables(new IptablesEmitterOptions { Comments = false }));

        Assert.That(lines, Is.EqualTo(new[]
        {
            "-A datadog-ingress -s 192.0.2.0/24 -p udp -m udp --dport 8000:8200 -j ACCEPT",
            "-A datadog-ingress -s 127.0.0.1/32 -p udp -m udp --dport 8125 -j ACCEPT",
            "-A datadog-ingress -p udp -m udp --dport 8125 -j DROP",
            "-A datadog-ingress -s 198.51.100.0/24 -p tcp -m tcp --dport 443 -j ACCEPT",
        }));
    }

    [Test]
    public void ToIp6tables_ClosingRuleWithoutIPv6_StillDropsThePortForIPv6()
    {
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8125/udp"), PrefixSet.Parse("127.0.0.1/32"), ["listener"], closesPort: true),
            new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("2001:db8::/32"), ["other"]),
        ], Custom);
        var options = new IptablesEmitterOptions { Comments = false };

        Assert.That(rules.ToIp6tables(options), Is.EqualTo(
            "*filter\n:datadog-egress - [0:0]\n:datadog-ingress - [0:0]\n" +
            "-A datadog-egress -d 2001:db8::/32 -p tcp -m tcp --dport 443 -j ACCEPT\n" +
            "-A datadog-ingress -p udp -m udp --dport 8125 -j DROP\n" +
            "COMMIT\n"));
        Assert.That(rules.ToIptablesScript(options), Does.Contain("ip6tables -w -C INPUT -j datadog-ingress 2>/dev/null || ip6tables -w -I INPUT -j datadog-ingress\n"));
    }

    [Test]
    public void ToIptablesScript_ClosingRulesWithoutAFamily_AreRefusedUnlessLimitedToTheOther()
    {
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8125/udp"), PrefixSet.Parse("127.0.0.1/32"), ["listener"], closesPort: true)], Custom);

        Assert.That(() => rules.ToIptablesScript(), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("close 8125/udp but hold no IPv6 prefix, so ip6tables would leave them open"));
        Assert.That(rules.ToIptablesScript(new IptablesEmitterOptions { Families = AddressFamilies.IPv4 }), Does.Contain("-A datadog-ingress -p udp -m udp --dport 8125"));
    }

    [Test]
    public void ToIptablesScript_ListenerRules_DropInBothFamiliesAndJumpFromInput()
    {
        string script = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] }).ToIptablesScript();

        Assert.That(
            script.Split('\n').Count(line => line.StartsWith("-A datadog-ingress -p udp -m udp --dport 8125 ", StringComparison.Ordinal)
                && line.EndsWith(" -j DROP", StringComparison.Ordinal)),
            Is.EqualTo(2));
        Assert.That(script, Does.Contain("iptables -w -I INPUT -j datadog-ingress\n").And.Contain("ip6tables -w -I INPUT -j datadog-ingress\n"));
        Assert.That(script, Does.Contain("# Closed ports: any other ingress on 8125/udp is dropped"));
    }

    [Test]
    public void ToIptables_DatadogRanges_CloseNoPort()
    {
        foreach (string path in TestData.IpRangesDocuments)
        {
            foreach (Direction direction in new[] { Direction.Egress, Direction.Ingress })
            {
                string text = RuleSet.All(IpRangesDocument.Load(path), direction).ToIptables(new IptablesEmitterOptions { UseIpset = direction == Direction.Ingress });

                Assert.That(
                    text, Does.Not.Contain("-j DROP").And.Not.Contain("Closed ports"),
                    $"{Path.GetFileName(path)} {direction}: other traffic on Datadog's ports is left to the policy");
            }
        }
    }

    private static RuleSet Rules(Direction direction, RuleAction action, PortRange port, string prefixes) =>
        RuleSet.Create([new FirewallRule(direction, action, port, PrefixSet.Create(IPNetwork.Parse(prefixes)), ["custom"])], Custom);

    // The script loads the sets as the ipset format does, without the version mark that only the ipset update reads.
    private static string WithoutVersionMark(string ipset) =>
        string.Concat(ipset.Split('\n').SkipLast(1).Where(line => !line.Contains("datadog-version", StringComparison.Ordinal)).Select(line => line + "\n"));
}
