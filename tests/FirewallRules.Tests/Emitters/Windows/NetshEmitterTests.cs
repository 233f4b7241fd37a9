using System.Net;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Windows;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>
/// The <c>windows-netsh</c> format, read back by <see cref="NetshScript"/>: exactly the rule set, within the
/// address and line limits, all under one name whose every rule is deleted first, whatever the data holds.
/// </summary>
[TestFixture]
public class NetshEmitterTests
{
    private const int CmdLineLimit = 8191;
    private const string StandalonePrefix = "netsh advfirewall firewall ";
    private const string Name = "datadog (FirewallRules)";

    // The hostile provenance as a description keeps it, every character outside letters, digits, . , : / - _ and space made _.
    private const string HostileDescription =
        "allow egress to 443/tcp for agents, from Datadog ip-ranges version 7 modified x__ Remove-Item C:_ -Recurse ___ iex evil ____ __calc_ _n _ calc _ calc _ " +
        "_PATH_ __Invoke-Expression pwned__ SIG _ Begin signature block___end";

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
    public void Write_WorstCaseLines_FillEachLineWithinTheLimit()
    {
        // The longest name, port text and description there can be, with the longest IPv4 and IPv6 prefix text,
        // in enough parts per family that the part numbers take two digits.
        IEnumerable<string> ipv4 = Enumerable.Range(0, 4000).Select(i => $"255.255.{100 + (i / 78)}.{100 + (2 * (i % 78))}/32");
        IEnumerable<string> ipv6 = Enumerable.Range(0, 1700).Select(i => $"ffff:ffff:ffff:ffff:ffff:ffff:ffff:{0x1000 + (2 * i):x4}/128");
        PrefixSet prefixes = PrefixSet.Parse(string.Join('\n', ipv4.Concat(ipv6)));
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Ingress, RuleAction.Deny, new PortRange(TransportProtocol.Udp, 65000, 65535), prefixes, ["synthetics-private-locations"])],
            new RuleSetProvenance(null, long.MaxValue, new string('m', 500), ["x"], IsEmbeddedSnapshot: false));
        Assert.That((prefixes.IPv4.Count, prefixes.IPv6.Count), Is.EqualTo((4000, 1700)));
        Assert.That(prefixes.Select(p => p.ToString().Length).Distinct(), Is.EquivalentTo(new[] { 18, 43 }));

        NetshScript script = NetshScript.Read(rules.ToNetsh(new WindowsFirewallOptions { Name = "abcdefghijklmnopqrst" }));

        AssertAddsExactly(script, rules, 1000, "abcdefghijklmnopqrst (FirewallRules)");
        Assert.That(script.Adds, Has.Count.InRange(18, 20), "about ten full lines per family");
        Assert.That(script.Adds.Select(a => a["description"]), Has.Some.StartWith("ingress-udp-65000-65535 IPv4 10/").And.All.Length.EqualTo(200));
        foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 })
        {
            NetshCommand[] lines = script.Adds.Where(a => a["description"].Contains($" {family} ", StringComparison.Ordinal)).ToArray();
            Assert.That(lines[..^1].Select(a => a.Line.Length), Has.All.GreaterThan(CmdLineLimit - StandalonePrefix.Length - 50), $"{family} lines are filled, not split early");
        }
    }

    [Test]
    public void Write_MorePartsThanTwoDigits_HasNoBound()
    {
        RuleSet aws = WindowsTestRules.Aws();

        NetshScript script = NetshScript.Read(aws.ToNetsh(new WindowsFirewallOptions { MaxAddressesPerRule = 10 }));

        AssertAddsExactly(script, aws, 10);
        Assert.That(script.Adds, Has.Count.EqualTo(176 + 211), "1,753 IPv4 and 2,107 IPv6 prefixes, ten a rule");
        Assert.That(script.Deletes, Is.EqualTo(new[] { Name }), "one delete, however many rules");
    }

    [Test]
    public void Write_Deletes_EveryRuleOfTheSharedNameOnceBeforeAnyAdd()
    {
        RuleSet logs = RuleSet.For(WindowsTestRules.Document(52), Section.Logs);

        NetshScript script = NetshScript.Read(logs.ToNetsh(new WindowsFirewallOptions { Families = AddressFamilies.IPv4 }));

        Assert.That(script.Commands.Select(c => c.Line), Is.EqualTo(new[] { "pushd advfirewall firewall", $"delete rule name=\"{Name}\"" }
            .Concat(script.Adds.Select(a => a.Line)).Append("popd")), "a bare name: no dir, protocol or port that would spare a rule of it");
        Assert.That(script.Adds.Select(a => (a["name"], a["description"])), Is.EqualTo(new[]
        {
            (Name, "egress-tcp-443 IPv4 1/1: allow egress to 443/tcp for logs, from Datadog ip-ranges version 52 modified 2022-11-14T22:00:00Z"),
            (Name, "egress-tcp-10516 IPv4 1/1: allow egress to 10516/tcp for logs, from Datadog ip-ranges version 52 modified 2022-11-14T22:00:00Z"),
        }));
    }

    [Test]
    public void Write_FewerPortsDirectionsAndFamiliesThanThePreviousRun_LeavesNothingOfThePreviousRun()
    {
        IpRangesDocument document = WindowsTestRules.Document(52);
        // Before: logs egress on 443 and 10516 and webhooks ingress on 443, both families, in rules of several parts.
        RuleSet before = RuleSet.For(document, ["logs", "webhooks"]);
        // After: logs egress on 443 alone, IPv4 alone. 10516, ingress and IPv6 are no longer generated.
        RuleSet after = RuleSet.For(document, ["logs"], new RuleSetOptions { Ports = [PortRange.Https] });
        NetshScript first = NetshScript.Read(before.ToNetsh(new WindowsFirewallOptions { MaxAddressesPerRule = 1 }));
        NetshScript second = NetshScript.Read(after.ToNetsh(new WindowsFirewallOptions { Families = AddressFamilies.IPv4 }));
        NetshCommand[] others =
        [
            .. NetshScript.Read(RuleSet.For(document, Section.Logs).ToNetsh(new WindowsFirewallOptions { Name = "other" })).Adds,
            .. NetshScript.Read("add rule name=\"datadog\" dir=in action=allow protocol=tcp localport=443 remoteip=192.0.2.1\n").Adds,
        ];
        var firewall = new List<NetshCommand>(others);

        first.ApplyTo(firewall);
        Assert.That(first.Adds.Select(a => (a["dir"], a.Has("remoteport") ? a["remoteport"] : a["localport"])).Distinct(),
            Is.EquivalentTo(new[] { ("out", "443"), ("out", "10516"), ("in", "443") }), "the previous run had every one of them");
        Assert.That(firewall, Is.EqualTo(others.Concat(first.Adds)));
        second.ApplyTo(firewall);

        Assert.That(second.Deletes, Is.EqualTo(new[] { Name }));
        Assert.That(firewall, Is.EqualTo(others.Concat(second.Adds)), "the one delete removed every rule of the first run, and no rule of another name");
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
        Assert.That(script.Adds.Select(a => a["description"]), Is.EqualTo(new[]
        {
            ("egress-tcp-443 IPv4 1/1: " + HostileDescription)[..200],
            ("egress-tcp-443 IPv6 1/1: " + HostileDescription)[..200],
        }), "every character outside letters, digits and . , : / - _ and space becomes _, cut at 200 after the rule's identity");
        Assert.That(script.Lines.Where(l => l.Contains("Invoke-Expression", StringComparison.Ordinal) && !l.StartsWith('#')), Has.All.StartWith("add rule "));
        AssertAddsExactly(script, hostile, 1000);
    }

    [Test]
    public void Write_LongDescription_IsCutAndTheLineStillFits()
    {
        RuleSet rules = RuleSet.Create(WindowsTestRules.Aws().Rules, new RuleSetProvenance(null, 1, new string('m', 5000), ["aws"], IsEmbeddedSnapshot: false));

        NetshScript script = NetshScript.Read(rules.ToNetsh());

        Assert.That(script.Adds.Select(a => a["description"].Length), Has.All.EqualTo(200));
        Assert.That(script.Adds.Select(a => a["description"]), Has.All.StartWith("egress-tcp-443 IPv").And.All.EndWith("mmmm"));
        AssertAddsExactly(script, rules, 1000);
    }

    [Test]
    public void Write_NoComments_LeavesOutCommentsAndProvenanceButNotTheRulesIdentity()
    {
        NetshScript script = NetshScript.Read(RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToNetsh(new WindowsFirewallOptions { Comments = false }));

        Assert.That(script.Lines.Where(l => l.StartsWith('#')), Is.Empty);
        Assert.That(script.Adds.Select(a => a["description"]), Is.EqualTo(new[]
        {
            "egress-tcp-443 IPv4 1/1: allow egress to 443/tcp for logs", "egress-tcp-443 IPv6 1/1: allow egress to 443/tcp for logs",
            "egress-tcp-10516 IPv4 1/1: allow egress to 10516/tcp for logs", "egress-tcp-10516 IPv6 1/1: allow egress to 10516/tcp for logs",
        }), "the rules share a name: the description tells them apart");
    }

    [Test]
    public void Write_TwoRulesOnOnePortAndDirection_RefusesRatherThanDescribingTwoAlike()
    {
        FirewallRule allow = RuleSet.For(WindowsTestRules.Document(52), Section.Logs).Rules[0];
        RuleSet rules = RuleSet.Create(
            [allow, new FirewallRule(allow.Direction, RuleAction.Deny, allow.Port, allow.Prefixes, ["logs"])],
            new RuleSetProvenance(null, null, null, ["logs"], IsEmbeddedSnapshot: false));

        Assert.That(() => rules.ToNetsh(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("egress-tcp-443"));
    }

    [Test]
    public void Write_FamilyTheSectionsLack_RefusesRatherThanAllowingAny() =>
        Assert.That(() => RuleSet.For(WindowsTestRules.Document(52), Section.Webhooks).ToNetsh(new WindowsFirewallOptions { Families = AddressFamilies.IPv6 }),
            Throws.TypeOf<RuleGenerationException>());

    [Test]
    public void Write_Header_SaysWhatTheScriptDeletesAndHowToListItsRules()
    {
        string header = string.Join('\n', NetshScript.Read(RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToNetsh()).Lines.TakeWhile(l => l.StartsWith('#')));

        Assert.That(header, Does.Contain($"Every rule it adds is named \"{Name}\"")
            .And.Contain("No rules match the specified criteria.")
            .And.Contain("absent for a moment")
            .And.Contain($"netsh advfirewall firewall show rule name=\"{Name}\"")
            .And.Not.Contain("-01"));
    }

    [Test]
    public void Registry_WindowsNetsh_UsesTheSharedOptions()
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create("windows-netsh", new WindowsFirewallOptions { Name = "all", MaxAddressesPerRule = 50 });

        NetshScript script = NetshScript.Read(RuleSet.For(WindowsTestRules.Document(30), Section.Agents).Render(emitter));

        Assert.That(emitter, Is.TypeOf<NetshEmitter>());
        Assert.That(script.Adds.Select(a => a["remoteip"].Split(',').Length), Has.All.LessThanOrEqualTo(50).And.Some.EqualTo(50));
        Assert.That(script.Adds.Select(a => a["name"]), Has.All.EqualTo("all (FirewallRules)"), "never the reserved name all");
        Assert.That(script.Deletes, Is.EqualTo(new[] { "all (FirewallRules)" }), "never delete rule name=all, which would delete every rule");
    }

    [TestCase("plain text 1.2", "plain text 1.2")]
    [TestCase("a\"b&c|d<e>f^g%h'i\r\nj(k)", "a_b_c_d_e_f_g_h_i__j_k_")]
    [TestCase("\u2019\u201C", "__")]
    public void Value_AnyText_KeepsOnlyCharactersSafeInQuotesAndOnCmdLines(string text, string value) =>
        Assert.That(NetshText.Value(text, 100), Is.EqualTo(value));

    /// <summary>
    /// Each rule of the set is added as netsh rules whose addresses are exactly the rule's prefixes, one family
    /// and at most <paramref name="max"/> per netsh rule, each line within cmd.exe's limit even run on its own,
    /// all named <paramref name="name"/>, whose every rule is deleted once before the adds, and each described
    /// as which part of which rule it is.
    /// </summary>
    private static void AssertAddsExactly(NetshScript script, RuleSet expected, int max, string name = Name)
    {
        Assert.That(script.Lines.Select(l => StandalonePrefix.Length + l.Length), Has.All.LessThanOrEqualTo(CmdLineLimit));
        Assert.That(script.Commands.Select(c => c.Verb).Take(2), Is.EqualTo(new[] { "pushd advfirewall firewall", "delete rule" }));
        Assert.That(script.Commands.Skip(2).SkipLast(1).Select(c => c.Verb), Has.All.EqualTo("add rule"));
        Assert.That(script.Commands[^1].Verb, Is.EqualTo("popd"));
        Assert.That(script.Deletes, Is.EqualTo(new[] { name }));
        Assert.That(script.Adds.Select(a => a["name"]), Has.All.EqualTo(name));
        // The parts of each rule and family, numbered 1/n to n/n in order: the descriptions tell every netsh rule apart.
        foreach (IGrouping<string, NetshCommand> family in script.Adds.GroupBy(a => a["description"].Split(' ')[0] + " " + a["description"].Split(' ')[1]))
        {
            Assert.That(family.Select(a => a["description"].Split(':')[0]),
                Is.EqualTo(family.Select((_, i) => $"{family.Key} {i + 1}/{family.Count()}")), family.Key);
        }

        foreach (NetshCommand add in script.Adds)
        {
            string[] addresses = add["remoteip"].Split(',');
            Assert.That(addresses, Has.Length.InRange(1, max), add["description"]);
            Assert.That(addresses.Select(a => IPNetwork.Parse(a).BaseAddress.AddressFamily).Distinct(), Is.EqualTo(new[]
            {
                add["description"].Split(' ')[1] == "IPv4" ? System.Net.Sockets.AddressFamily.InterNetwork : System.Net.Sockets.AddressFamily.InterNetworkV6,
            }), "one family per netsh rule, the one its description names");
            Assert.That(addresses.Select(a => IPNetwork.Parse(a).ToString()), Is.EqualTo(addresses), "canonical CIDR text");
        }

        foreach (FirewallRule rule in expected.Rules)
        {
            string port = rule.Port.IsSinglePort ? $"{rule.Port.First}" : $"{rule.Port.First}-{rule.Port.Last}";
            string[] addresses = script.Adds
                .Where(a => a["dir"] == (rule.Direction == Direction.Egress ? "out" : "in")
                    && a[rule.Direction == Direction.Egress ? "remoteport" : "localport"] == port
                    && a["protocol"] == (rule.Port.Protocol == TransportProtocol.Tcp ? "tcp" : "udp")
                    && a["action"] == (rule.Action == RuleAction.Allow ? "allow" : "block")
                    && a["description"].StartsWith(rule.Name + " ", StringComparison.Ordinal))
                .SelectMany(a => a["remoteip"].Split(','))
                .ToArray();
            Assert.That(addresses, Has.Length.EqualTo(rule.Prefixes.Count), rule.Name);
            Assert.That(PrefixSet.Parse(string.Join('\n', addresses)), Is.EqualTo(rule.Prefixes), rule.Name);
        }

        Assert.That(script.Adds.Sum(a => a["remoteip"].Split(',').Length), Is.EqualTo(expected.Rules.Sum(r => r.Prefixes.Count)), "nothing beyond the rules");
    }
}
