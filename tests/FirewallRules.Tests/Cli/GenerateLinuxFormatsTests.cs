using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Cli;

/// <summary><c>fwrules generate</c> with the built-in Linux formats (the real tools check the same output in Emitters/Linux).</summary>
[TestFixture]
public class GenerateLinuxFormatsTests
{
    [TestCase("iptables", "# datadog: Datadog egress rules for iptables-restore")]
    [TestCase("ip6tables", "# datadog: Datadog egress rules for ip6tables-restore")]
    [TestCase("ipset", "# datadog: Datadog ranges as ipset sets")]
    [TestCase("iptables-ipset", "# datadog: Datadog egress rules for iptables-restore (IPv4, filter table, matching ipsets)")]
    [TestCase("ip6tables-ipset", "# datadog: Datadog egress rules for ip6tables-restore (IPv6, filter table, matching ipsets)")]
    [TestCase("iptables-script", "#!/bin/sh\n# datadog: Datadog rules for iptables and ip6tables, as a shell script")]
    [TestCase("iptables-ipset-script", "#!/bin/sh\n# datadog: Datadog rules for iptables and ip6tables with ipsets")]
    [TestCase("nftables", "# datadog: Datadog egress rules for nftables, in table inet datadog of their own, policy accept")]
    [TestCase("nftables-strict", "# datadog: Datadog egress rules for nftables, in table inet datadog of their own, strict")]
    [TestCase("nftables-chain", "# datadog: Datadog egress rules for nftables, as chains in your table inet filter")]
    public async Task Generate_LinuxFormatForLogs_WritesTheFormatAndReportsIt(string format, string start)
    {
        // A single-family format renders its family when asked for it alone (with both, it is refused: see below).
        string family = format.StartsWith("ip6tables", StringComparison.Ordinal) ? "ipv6" : format is "iptables" or "iptables-ipset" ? "ipv4" : "both";
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "--format", format, "--section", "logs", "--family", family);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith(start));
        Assert.That(result.Output, Does.Contain("version 59, modified 2024-10-17T00:00:00Z"), "the provenance header");
        Assert.That(result.Error, Does.StartWith($"generate: {format} for logs"));
    }

    [TestCase("iptables", "datadog-dogstatsd.rules")]
    [TestCase("nftables", "datadog-dogstatsd.nft")]
    [TestCase("nftables-strict", "datadog-dogstatsd.nft")]
    public async Task Generate_AgentDogStatsD_MatchesGoldenFile(string format, string file)
    {
        // iptables holds IPv4 only: asked for it alone (with both, it is refused: see below).
        string[] family = format == "iptables" ? ["--family", "ipv4"] : [];
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "--format", format, "--agent", "datadog", "--feature", "dogstatsd", .. family]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        LinuxGrammar.AssertOnlyKnownLines(format, result.Output);
        GoldenFile.AssertMatches(result.Output, format, file);
    }

    [Test]
    public async Task Generate_NoComments_WritesOnlyCommands()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "-s", "logs", "--no-comments", "--name", "dd", "--family", "ipv6");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith("table inet dd {}\ndelete table inet dd\n").And.Not.Contain("#").And.Not.Contain("ipv4_addr"));
    }

    [TestCase("ip6tables", "webhooks", "webhooks list no IPv6 prefixes")]
    [TestCase("ip6tables-ipset", "webhooks", "webhooks list no IPv6 prefixes")]
    public async Task Generate_FormatOfAFamilyTheSectionLacks_ExitsOneAndWritesNothing(string format, string section, string message)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "-s", section);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain(message));
    }

    [TestCase(
        "iptables", "both",
        "iptables renders IPv4 only, not --family both: give --family ipv4 (or leave it out) for its IPv4 rules, and render the IPv6 prefixes of logs with " +
        "-f ip6tables or -f ip6tables-ipset; for both in one output, use ipset or iptables-ipset-script or iptables-script.")]
    [TestCase("iptables-ipset", "both", "iptables-ipset renders IPv4 only, not --family both: give --family ipv4 (or leave it out)")]
    [TestCase("ip6tables", "both", "ip6tables renders IPv6 only, not --family both: give --family ipv6 (or leave it out) for its IPv6 rules, and render the IPv4 prefixes of " +
        "logs with -f iptables or -f iptables-ipset")]
    [TestCase("ip6tables-ipset", "both", "ip6tables-ipset renders IPv6 only, not --family both")]
    public async Task Generate_SingleFamilyFormatWithBothFamiliesAsked_ExitsTwoNamingTheFormatsForBoth(string format, string family, string message)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "-f", format, "-s", "logs", "--family", family]);

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)), result.Error);
        Assert.That(result.Error, Does.StartWith("fwrules: " + message));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
    }

    [TestCase(
        "iptables",
        "iptables renders IPv4 only, not --family both: give --family ipv4 (or leave it out) for its IPv4 rules, and render the IPv6 prefixes of datadog:dogstatsd " +
        "with -f ip6tables or -f ip6tables-ipset; for both in one output, use ipset or iptables-ipset-script or iptables-script.")]
    [TestCase("iptables-ipset", "iptables-ipset renders IPv4 only, not --family both: give --family ipv4")]
    [TestCase("ip6tables", "ip6tables renders IPv6 only, not --family both: give --family ipv6 (or leave it out) for its IPv6 rules, and render the IPv4 prefixes of " +
        "datadog:dogstatsd with -f iptables or -f iptables-ipset")]
    [TestCase("ip6tables-ipset", "ip6tables-ipset renders IPv6 only, not --family both")]
    public async Task Generate_SingleFamilyFormatWithTheListenerProtectionForBothFamilies_ExitsTwoNamingTheFormatsForBoth(string format, string message)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--agent", "datadog", "--feature", "dogstatsd", "--family", "both");

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)), result.Error);
        Assert.That(result.Error, Does.StartWith("fwrules: " + message));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
    }

    [TestCase("iptables-script")]
    [TestCase("nftables")]
    public async Task Generate_FormatHoldingBothFamiliesWithTheListenerProtection_RendersLoopbackOfBoth(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--agent", "datadog", "--feature", "dogstatsd");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("127.0.0.1").And.Contain("::1"));
    }

    [Test]
    public async Task GenerateAgent_UnderTheAllowListsName_WarnsThatApplyingItReplacesTheAllowList()
    {
        ProcessResult own = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent", "datadog", "--feature", "dogstatsd");
        ProcessResult shared = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent", "datadog", "--feature", "dogstatsd", "--name", "datadog");

        Assert.That((own.ExitCode, shared.ExitCode), Is.EqualTo((0, 0)), own.Error + shared.Error);
        Assert.That(own.Output, Does.Contain("\ntable inet datadog-agent {\n"));
        Assert.That(own.Error, Does.Not.Contain("warning"));
        Assert.That(shared.Output, Does.Contain("\ntable inet datadog {\n"));
        Assert.That(shared.Error, Does.Contain(
            "fwrules: warning: " +
                "--name datadog is the allow-list's name (generate and sync load it there): applying this listener protection replaces an allow-list loaded under it; " +
            "keep the default --name datadog-agent, or let sync own both with --agent\n"));
    }

    [Test]
    public async Task Generate_SingleFamilyFormatForASectionOfItsFamilyOnly_RendersItWithTheDefaultFamily()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "-s", "webhooks");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("-A datadog-ingress -s 3.210.147.169/32"));
    }

    [Test]
    public async Task Generate_IptablesAskedForIPv6_ExitsTwoNamingIp6tables()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "-s", "logs", "--family", "ipv6");

        Assert.That(result.ExitCode, Is.EqualTo(2), "a contradictory option value is a usage error");
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("for --family ipv6 use ").And.Contain("ip6tables,"));
    }

    [Test]
    public async Task Generate_IpsetNameTooLongForIpset_ExitsOneSayingTheLimit()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "ipset", "-s", "logs", "--name", "a-twenty-chars-name1");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("longer than ipset's 31 characters"));
    }
}
