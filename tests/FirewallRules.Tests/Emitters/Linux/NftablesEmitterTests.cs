using System.Net;
using System.Text.RegularExpressions;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>The nftables outputs' structure, layouts and incremental updates, without the tools.</summary>
[TestFixture]
public class NftablesEmitterTests
{
    private static readonly RuleSetProvenance Custom = new(null, 7, "2026-01-02-03-04-05", ["custom"], false);

    /// <summary>A drop by port alone, whatever the state (strict's drops match new connections only).</summary>
    private static readonly Regex ClosedPortDrop = new(@"^(\t\t|add rule inet \S+ \S+ )(meta nfproto ipv[46] )?(tcp|udp) dport \S+ counter drop");

    [Test]
    public void ToNftables_Default_ReplacesItsOwnTableInOneTransaction()
    {
        string text = RuleSet.For(Section.Logs).ToNftables(new NftablesEmitterOptions { Comments = false, Families = AddressFamilies.IPv4 });

        Assert.That(text, Is.EqualTo("""
            table inet datadog {}
            delete table inet datadog
            table inet datadog {
            	set egress-tcp-443-v4 {
            		type ipv4_addr
            		flags interval
            		elements = {
            			3.233.144.0/20
            		}
            	}

            	set egress-tcp-10516-v4 {
            		type ipv4_addr
            		flags interval
            		elements = {
            			3.233.144.0/20
            		}
            	}

            	chain egress {
            		type filter hook output priority filter; policy accept;
            		ip daddr @egress-tcp-443-v4 tcp dport 443 counter accept
            		ip daddr @egress-tcp-10516-v4 tcp dport 10516 counter accept
            	}
            }

            """));
    }

    [Test]
    public void ToNftables_TableOption_NamesTheTable()
    {
        string text = RuleSet.For(Section.Logs).ToNftables(new NftablesEmitterOptions { Table = "dd_ranges" });

        Assert.That(text, Does.Contain("table inet dd_ranges {}\ndelete table inet dd_ranges\ntable inet dd_ranges {\n"));
    }

    [Test]
    public void ToNftables_IngressDenyUdpRange_MatchesSourcesAtTheInputHook()
    {
        RuleSet rules = Rules(Direction.Ingress, RuleAction.Deny, new PortRange(TransportProtocol.Udp, 8000, 8100), "2001:db8::/32");

        string text = rules.ToNftables(new NftablesEmitterOptions { Comments = false });

        Assert.That(text, Does.Contain(
            "\tchain ingress {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tip6 saddr @ingress-udp-8000-8100-v6 udp dport 8000-8100 counter drop\n\t}\n"));
    }

    [Test]
    public void ToNftables_StrictForOneFamily_DropsOtherNewConnectionsOfThatFamilyOnly()
    {
        string text = RuleSet.For(Section.Logs)
            .ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable, Families = AddressFamilies.IPv4, Comments = false });

        Assert.That(text, Does.Contain(
            "\t\toif \"lo\" accept\n" +
            "\t\tip daddr @egress-tcp-443-v4 tcp dport 443 counter accept\n" +
            "\t\tip daddr @egress-tcp-10516-v4 tcp dport 10516 counter accept\n" +
            "\t\tmeta nfproto ipv4 tcp dport 443 ct state new counter drop\n" +
            "\t\tmeta nfproto ipv4 tcp dport 10516 ct state new counter drop\n"));
    }

    [Test]
    public void ToNftables_ExistingTable_RefillsPrefixedSetsAndChainInPlace()
    {
        string text = RuleSet.For(Section.Webhooks).ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.ExistingTable, Name = "dd", Comments = false });

        Assert.That(text, Does.StartWith(
            "add set inet filter dd-ingress-tcp-443-v4 { type ipv4_addr; flags interval; }\n" +
            "flush set inet filter dd-ingress-tcp-443-v4\n" +
            "add element inet filter dd-ingress-tcp-443-v4 {\n"));
        Assert.That(text, Does.EndWith(
            "add chain inet filter dd-ingress\n" +
            "flush chain inet filter dd-ingress\n" +
            "add rule inet filter dd-ingress ip saddr @dd-ingress-tcp-443-v4 tcp dport 443 counter accept\n"));
        Assert.That(text, Does.Not.Contain("table").And.Not.Contain("delete"), "the user's table is never created, replaced or deleted");
    }

    [Test]
    public void ToNftables_ExistingTable_HeaderSaysHowToJumpToTheChain()
    {
        string text = RuleSet.For(Section.Logs).ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.ExistingTable, Table = "host" });

        Assert.That(text, Does.Contain("# Apply atomically with: nft -f FILE   (dry run: nft -c -f FILE); table inet host must exist.\n"));
        Assert.That(text, Does.Contain("#   chain datadog-egress { }   and in your output chain:   jump datadog-egress\n"));
    }

    [Test]
    public void ToNftables_LongComment_NamesFewerSectionsWithinNftsLimitAndKeepsTheVersion()
    {
        string[] sources = Enumerable.Range(0, 4).Select(i => $"section-{i}-{new string('x', 40)}").ToArray();
        RuleSet rules = RuleSet.Create([new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), sources)], Custom);

        string rule = rules.ToNftables().Split('\n').Single(line => line.Contains("counter accept", StringComparison.Ordinal));

        Assert.That(rule.Split('"')[1], Has.Length.LessThanOrEqualTo(128).And.Match(@" and \d+ more \(ip-ranges v\d+\)$"));
    }

    [TestCase("filter;")]
    [TestCase("x\nflush ruleset")]
    [TestCase("1table")]
    [TestCase("")]
    public void NftablesEmitterOptions_UnsafeTable_IsRejected(string table)
    {
        Assert.That(() => new NftablesEmitterOptions { Table = table }, Throws.ArgumentException);
    }

    [Test]
    public void ToNftablesUpdate_PrefixesChanged_FlushesTheSetAddsItWholeAndWritesTheRulesAgain()
    {
        RuleSet older = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24", "198.51.100.0/24");
        RuleSet newer = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/25", "198.51.100.0/24", "203.0.113.7/32");

        string text = newer.ToNftablesUpdate(older, new NftablesEmitterOptions { Comments = false });

        Assert.That(text, Is.EqualTo(
            "flush set inet datadog egress-tcp-443-v4\n" +
            "add element inet datadog egress-tcp-443-v4 {\n\t192.0.2.0/25,\n\t198.51.100.0/24,\n\t203.0.113.7/32\n}\n" +
            "flush chain inet datadog egress\n" +
            "add rule inet datadog egress ip daddr @egress-tcp-443-v4 tcp dport 443 counter accept\n"));
    }

    [Test]
    public void ToNftablesUpdate_Comments_CountPrefixesAndAddressesBothWays()
    {
        RuleSet older = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24");
        RuleSet newer = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/25", "203.0.113.7/32");

        string text = newer.ToNftablesUpdate(older);

        Assert.That(text, Does.Contain("# egress-tcp-443-v4: 1 prefix out, 2 in (128 addresses fewer, 1 more)\n"));
        Assert.That(text, Does.Contain("# Previous: ip-ranges version 7, modified 2026-01-02T03:04:05Z.\n"));
    }

    [Test]
    public void ToNftablesUpdate_NewPortOrFamily_IsRefusedAsAChangeOfShape()
    {
        RuleSet older = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24");
        RuleSet newer = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24", "2001:db8::/32");

        Assert.That(() => newer.ToNftablesUpdate(older),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("changed shape (new sets egress-tcp-443-v6)"));
    }

    [Test]
    public void ToNftablesUpdate_ActionReversed_IsRefused()
    {
        RuleSet allow = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24");
        RuleSet deny = Rules(Direction.Egress, RuleAction.Deny, PortRange.Https, "192.0.2.0/24");

        Assert.That(() => deny.ToNftablesUpdate(allow), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("action changed for egress-tcp-443-v4"));
    }

    [Test]
    public void ToNftablesUpdate_ExistingTable_TargetsTheUsersTableAndPrefixedSets()
    {
        RuleSet older = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24");
        RuleSet newer = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "198.51.100.0/24");

        string text = newer.ToNftablesUpdate(older, new NftablesEmitterOptions { Layout = NftablesLayout.ExistingTable, Comments = false });

        Assert.That(text, Does.StartWith("flush set inet filter datadog-egress-tcp-443-v4\nadd element inet filter datadog-egress-tcp-443-v4 {\n"));
        Assert.That(text, Does.Contain("flush chain inet filter datadog-egress\n"));
    }

    [Test]
    public void ToNftables_ListenerRules_DropEachClosedPortAfterItsAcceptsWhateverTheState()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd", "apm"] });

        string text = listeners.ToNftables(new NftablesEmitterOptions { Comments = false });

        Assert.That(text, Does.EndWith(
            "\tchain ingress {\n\t\ttype filter hook input priority filter; policy accept;\n" +
            "\t\tip saddr @ingress-tcp-8126-v4 tcp dport 8126 counter accept\n" +
            "\t\tip6 saddr @ingress-tcp-8126-v6 tcp dport 8126 counter accept\n" +
            "\t\tip saddr @ingress-udp-8125-v4 udp dport 8125 counter accept\n" +
            "\t\tip6 saddr @ingress-udp-8125-v6 udp dport 8125 counter accept\n" +
            "\t\ttcp dport 8126 counter drop\n" +
            "\t\tudp dport 8125 counter drop\n" +
            "\t}\n}\n"));
    }

    [Test]
    public void ToNftables_StrictWithAClosedPort_DecidesItBeforeTheLoopbackException()
    {
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8125/udp"), LocalListenerRules.Loopback, ["listener"], closesPort: true),
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["webhooks"]),
        ], Custom);

        string text = rules.ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable, Comments = false });

        // On lo, a client of this host using one of its own addresses would pass; the sets decide instead.
        Assert.That(text, Does.Contain(
            "\t\tip saddr @ingress-udp-8125-v4 udp dport 8125 counter accept\n" +
            "\t\tip6 saddr @ingress-udp-8125-v6 udp dport 8125 counter accept\n" +
            "\t\tudp dport 8125 counter drop\n" +
            "\t\tiif \"lo\" accept\n" +
            "\t\tip saddr @ingress-tcp-443-v4 tcp dport 443 counter accept\n" +
            "\t\ttcp dport 443 ct state new counter drop\n" +
            "\t}\n"));
    }

    [Test]
    public void ToNftables_StrictListenersOnly_NeedNoLoopbackException()
    {
        string text = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] })
            .ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable });

        Assert.That(text, Does.Not.Contain("iif \"lo\"").And.Not.Contain("ct state new"));
        Assert.That(text, Does.Contain("\t\tudp dport 8125 counter drop comment \"datadog: drop other ingress on 8125/udp (closed port)\"\n"));
        Assert.That(text, Does.Contain("# Closed ports come before the loopback exception: their allowed addresses decide on every interface.\n"));
    }

    [Test]
    public void ToNftables_ExistingTable_AddsTheDropToTheChainAfterTheAccepts()
    {
        string text = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] })
            .ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.ExistingTable, Comments = false });

        Assert.That(text, Does.EndWith(
            "add chain inet filter datadog-ingress\n" +
            "flush chain inet filter datadog-ingress\n" +
            "add rule inet filter datadog-ingress ip saddr @datadog-ingress-udp-8125-v4 udp dport 8125 counter accept\n" +
            "add rule inet filter datadog-ingress ip6 saddr @datadog-ingress-udp-8125-v6 udp dport 8125 counter accept\n" +
            "add rule inet filter datadog-ingress udp dport 8125 counter drop\n"));
    }

    [Test]
    public void ToNftables_ClosedPortForOneFamily_DropsThatFamilyOnly()
    {
        string text = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] })
            .ToNftables(new NftablesEmitterOptions { Families = AddressFamilies.IPv6, Comments = false });

        Assert.That(text, Does.Contain("\t\tip6 saddr @ingress-udp-8125-v6 udp dport 8125 counter accept\n\t\tmeta nfproto ipv6 udp dport 8125 counter drop\n"));
        Assert.That(text, Does.Not.Contain("ipv4"));
    }

    [Test]
    public void ToNftablesUpdate_PortClosedOrReopened_IsRefused()
    {
        var open = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8125/udp"), PrefixSet.Parse("192.0.2.0/24"), ["custom"]);
        var closed = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8125/udp"), PrefixSet.Parse("192.0.2.0/24"), ["custom"], closesPort: true);

        foreach ((FirewallRule before, FirewallRule after) in new[] { (open, closed), (closed, open) })
        {
            Assert.That(() => RuleSet.Create([after], Custom).ToNftablesUpdate(RuleSet.Create([before], Custom)),
                Throws.TypeOf<RuleGenerationException>().With.Message.Contains("closed or reopened ingress 8125/udp"));
        }
    }

    [Test]
    public void ToNftables_DatadogRanges_CloseNoPort()
    {
        foreach (string path in TestData.IpRangesDocuments)
        {
            foreach (NftablesLayout layout in Enum.GetValues<NftablesLayout>())
            {
                string text = RuleSet.All(IpRangesDocument.Load(path), Direction.Ingress).ToNftables(new NftablesEmitterOptions { Layout = layout });

                Assert.That(text.Split('\n').Where(line => ClosedPortDrop.IsMatch(line) || line.Contains("closed port", StringComparison.Ordinal)), Is.Empty,
                    $"{Path.GetFileName(path)} {layout}: other traffic on Datadog's ports is left to the policy");
            }
        }
    }

    private static RuleSet Rules(Direction direction, RuleAction action, PortRange port, params string[] prefixes) =>
        RuleSet.Create([new FirewallRule(direction, action, port, PrefixSet.Create(prefixes.Select(p => IPNetwork.Parse(p))), ["custom"])], Custom);

    [TestCase("nftables", "nft file replacing its own inet table atomically (sets, base chains, policy accept: counts, enforces deny): nft -f FILE")]
    [TestCase("nftables-strict", "nft file replacing its own inet table atomically; also drops other new connections to the same ports: nft -f FILE")]
    public void Describe_OwnTableLayouts_SayWhetherOtherConnectionsAreDropped(string format, string description)
    {
        Assert.That(EmitterRegistry.Default.Describe(format).Summary, Is.EqualTo(description));
    }

    [Test]
    public void ToNftables_PolicyAcceptWithClosedPorts_SaysTheyAreTheOnlyChange()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] });

        string[] header = [.. listeners.ToNftables().Split('\n').TakeWhile(line => line.StartsWith('#'))];
        string[] none = [.. RuleSet.For(Section.Logs).ToNftables().Split('\n').TakeWhile(line => line.StartsWith('#'))];

        Assert.That(header, Does.Contain("# Matching traffic is accepted and counted; nothing else changes but the closed ports.")
            .And.Contain("# Closed ports: any other ingress on 8125/udp is dropped; only the addresses allowed here may use it."));
        Assert.That(none, Does.Contain("# Matching traffic is accepted and counted; nothing else changes.").And.None.StartsWith("# Closed ports"));
    }

    [Test]
    public void ToNftables_StrictBothDirections_DropsInEachChainOnlyItsOwnPorts()
    {
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["intake"]),
            new FirewallRule(Direction.Egress, RuleAction.Deny, PortRange.Parse("10516/tcp"), PrefixSet.Parse("198.51.100.0/24"), ["blocked"]),
            new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Parse("8126/tcp"), PrefixSet.Parse("203.0.113.0/24"), ["webhooks"]),
        ], Custom);

        string text = rules.ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable, Families = AddressFamilies.IPv4, Comments = false });

        Assert.That(Regex.Matches(text, @"\t\t.*ct state new counter drop").Select(m => m.Value.Trim()), Is.EqualTo(new[]
        {
            "meta nfproto ipv4 tcp dport 443 ct state new counter drop",
            "meta nfproto ipv4 tcp dport 8126 ct state new counter drop",
        }));
        Assert.That(text, Does.Contain("\t\toif \"lo\" accept\n\t\tip daddr @egress-tcp-443-v4 tcp dport 443 counter accept\n"));
    }

    [Test]
    public void ToNftables_StrictDeniesOnly_KeepTheLoopbackExceptionBeforeThem()
    {
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Deny, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["blocked"])], Custom);

        string text = rules.ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable, Families = AddressFamilies.IPv4, Comments = false });

        Assert.That(text, Does.Contain("\t\toif \"lo\" accept\n\t\tip daddr @egress-tcp-443-v4 tcp dport 443 counter drop\n").And.Not.Contain("ct state new"));
    }
}
