namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>--family</c> left out: a format holding one family renders that family, as its description declares, and says on
/// stderr which prefixes of the other family it left out and where they go; an explicit family it cannot hold is refused.
/// </summary>
[TestFixture]
public class DefaultFamilyTests
{
    private static string Document => TestData.Path_("ip-ranges", "datadoghq.com-v59.json");

    [Test]
    public async Task GenerateIptables_NoFamily_RendersIPv4AndWarnsOfTheIPv6PrefixesLeftOut()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "-i", Document, "-s", "agents");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("-A ").And.Not.Contain("::/"), "IPv4 rules only");
        Assert.That(result.Error, Does.Contain(
            "fwrules: warning: " +
                "iptables renders IPv4 only (the default --family for it): the IPv6 prefixes of agents are left out: render them with -f ip6tables or -f ip6tables-ipset; " +
            "for both in one output, use ipset or iptables-ipset-script or iptables-script\n"));
    }

    [Test]
    public async Task GenerateIp6tables_NoFamilyWithTheListenerProtection_RendersIPv6AndWarnsOfTheIPv4LeftOut()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "ip6tables", "--agent", "datadog", "--feature", "dogstatsd");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("::1/128").And.Not.Contain("127.0.0.0/8"));
        Assert.That(result.Error, Does.Contain("fwrules: warning: " +
            "ip6tables renders IPv6 only (the default --family for it): the IPv4 prefixes of datadog:dogstatsd are left out: " +
            "render them with -f iptables or -f iptables-ipset"));
    }

    [Test]
    public async Task GenerateIptables_ExplicitIpv6_IsRefusedOnOneLine()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "-i", Document, "-s", "agents", "--family", "ipv6");

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)));
        Assert.That(result.Error, Does.Contain("iptables renders ipv4 only: for --family ipv6 use"));
    }

    [Test]
    public async Task GenerateIptables_ExplicitIpv6_ListsOnlyFormatsThatRenderIPv6Prefixes()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "-i", Document, "-s", "agents", "--family", "ipv6");

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)));
        Assert.That(result.Error, Does.Contain("ip6tables").And.Contain("nftables"));
        Assert.That(result.Error, Does.Not.Contain("squid").And.Not.Contain("domains").And.Not.Contain("aws-network-firewall"), "by-name formats render no prefix");
    }

    [TestCase("agents")]
    [TestCase("webhooks")]
    public async Task GenerateIptables_ExplicitBoth_IsRefusedOnOneLineNamingIp6tables(string section)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "-i", Document, "-s", section, "--family", "both");

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)), result.Error);
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        Assert.That(result.Error, Does.StartWith("fwrules: iptables renders IPv4 only, not --family both: ").And.Contain(" with -f ip6tables "));
    }

    [Test]
    public async Task GenerateIptables_ExplicitIpv4_RendersWithoutTheWarning()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "-i", Document, "-s", "agents", "--family", "ipv4");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Not.Contain("left out"));
    }
}
