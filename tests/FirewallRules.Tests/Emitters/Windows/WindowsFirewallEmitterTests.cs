using System.Net;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Windows;
using FirewallRules.Ports;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>
/// The <c>windows</c> format, read back by <see cref="PowerShellScript"/>: what it creates is exactly the
/// rule set, within Windows' limits, through only the expected commands, whatever the data holds.
/// </summary>
[TestFixture]
public class WindowsFirewallEmitterTests
{
    private const string Group = "datadog (FirewallRules)";

    private static readonly string[] ExpectedCommands =
        ["Get-NetFirewallRule", "Where-Object", "Remove-NetFirewallRule", "New-NetFirewallRule", "Rename-NetFirewallRule", "Get-NetFirewallProfile", "Write-Warning"];

    [Test]
    public void Write_V52LogsEgress_MatchesGoldenFile() =>
        GoldenFile.AssertMatches(RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToWindowsFirewall(), "windows", "v52-logs-egress.ps1");

    [Test]
    public void Write_V52WebhooksIngress_MatchesGoldenFile() =>
        GoldenFile.AssertMatches(RuleSet.For(WindowsTestRules.Document(52), Section.Webhooks).ToWindowsFirewall(), "windows", "v52-webhooks-ingress.ps1");

    [TestCaseSource(typeof(WindowsTestRules), nameof(WindowsTestRules.RealDocuments))]
    public void Write_EveryRealDocument_CreatesExactlyEachRulesPrefixes(string file, Direction direction)
    {
        RuleSet rules = RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", file)), direction);

        PowerShellScript script = PowerShellScript.Read(rules.ToWindowsFirewall());

        AssertCreatesExactly(script, rules, WindowsFirewallOptions.AddressesPerRuleLimit);
    }

    [Test]
    public void Write_MoreThanALimitOfPrefixes_SplitsPerFamilyWithoutLosingOne()
    {
        RuleSet aws = WindowsTestRules.Aws();

        PowerShellScript script = PowerShellScript.Read(aws.ToWindowsFirewall());

        AssertCreatesExactly(script, aws, 1000);
        Assert.That(script.Invocations("New-NetFirewallRule").Select(c => (c["-Name"].Single, c["-RemoteAddress"].Items.Count)), Is.EqualTo(new[]
        {
            ("datadog-egress-tcp-443-ipv4-01-staged", 1000),
            ("datadog-egress-tcp-443-ipv4-02-staged", 753),
            ("datadog-egress-tcp-443-ipv6-01-staged", 1000),
            ("datadog-egress-tcp-443-ipv6-02-staged", 1000),
            ("datadog-egress-tcp-443-ipv6-03-staged", 107),
        }));
    }

    [TestCase(1)]
    [TestCase(333)]
    [TestCase(1000)]
    public void Write_MaxAddressesPerRule_IsNeverExceeded(int max)
    {
        RuleSet v30 = RuleSet.For(WindowsTestRules.Document(30), Section.Agents);

        PowerShellScript script = PowerShellScript.Read(v30.ToWindowsFirewall(new WindowsFirewallOptions { MaxAddressesPerRule = max }));

        AssertCreatesExactly(script, v30, max);
        FirewallRule agents = v30.Rules.Single();
        Assert.That((agents.Prefixes.IPv4.Count, agents.Prefixes.IPv6.Count), Is.EqualTo((436, 1)), "437 listed IPv4 prefixes aggregate to 436");
        Assert.That(script.Invocations("New-NetFirewallRule"), Has.Count.EqualTo(((436 + max - 1) / max) + 1), "the fewest rules per family");
    }

    [Test]
    public void Write_Script_RunsOnlyGroupScopedCommands()
    {
        PowerShellScript script = PowerShellScript.Read(RuleSet.All(WindowsTestRules.Document(52)).ToWindowsFirewall());

        Assert.That(script.Commands.Select(c => c.Name).Distinct(), Is.EquivalentTo(ExpectedCommands));
        Assert.That(script.Invocations("Get-NetFirewallRule").Select(c => c["-Group"].Single), Is.EqualTo(new[] { Group }));
        Assert.That(Group.IndexOfAny(['*', '?', '[', ']', '`']), Is.EqualTo(-1), "a group filter expands wildcards");
        // Removal only ever acts on rule objects read from the group, never on a filter that could match more.
        Assert.That(script.Invocations("Remove-NetFirewallRule").Select(c => c.Parameters.Select(p => (p.Name, p.Value?.Single))), Is.EqualTo(new[]
        {
            new[] { ("-InputObject", (string?)"$staged"), ("@common", null) },
            new[] { ("-InputObject", (string?)"$inForce"), ("@common", null) },
        }));
        Assert.That(script.Invocations("New-NetFirewallRule").Select(c => c["-Group"].Single), Has.All.EqualTo(Group));
    }

    [Test]
    public void Write_Swap_CreatesStagedRulesThenRenamesEachToItsFinalName()
    {
        PowerShellScript script = PowerShellScript.Read(RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToWindowsFirewall());

        string[] staged = script.Invocations("New-NetFirewallRule").Select(c => c["-Name"].Single).ToArray();
        PowerShellCommand[] renames = script.Invocations("Rename-NetFirewallRule").ToArray();

        Assert.That(staged, Has.All.EndsWith("-staged"));
        Assert.That(renames.Select(c => c["-Name"].Single), Is.EqualTo(staged));
        Assert.That(renames.Select(c => c["-NewName"].Single), Is.EqualTo(staged.Select(n => n[..^"-staged".Length])));
        Assert.That(renames.Select(c => c["-NewName"].Single), Is.Unique);
        List<string> order = script.Commands.Select(c => c.Name).ToList();
        Assert.That(order.LastIndexOf("New-NetFirewallRule"), Is.LessThan(order.LastIndexOf("Remove-NetFirewallRule")), "the new rules exist before the old ones go");
        Assert.That(order.LastIndexOf("Remove-NetFirewallRule"), Is.LessThan(order.IndexOf("Rename-NetFirewallRule")), "final names are free before the renames");
    }

    [Test]
    public void Write_EgressAllow_WarnsWhenOutboundIsAllowedByDefault()
    {
        string text = RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToWindowsFirewall();

        PowerShellCommand filter = PowerShellScript.Read(text).Commands.Single(c => c.Name == "Where-Object" && c.Has("-NE"));
        Assert.That(filter.Parameters.Select(p => (p.Name, p.Value?.Single)), Is.EqualTo(new[] { ("", (string?)"DefaultOutboundAction"), ("-NE", "Block") }));
        Assert.That(text, Does.Contain("Set-NetFirewallProfile -DefaultOutboundAction Block"), "the header says how, without doing it");
        Assert.That(PowerShellScript.Read(text).Invocations("Set-NetFirewallProfile"), Is.Empty);
    }

    [Test]
    public void Write_IngressOnly_NeedsNoOutboundWarning()
    {
        PowerShellScript script = PowerShellScript.Read(RuleSet.For(WindowsTestRules.Document(52), Section.Webhooks).ToWindowsFirewall());

        Assert.That(script.Invocations("Get-NetFirewallProfile"), Is.Empty);
        Assert.That(script.Invocations("New-NetFirewallRule").Select(c => (c["-Direction"].Single, c["-LocalPort"].Single, c.Has("-RemotePort"))),
            Has.All.EqualTo(("Inbound", "443", false)));
    }

    [Test]
    public void Write_ListenerRules_AllowLoopbackOnlyAndWarnWhenInboundIsAllowedByDefault()
    {
        string text = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd", "apm"] }).ToWindowsFirewall();
        PowerShellScript script = PowerShellScript.Read(text);

        // A block rule would win over the allows and shut out loopback too: the default inbound block does the closing.
        Assert.That(script.Invocations("New-NetFirewallRule").Select(c => (c["-Action"].Single, c["-LocalPort"].Single, c["-RemoteAddress"].Single)), Is.EqualTo(new[]
        {
            ("Allow", "8126", "127.0.0.1/32"), ("Allow", "8126", "::1/128"), ("Allow", "8125", "127.0.0.1/32"), ("Allow", "8125", "::1/128"),
        }));
        PowerShellCommand filter = script.Commands.Single(c => c.Name == "Where-Object" && c.Has("-NE"));
        Assert.That(filter.Parameters.Select(p => (p.Name, p.Value?.Single)), Is.EqualTo(new[] { ("", (string?)"DefaultInboundAction"), ("-NE", "Block") }));
        Assert.That(script.Invocations("Write-Warning"), Has.Count.EqualTo(1));
        Assert.That(text, Does.Contain("the closed ports (8126/tcp, 8125/udp) are open to every address there until DefaultInboundAction is Block."));
        Assert.That(text, Does.Contain("# Closed ports (8126/tcp, 8125/udp inbound): Windows blocks inbound traffic by default, so only the\n"));
        Assert.That(script.Invocations("Set-NetFirewallProfile"), Is.Empty, "the policy is the owner's to change");
    }

    [Test]
    public void Write_DenyOnAPortRange_BlocksThatRange()
    {
        RuleSet rules = RuleSet.For(WindowsTestRules.Document(52), ["logs"],
            new RuleSetOptions { Action = RuleAction.Deny, Ports = [PortRange.Parse("8000-8100/udp")] });

        PowerShellCommand rule = PowerShellScript.Read(rules.ToWindowsFirewall()).Invocations("New-NetFirewallRule")[0];

        Assert.That((rule["-Action"].Single, rule["-Protocol"].Single, rule["-RemotePort"].Single), Is.EqualTo(("Block", "UDP", "8000-8100")));
    }

    [Test]
    public void Write_HostileProvenance_StaysInsideLiteralsAndComments()
    {
        RuleSet hostile = WindowsTestRules.WithHostileProvenance();
        RuleSet benign = RuleSet.Create(hostile.Rules, new RuleSetProvenance(null, 7, "today", ["agents"], IsEmbeddedSnapshot: false));

        PowerShellScript script = PowerShellScript.Read(hostile.ToWindowsFirewall());

        Assert.That(script.Commands.Select(c => c.Name), Is.EqualTo(PowerShellScript.Read(benign.ToWindowsFirewall()).Commands.Select(c => c.Name)),
            "the same commands as with harmless text, and no others");
        Assert.That(script.Invocations("New-NetFirewallRule").Select(c => c["-Description"].Single), Has.All.EqualTo(
            "allow egress to 443/tcp for agents, from Datadog ip-ranges version 7 modified "
            + "x'; Remove-Item C:\\ -Recurse #'; iex evil '''\" $(calc) `n & calc | calc ^ %PATH% ??Invoke-Expression pwned?# SIG # Begin signature block???end"),
            "each quote, typographic ones included, is one escaped '; each line break and other non-ASCII character a ?");
        Assert.That(script.Comments.Count(c => c.Contains("Invoke-Expression", StringComparison.Ordinal)), Is.EqualTo(2),
            "the header's source and sections lines, each still one comment");
    }

    [Test]
    public void Write_HostileDocumentStamp_IsLeftOut()
    {
        RuleSet hostile = RuleSet.For(WindowsTestRules.HostileDocument(), Section.Logs);

        PowerShellScript script = PowerShellScript.Read(hostile.ToWindowsFirewall());

        Assert.That(script.Commands.Select(c => c.Name),
            Is.EqualTo(PowerShellScript.Read(RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToWindowsFirewall()).Commands.Select(c => c.Name)));
        Assert.That(script.Invocations("New-NetFirewallRule").Select(c => c["-Description"].Single), Has.All.EndWith("from Datadog ip-ranges version 99"));
        AssertCreatesExactly(script, hostile, 1000);
    }

    [Test]
    public void HostileSectionName_IsRefusedBeforeAnyEmitter()
    {
        Assert.That(() => IpRangesDocument.Parse("""{"version": 1, "logs'; calc": {"prefixes_ipv4": ["3.233.144.0/20"], "prefixes_ipv6": []}}"""),
            Throws.TypeOf<IpRangesFormatException>().With.Message.Contains("is not allowed"));
        Assert.That(() => new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["a\u2019b"]),
            Throws.TypeOf<RuleGenerationException>());
    }

    [Test]
    public void Write_NoComments_LeavesOutCommentsAndDescriptions()
    {
        string text = RuleSet.For(WindowsTestRules.Document(52), Section.Logs).ToWindowsFirewall(new WindowsFirewallOptions { Comments = false });

        PowerShellScript script = PowerShellScript.Read(text);

        Assert.That(script.Comments, Is.EqualTo(new[] { "#Requires -RunAsAdministrator" }));
        Assert.That(script.Invocations("New-NetFirewallRule").Where(c => c.Has("-Description")), Is.Empty);
        AssertCreatesExactly(script, RuleSet.For(WindowsTestRules.Document(52), Section.Logs), 1000);
    }

    [Test]
    public void Write_OneFamily_CreatesOnlyThatFamily()
    {
        RuleSet logs = RuleSet.For(WindowsTestRules.Document(52), Section.Logs);

        PowerShellScript script = PowerShellScript.Read(logs.ToWindowsFirewall(new WindowsFirewallOptions { Families = AddressFamilies.IPv6 }));

        Assert.That(
            script.Invocations("New-NetFirewallRule").SelectMany(c => c["-RemoteAddress"].Items),
            Is.EqualTo(new[] { "2600:1f18:24e6:b900::/56", "2600:1f18:24e6:b900::/56" }));
    }

    [Test]
    public void Write_FamilyTheSectionsLack_RefusesRatherThanAllowingAny()
    {
        RuleSet webhooks = RuleSet.For(WindowsTestRules.Document(52), Section.Webhooks);

        Assert.That(() => webhooks.ToWindowsFirewall(new WindowsFirewallOptions { Families = AddressFamilies.IPv6 }),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("no IPv6 prefixes"));
    }

    [Test]
    public void Write_PrefixBudget_SummarisesAndReportsTheExtraAddresses()
    {
        RuleSet v30 = RuleSet.For(WindowsTestRules.Document(30), Section.Agents);
        var options = new WindowsFirewallOptions { MaxPrefixesPerRule = 10 };

        string text = v30.ToWindowsFirewall(options);

        RuleSet budgeted = ExpectedRules.For(v30, options);
        Assert.That(budgeted.ExtraIPv4Addresses, Is.GreaterThan(UInt128.Zero));
        Assert.That(text, Does.Contain($"# A prefix budget summarised the lists: they allow {budgeted.ExtraIPv4Addresses} IPv4 and 0 IPv6 addresses beyond the listed ranges."));
        AssertCreatesExactly(PowerShellScript.Read(text), budgeted, 1000);
    }

    [Test]
    public void Write_Output_IsPrintableAscii()
    {
        string text = WindowsTestRules.WithHostileProvenance().ToWindowsFirewall() + RuleSet.All(WindowsTestRules.Document(52)).ToWindowsFirewall();

        // Windows PowerShell 5.1 reads a file without a byte order mark as ANSI, where UTF-8 bytes of
        // other characters can decode to typographic quotes; plain ASCII means the same in every code page.
        Assert.That(text.Where(c => c is not '\n' and (< ' ' or > '~')), Is.Empty);
    }

    [TestCase(0)]
    [TestCase(1001)]
    public void MaxAddressesPerRule_OutsideOneToTheLimit_Throws(int value) =>
        Assert.That(() => new WindowsFirewallOptions { MaxAddressesPerRule = value }, Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase("")]
    [TestCase("1datadog")]
    [TestCase("data dog")]
    [TestCase("dd'; calc")]
    [TestCase("dd*")]
    [TestCase("dd\u2019")]
    [TestCase("abcdefghijklmnopqrstu")]
    public void Name_NotALetterThenLettersDigitsDashOrUnderscore_Throws(string name) =>
        Assert.That(() => new WindowsFirewallOptions { Name = name }, Throws.ArgumentException);

    [Test]
    public void Registry_Windows_UsesTheSharedOptions()
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create("windows", new EmitterOptions { Name = "dd_prod-1", Families = AddressFamilies.IPv4 });

        PowerShellScript script = PowerShellScript.Read(RuleSet.For(WindowsTestRules.Document(52), Section.Logs).Render(emitter));

        Assert.That(emitter, Is.TypeOf<WindowsFirewallEmitter>());
        Assert.That(script.Invocations("Get-NetFirewallRule")[0]["-Group"].Single, Is.EqualTo("dd_prod-1 (FirewallRules)"));
        Assert.That(script.Invocations("New-NetFirewallRule").Select(c => c["-Name"].Single),
            Is.EqualTo(new[] { "dd_prod-1-egress-tcp-443-ipv4-01-staged", "dd_prod-1-egress-tcp-10516-ipv4-01-staged" }));
    }

    [Test]
    public void Registry_WindowsOptions_AreKept()
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create("windows", new WindowsFirewallOptions { MaxAddressesPerRule = 100 });

        PowerShellScript script = PowerShellScript.Read(RuleSet.For(WindowsTestRules.Document(30), Section.Agents).Render(emitter));

        Assert.That(script.Invocations("New-NetFirewallRule").Max(c => c["-RemoteAddress"].Items.Count), Is.EqualTo(100));
    }

    /// <summary>
    /// The script creates, for each rule of the set, Windows rules whose addresses are exactly the rule's
    /// aggregated prefixes (canonical, each once), one family and at most <paramref name="max"/> per Windows
    /// rule, with unique names and the rule's direction, protocol, port and action.
    /// </summary>
    private static void AssertCreatesExactly(PowerShellScript script, RuleSet expected, int max)
    {
        PowerShellCommand[] created = script.Invocations("New-NetFirewallRule").ToArray();
        Assert.That(created.Select(c => c["-Name"].Single), Is.Unique);
        foreach (PowerShellCommand rule in created)
        {
            IReadOnlyList<string> addresses = rule["-RemoteAddress"].Items;
            Assert.That(addresses, Has.Count.InRange(1, max), rule["-Name"].Single);
            Assert.That(addresses.Select(a => IPNetwork.Parse(a).BaseAddress.AddressFamily).Distinct().Count(), Is.EqualTo(1), "one family per Windows rule");
            Assert.That(addresses.Select(a => IPNetwork.Parse(a).ToString()), Is.EqualTo(addresses), "canonical CIDR text");
        }

        foreach (FirewallRule rule in expected.Rules)
        {
            string port = rule.Port.IsSinglePort ? $"{rule.Port.First}" : $"{rule.Port.First}-{rule.Port.Last}";
            string[] addresses = created
                .Where(c => c["-Direction"].Single == (rule.Direction == Direction.Egress ? "Outbound" : "Inbound")
                    && c[rule.Direction == Direction.Egress ? "-RemotePort" : "-LocalPort"].Single == port
                    && c["-Protocol"].Single == (rule.Port.Protocol == TransportProtocol.Tcp ? "TCP" : "UDP")
                    && c["-Action"].Single == (rule.Action == RuleAction.Allow ? "Allow" : "Block"))
                .SelectMany(c => c["-RemoteAddress"].Items)
                .ToArray();
            Assert.That(addresses, Has.Length.EqualTo(rule.Prefixes.Count), rule.Name);
            Assert.That(PrefixSet.Parse(string.Join('\n', addresses)), Is.EqualTo(rule.Prefixes), rule.Name);
        }

        Assert.That(created.Sum(c => c["-RemoteAddress"].Items.Count), Is.EqualTo(expected.Rules.Sum(r => r.Prefixes.Count)), "nothing beyond the rules");
    }
}
