using System.Net;
using FirewallRules.Cidr;
using FirewallRules.Emitters;
using FirewallRules.Ports;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>
/// The <c>windows-netsh</c> format, read back by <see cref="NetshScript"/>: exactly the rule set, within the
/// address and line limits, every earlier name deleted first, whatever the data holds.
/// </summary>
[TestFixture]
public class NetshEmitterTests
{
    private const int CmdLineLimit = 8191;
    private const string StandalonePrefix = "netsh advfirewall firewall ";

    [Test]
    public void Write_V52LogsEgress_MatchesGoldenFile() =>
        GoldenFile.AssertMatches(RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToNetsh(), "windows-netsh", "v52-logs-egress.netsh");

    [Test]
    public void Write_V52WebhooksIngress_MatchesGoldenFile() =>
        GoldenFile.AssertMatches(RuleSet.For(WindowsTestRules.Document(52), Section.Webhooks).ToNetsh(), "windows-netsh", "v52-webhooks-ingress.netsh");

    [TestCaseSource(typeof(WindowsTestRules), nameof(WindowsTestRules.RealDocuments))]
    public void Write_EveryRealDocument_AddsExactlyEachRulesPrefixes(string file, Direction direction)
    {
        RuleSet rules = RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", file)), direction);

        NetshScript script = NetshScript.Read(rules.ToNetsh());

        AssertAddsExactly(script, rules, 1000);
    }

    [Test]
    public void Write_ListenerRules_AddOnlyAllowsAndSayTheDefaultInboundBlockClosesThePorts()
    {
        string text = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] }).ToNetsh();

        Assert.That(NetshScript.Read(text).Adds.Select(a => (a["action"], a["localport"], a["remoteip"])), Is.EqualTo(new[]
        {
            ("allow", "8125", "127.0.0.1/32"), ("allow", "8125", "::1/128"),
        }));
        Assert.That(text, Does.Contain("# Closed ports (8125/udp inbound): Windows blocks inbound traffic by default, so only\n"));
        Assert.That(RuleSet.For(WindowsTestRules.Document(52), Section.Webhooks).ToNetsh(), Does.Not.Contain("Closed ports"));
    }

    [Test]
    public void Write_MoreThanALineOfPrefixes_SplitsWithinTheLineAndAddressLimits()
    {
        RuleSet aws = WindowsTestRules.Aws();

        NetshScript script = NetshScript.Read(aws.ToNetsh());

        AssertAddsExactly(script, aws, 1000);
        Assert.That(script.Adds, Has.Count.GreaterThan(5), "1,753 IPv4 and 2,107 IPv6 prefixes take several cmd.exe lines per family");
        Assert.That(script.Adds.Select(a => a.Line.Length), Has.Some.GreaterThan(CmdLineLimit - StandalonePrefix.Length - 40), "lines are filled, not split early");
    }

    [Test]
    public void Write_WorstCaseLines_HoldTheDocumentedPrefixesWithinTheDefaultBound()
    {
        // The longest name, port text and description there can be, with the longest IPv4 and IPv6 prefix text:
        // NetshOptions documents that 10 rules hold at least 4,000 IPv4 or 1,700 IPv6 prefixes even so.
        IEnumerable<string> ipv4 = Enumerable.Range(0, 4000).Select(i => $"255.255.{100 + (i / 78)}.{100 + (2 * (i % 78))}/32");
        IEnumerable<string> ipv6 = Enumerable.Range(0, 1700).Select(i => $"ffff:ffff:ffff:ffff:ffff:ffff:ffff:{0x1000 + (2 * i):x4}/128");
        PrefixSet prefixes = PrefixSet.Parse(string.Join('\n', ipv4.Concat(ipv6)));
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Ingress, RuleAction.Deny, new PortRange(TransportProtocol.Udp, 65000, 65535), prefixes, ["synthetics-private-locations"])],
            new RuleSetProvenance(null, long.MaxValue, new string('m', 500), ["x"], IsEmbeddedSnapshot: false));
        Assert.That((prefixes.IPv4.Count, prefixes.IPv6.Count), Is.EqualTo((4000, 1700)));
        Assert.That(prefixes.Select(p => p.ToString().Length).Distinct(), Is.EquivalentTo(new[] { 18, 43 }));

        NetshScript script = NetshScript.Read(rules.ToNetsh(new NetshOptions { Name = "abcdefghijklmnopqrst" }));

        AssertAddsExactly(script, rules, 1000);
        Assert.That(script.Adds, Has.Count.EqualTo(20), "ten full lines per family");
    }

    [Test]
    public void Write_MorePartsThanTheDeleteBound_Refuses() =>
        Assert.That(() => WindowsTestRules.Aws().ToNetsh(new NetshOptions { MaxRulesPerFamily = 2 }),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("MaxRulesPerFamily"));

    [Test]
    public void Write_Deletes_CoverEveryNameOfBothFamiliesUpToTheBoundBeforeAnyAdd()
    {
        RuleSet logs = RuleSet.For(WindowsTestRules.Document(52), Section.Logs);

        NetshScript script = NetshScript.Read(logs.ToNetsh(new NetshOptions { Families = AddressFamilies.IPv4, MaxRulesPerFamily = 3 }));

        Assert.That(script.Deletes, Is.EqualTo(new[] { "443", "10516" }.SelectMany(port => new[] { "ipv4", "ipv6" }
            .SelectMany(family => Enumerable.Range(1, 3).Select(n => $"datadog-egress-tcp-{port}-{family}-0{n}")))),
            "the IPv6 names too: an earlier run may have had both families");
        Assert.That(script.Commands.Select(c => c.Verb), Is.EqualTo(new[] { "pushd advfirewall firewall" }
            .Concat(Enumerable.Repeat("delete rule", 12)).Concat(Enumerable.Repeat("add rule", 2)).Append("popd")));
    }

    [Test]
    public void Write_IngressAndDeny_UseLocalPortAndBlock()
    {
        RuleSet rules = RuleSet.For(WindowsTestRules.Document(52), ["webhooks"], new RuleSetOptions { Action = RuleAction.Deny, Ports = [PortRange.Parse("8000-8100/udp")] });

        NetshCommand add = NetshScript.Read(rules.ToNetsh()).Adds[0];

        Assert.That((add["dir"], add["action"], add["protocol"], add["localport"], add.Has("remoteport")), Is.EqualTo(("in", "block", "udp", "8000-8100", false)));
    }

    [Test]
    public void Write_HostileProvenance_StaysInsideCommentsAndQuotedDescriptions()
    {
        RuleSet hostile = WindowsTestRules.WithHostileProvenance();

        NetshScript script = NetshScript.Read(hostile.ToNetsh());

        Assert.That(script.Commands.Select(c => c.Verb).Distinct(), Is.EquivalentTo(new[] { "pushd advfirewall firewall", "delete rule", "add rule", "popd" }));
        Assert.That(script.Adds.Select(a => a["description"]), Has.All.EqualTo(
            "allow egress to 443/tcp for agents, from Datadog ip-ranges version 7 modified x__ Remove-Item C:_ -Recurse ___ iex evil ____ __calc_ _n _ calc _ calc _ _PATH_ __Invoke-Expression pwned__ SIG _ Begin s"),
            "every character outside letters, digits and . , : / - _ and space becomes _, cut at 200");
        Assert.That(script.Lines.Where(l => l.Contains("Invoke-Expression", StringComparison.Ordinal) && !l.StartsWith('#')), Has.All.StartWith("add rule "));
        AssertAddsExactly(script, hostile, 1000);
    }

    [Test]
    public void Write_LongDescription_IsCutAndTheLineStillFits()
    {
        RuleSet rules = RuleSet.Create(WindowsTestRules.Aws().Rules, new RuleSetProvenance(null, 1, new string('m', 5000), ["aws"], IsEmbeddedSnapshot: false));

        NetshScript script = NetshScript.Read(rules.ToNetsh());

        Assert.That(script.Adds.Select(a => a["description"].Length), Has.All.EqualTo(200));
        AssertAddsExactly(script, rules, 1000);
    }

    [Test]
    public void Write_NoComments_LeavesOutCommentsAndDescriptions()
    {
        NetshScript script = NetshScript.Read(RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToNetsh(new NetshOptions { Comments = false }));

        Assert.That(script.Lines.Where(l => l.StartsWith('#')), Is.Empty);
        Assert.That(script.Adds.Where(a => a.Has("description")), Is.Empty);
    }

    [Test]
    public void Write_FamilyTheSectionsLack_RefusesRatherThanAllowingAny() =>
        Assert.That(() => RuleSet.For(WindowsTestRules.Document(52), Section.Webhooks).ToNetsh(new NetshOptions { Families = AddressFamilies.IPv6 }),
            Throws.TypeOf<RuleGenerationException>());

    [TestCase(0)]
    [TestCase(100)]
    public void MaxRulesPerFamily_OutsideOneToTheLimit_Throws(int value) =>
        Assert.That(() => new NetshOptions { MaxRulesPerFamily = value }, Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public void Registry_WindowsNetsh_UsesTheSharedOptions()
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create("windows-netsh", new WindowsFirewallOptions { Name = "all", MaxAddressesPerRule = 50 });

        NetshScript script = NetshScript.Read(RuleSet.For(WindowsTestRules.Document(30), Section.Agents).Render(emitter));

        Assert.That(emitter, Is.TypeOf<NetshEmitter>());
        Assert.That(script.Adds.Select(a => a["remoteip"].Split(',').Length), Has.All.LessThanOrEqualTo(50).And.Some.EqualTo(50));
        Assert.That(script.Adds.Select(a => a["name"]), Has.All.StartWith("all-egress-tcp-443-"), "never the reserved name all");
    }

    [TestCase("plain text 1.2", "plain text 1.2")]
    [TestCase("a\"b&c|d<e>f^g%h'i\r\nj(k)", "a_b_c_d_e_f_g_h_i__j_k_")]
    [TestCase("\u2019\u201C", "__")]
    public void Value_AnyText_KeepsOnlyCharactersSafeInQuotesAndOnCmdLines(string text, string value) =>
        Assert.That(NetshText.Value(text, 100), Is.EqualTo(value));

    /// <summary>
    /// Each rule of the set is added as netsh rules whose addresses are exactly the rule's prefixes, one family
    /// and at most <paramref name="max"/> per netsh rule, each line within cmd.exe's limit even run on its own,
    /// names unique and deleted before they are added.
    /// </summary>
    private static void AssertAddsExactly(NetshScript script, RuleSet expected, int max)
    {
        Assert.That(script.Lines.Select(l => StandalonePrefix.Length + l.Length), Has.All.LessThanOrEqualTo(CmdLineLimit));
        Assert.That(script.Adds.Select(a => a["name"]), Is.Unique.And.All.Not.EqualTo("all"));
        Assert.That(script.Adds.Select(a => a["name"]), Is.SubsetOf(script.Deletes));
        Assert.That(script.Commands[0].Verb, Is.EqualTo("pushd advfirewall firewall"));
        Assert.That(script.Commands[^1].Verb, Is.EqualTo("popd"));
        foreach (NetshCommand add in script.Adds)
        {
            string[] addresses = add["remoteip"].Split(',');
            Assert.That(addresses, Has.Length.InRange(1, max), add["name"]);
            Assert.That(addresses.Select(a => IPNetwork.Parse(a).BaseAddress.AddressFamily).Distinct().Count(), Is.EqualTo(1), "one family per netsh rule");
            Assert.That(addresses.Select(a => IPNetwork.Parse(a).ToString()), Is.EqualTo(addresses), "canonical CIDR text");
        }

        foreach (FirewallRule rule in expected.Rules)
        {
            string port = rule.Port.IsSinglePort ? $"{rule.Port.First}" : $"{rule.Port.First}-{rule.Port.Last}";
            string[] addresses = script.Adds
                .Where(a => a["dir"] == (rule.Direction == Direction.Egress ? "out" : "in")
                    && a[rule.Direction == Direction.Egress ? "remoteport" : "localport"] == port
                    && a["protocol"] == (rule.Port.Protocol == TransportProtocol.Tcp ? "tcp" : "udp")
                    && a["action"] == (rule.Action == RuleAction.Allow ? "allow" : "block"))
                .SelectMany(a => a["remoteip"].Split(','))
                .ToArray();
            Assert.That(addresses, Has.Length.EqualTo(rule.Prefixes.Count), rule.Name);
            Assert.That(PrefixSet.Parse(string.Join('\n', addresses)), Is.EqualTo(rule.Prefixes), rule.Name);
        }

        Assert.That(script.Adds.Sum(a => a["remoteip"].Split(',').Length), Is.EqualTo(expected.Rules.Sum(r => r.Prefixes.Count)), "nothing beyond the rules");
    }
}
