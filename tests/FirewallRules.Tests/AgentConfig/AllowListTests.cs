using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Names;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The plan as allow-lists by name (the domains and squid formats, from <see cref="PlanRules.ByName"/>): every host the plan
/// names, its port kept, checked for each target, and read back by Squid.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class AllowListTests
{
    private static string Render(string format, AgentPlan plan) => PlanRules.ByName(plan).Render(EmitterRegistry.Default.Create(format));

    private static AgentPlan Everything() =>
        AgentConfiguration.Parse(FeatureMapTests.EveryFeature + "\ndd_url: https://relay.internal:8443\nlogs_config:\n  force_use_tcp: true\n", null, null, TestAgent.Version);

    [Test]
    public void Domains_ListEveryHostTheAgentReachesByName_WithItsPort()
    {
        string text = Render("domains", Everything());

        Assert.That(text.Split('\n'), Does.Contain("relay.internal 8443/tcp metrics+flare")
            .And.Contain("contimage-intake.datadoghq.com 443/tcp container-image")
            .And.Contain("agent-intake.logs.datadoghq.com 10516/tcp logs")
            .And.Contain("config.datadoghq.com 8042/tcp remote-configuration")
            .And.No.Contains($"{TestAgent.InHostNames}-flare.agent.datadoghq.com 443/tcp flare")
            .And.Contain("0.datadog.pool.ntp.org 123/udp ntp"));
    }

    [Test]
    public void Squid_AllowsConnectToThePlannedHostsOnTheirPortsOnly()
    {
        string text = Render("squid", Everything());

        Assert.That(text, Does.Contain("acl datadog_hosts_8443 dstdomain -n relay.internal\n")
            .And.Contain("acl datadog_port_8042 port 8042\n"));
        Assert.That(text.Split('\n').Where(l => !l.StartsWith('#')), Has.None.Contains("SSL_ports").And.None.Contains("Safe_ports").And.None.Contains("localnet"),
            "no shared acl is widened");
        Assert.That(text, Does.Not.Contain("datadog_port_10516").And.Contain("# not allowed: agent-intake.logs.datadoghq.com 10516/tcp (logs over raw TCP"),
            "logs over TCP are a raw connection the agent never sends through an HTTP proxy");
        Assert.That(text.Split('\n').Where(l => l.StartsWith("http_access", StringComparison.Ordinal)), Has.All.StartsWith("http_access allow datadog_connect datadog_port_"));
    }

    [TestCase("domains", "dd_url: https://10.0.2.1\n", "10.0.2.1 443/tcp (metrics+flare)")]
    public void HostThatIsAnAddress_IsLeftOutSayingToAllowItByAddress_TheOtherHostsListed(string format, string yaml, string leftOut)
    {
        string text = Render(format, AgentConfiguration.Parse(yaml));

        Assert.That(text, Does.Contain($"{leftOut}: an address, not a host name, which a list of names cannot hold: allow it by address in the host's firewall"));
        Assert.That(text, Does.Contain("datadoghq.com"), "the other hosts are not listed");
        Assert.That(text.Split('\n').Where(l => !l.StartsWith('#')), Has.None.Contains(leftOut.Split(' ')[0]), "the address is in the list");
    }

    [TestCase("dd_url: https://[fd00:db8::1]:8443\n", "acl datadog_addresses_8443 dst fd00:db8::1/128",
        "http_access allow datadog_connect datadog_port_8443 datadog_addresses_8443_literal datadog_addresses_8443 !datadog_special_dst")]
    [TestCase("apm_config:\n  apm_dd_url: https://10.5.0.7:8126\n", "acl datadog_addresses_8126 dst 10.5.0.7/32",
        "http_access allow datadog_connect datadog_port_8126 datadog_addresses_8126_literal datadog_addresses_8126 !datadog_special_dst")]
    [TestCase("proxy:\n  https: http://proxy.internal:3128\ndd_url: https://10.1.2.3:8443\n", "acl datadog_addresses_8443 dst 10.1.2.3/32",
        "http_access allow datadog_connect datadog_port_8443 datadog_addresses_8443_literal datadog_addresses_8443 !datadog_special_dst")]
    [TestCase("dd_url: http://10.1.2.3:8080\n", "acl datadog_http_addresses_8080 dst 10.1.2.3/32",
        "http_access allow !datadog_connect datadog_port_8080 datadog_http_addresses_8080_literal datadog_http_addresses_8080 !datadog_special_dst")]
    public void Squid_RelayGivenByAddress_AllowedByItsAddressOnItsPort(string yaml, string acl, string access)
    {
        string text = Render("squid", AgentConfiguration.Parse(yaml));

        string[] parts = acl.Split(' ');
        string literal = parts[3].EndsWith("/128", StringComparison.Ordinal) ? $"[{parts[3][..^4]}]" : parts[3][..^3];
        Assert.That(text.Split('\n'), Has.One.EqualTo(acl).And.One.EqualTo(access).And.One.EqualTo($"acl {parts[1]}_literal dstdomain -n {literal}"));
        Assert.That(text, Does.Not.Contain("an address, not a host name"));
    }

    [TestCase("squid-host.internal", true)]
    [TestCase("a..b", false)]
    [TestCase("-a.example", false)]
    [TestCase("a b.example", false)]
    [TestCase("a\nhttp_access allow all", false)]
    [TestCase("1.2.3.4", false)]
    public void DnsNames_AreCheckedBeforeAnyLine(string host, bool valid) => Assert.That(NameRules.IsDnsName(host), Is.EqualTo(valid));

    [Test]
    public void Squid_EveryGeneratedFile_PassesSquidsOwnParse()
    {
        string squid = ExternalTool.Command("squid");
        using var files = new TempFiles();
        AgentPlan[] plans = [Everything(), AgentConfiguration.Parse(AgentConfigurationTests.Template), AgentConfiguration.Parse(null, null, "datadog:\n  site: datadoghq.eu\n"),
            AgentConfiguration.Parse("dd_url: https://10.1.2.3:8443\napm_config:\n  apm_dd_url: https://[fd00:db8::1]:8126\nlogs_enabled: true\n" +
                "logs_config:\n  logs_dd_url: http://10.1.2.4:8080\n  logs_no_ssl: true\n")];
        for (int i = 0; i < plans.Length; i++)
        {
            string include = files.Write($"datadog-agent-{i}.conf", Render("squid", plans[i]));
            string conf = files.Write($"squid-{i}.conf", $"http_port 127.0.0.1:3128\ninclude {include}\nhttp_access deny all\n");
            ToolResult result = ExternalTool.Run(squid, ["-k", "parse", "-f", conf], timeout: TimeSpan.FromSeconds(60));

            Assert.That(result.ExitCode, Is.Zero, result.Error + result.Output);
            Assert.That(result.Error + result.Output, Does.Not.Contain("ERROR").And.Not.Contain("FATAL"));
        }
    }
}
