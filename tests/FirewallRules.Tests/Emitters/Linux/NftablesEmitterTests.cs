using System.Net;
using FirewallRules.Cidr;
using FirewallRules.Emitters;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>The nftables outputs' structure, layouts and incremental updates, without the tools.</summary>
[TestFixture]
public class NftablesEmitterTests
{
    private static readonly RuleSetProvenance Custom = new(null, 7, "2026-01-02-03-04-05", ["custom"], false);

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

        Assert.That(text, Does.Contain("\tchain ingress {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tip6 saddr @ingress-udp-8000-8100-v6 udp dport 8000-8100 counter drop\n\t}\n"));
    }

    [Test]
    public void ToNftables_StrictForOneFamily_DropsOtherNewConnectionsOfThatFamilyOnly()
    {
        string text = RuleSet.For(Section.Logs).ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable, Families = AddressFamilies.IPv4, Comments = false });

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
    public void ToNftables_LongComment_IsCutToNftsLimit()
    {
        string[] sources = Enumerable.Range(0, 4).Select(i => $"section-{i}-{new string('x', 40)}").ToArray();
        RuleSet rules = RuleSet.Create([new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), sources)], Custom);

        string rule = rules.ToNftables().Split('\n').Single(line => line.Contains("counter accept", StringComparison.Ordinal));

        Assert.That(rule.Split('"')[1], Has.Length.EqualTo(128).And.EndsWith("..."));
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
    public void ToNftablesUpdate_PrefixesChanged_DeletesOldElementsBeforeAddingNewOnes()
    {
        RuleSet older = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24", "198.51.100.0/24");
        RuleSet newer = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/25", "198.51.100.0/24", "203.0.113.7/32");

        string text = newer.ToNftablesUpdate(older, new NftablesEmitterOptions { Comments = false });

        Assert.That(text, Is.EqualTo(
            "delete element inet datadog egress-tcp-443-v4 {\n\t192.0.2.0/24\n}\n" +
            "add element inet datadog egress-tcp-443-v4 {\n\t192.0.2.0/25,\n\t203.0.113.7/32\n}\n"));
    }

    [Test]
    public void ToNftablesUpdate_Comments_CountPrefixesAndAddressesBothWays()
    {
        RuleSet older = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/24");
        RuleSet newer = Rules(Direction.Egress, RuleAction.Allow, PortRange.Https, "192.0.2.0/25", "203.0.113.7/32");

        string text = newer.ToNftablesUpdate(older);

        Assert.That(text, Does.Contain("# egress-tcp-443-v4: 1 prefix out, 2 in (128 addresses fewer, 1 more)\n"));
        Assert.That(text, Does.Contain("# Previous: ip-ranges version 7, modified 2026-01-02-03-04-05.\n"));
    }

    [Test]
    public void ToNftablesUpdate_SamePrefixes_ChangesNothing()
    {
        RuleSet v47 = RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v47.json")), Section.Logs);

        string text = RuleSet.For(Section.Logs).ToNftablesUpdate(v47);

        Assert.That(text.Split('\n').Where(line => line.Length > 0), Has.All.StartWith("#"));
        Assert.That(text, Does.EndWith("# Nothing to change: both versions list the same prefixes.\n"));
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

        Assert.That(text, Does.StartWith("delete element inet filter datadog-egress-tcp-443-v4 {\n"));
    }

    private static RuleSet Rules(Direction direction, RuleAction action, PortRange port, params string[] prefixes) =>
        RuleSet.Create([new FirewallRule(direction, action, port, PrefixSet.Create(prefixes.Select(p => IPNetwork.Parse(p))), ["custom"])], Custom);
}
