using FirewallRules.AgentConfig;
using FirewallRules.Emitters;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// <c>no_proxy_nonexact_match</c>: the agent hands no_proxy to golang.org/x/net/http/httpproxy (GetProxyTransportFunc,
/// pkg/util/http/transport.go), whose matching <see cref="NoProxyRule"/> follows; the plan and every name-aware output take
/// the same decision from it.
/// </summary>
[TestFixture]
public class NoProxyNonExactTests
{
    // httpproxy's own test list (TestUseProxy, proxy_test.go), every host asked for on port 80.
    private static readonly string[] GoList =
    [
        "foobar.com", " .barbaz.net", " *.wildcard.io", " 192.168.1.1", " 192.168.1.2:81", " 192.168.1.3:80", " 10.0.0.0/30", " 2001:db8::52:0:1",
        " [2001:db8::52:0:2]:443", " [2001:db8::52:0:3]:80", " 2002:db8:a::45/64",
    ];

    private const string Relay = "api_key: k\ndd_url: https://metrics-relay.internal:8443\nproxy:\n  https: http://proxy.corp.example:3128\n  no_proxy:\n    - .internal\n"
        + "no_proxy_nonexact_match: true\n";

    [TestCase("localhost", true)]
    [TestCase("127.0.0.2", true)]
    [TestCase("::1", true)]
    [TestCase("::2", false)]
    [TestCase("192.168.1.1", true)]
    [TestCase("192.168.1.2", false)]
    [TestCase("192.168.1.3", true)]
    [TestCase("192.168.1.4", false)]
    [TestCase("10.0.0.2", true)]
    [TestCase("2001:db8::52:0:1", true)]
    [TestCase("2001:db8::52:0:2", false)]
    [TestCase("2001:db8::52:0:3", true)]
    [TestCase("2002:db8:a::123", true)]
    [TestCase("fe80::424b:c8be:1643:a1b6", false)]
    [TestCase("barbaz.net", false)]
    [TestCase("www.barbaz.net", true)]
    [TestCase("foobar.com", true)]
    [TestCase("www.foobar.com", true)]
    [TestCase("foofoobar.com", false)]
    [TestCase("baz.com", false)]
    [TestCase("localhost.net", false)]
    [TestCase("local.localhost", false)]
    [TestCase("barbarbaz.net", false)]
    [TestCase("wildcard.io", false)]
    [TestCase("nested.wildcard.io", true)]
    [TestCase("awildcard.io", false)]
    public async Task NonExact_GoesDirect_ExactlyAsHttpproxysOwnTestsSay(string host, bool direct)
    {
        string yaml = $"proxy:\n  http: http://proxy.corp.example:3128\n  no_proxy: [{string.Join(", ", GoList.Select(e => $"\"{e}\""))}]\n"
            + $"no_proxy_nonexact_match: true\ndd_url: http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:80\n";
        using var files = new TempFiles();

        // httpproxy's list is of loopback, link-local and documentation addresses, which a plan takes as relays only when named.
        AgentPlan plan = await AgentConfiguration.ReadAsync(new AgentConfigurationSources { ConfigFile = files.Write("datadog.yaml", yaml), SpecialRelays = [host] });
        AgentDestination metrics = plan.Destinations.Single(d => DestinationMerge.Serves(d, "metrics"));

        Assert.That(metrics.Coverage, Is.EqualTo(direct ? DestinationCoverage.NotPublished : DestinationCoverage.ThroughProxy));
        Assert.That(NoProxyRule.Direct(GoList, nonExact: true, "http", host, 80) is not null, Is.EqualTo(direct));
    }

    [Test]
    public void NonExact_AStarOrAListInOneEntry_MatchAsTheAgentJoinsThem()
    {
        Assert.That(NoProxyRule.Direct(["a.example", "*"], nonExact: true, "https", "trace.agent.datadoghq.com", 443), Is.EqualTo("*"));
        Assert.That(NoProxyRule.Direct(["a.example,.Internal "], nonExact: true, "https", "relay.internal", 8443), Is.EqualTo(".Internal"));
        Assert.That(NoProxyRule.Direct([":1"], nonExact: true, "https", "example.com", 443), Is.Null, "a malformed entry is ignored");
        Assert.That(NoProxyRule.Direct(["internal"], nonExact: true, "https", "10.0.0.1", 443), Is.Null, "a domain never matches an address");
    }

    [Test]
    public void Exact_LoopbackAndCidr_DoNotBypass_AsTheAgentsOwnComparison()
    {
        Assert.That(NoProxyRule.Direct(["10.0.0.0/8"], nonExact: false, "https", "10.1.2.3", 443), Is.Null);
        Assert.That(NoProxyRule.Direct([], nonExact: false, "https", "localhost", 443), Is.Null);
        Assert.That(NoProxyRule.Direct(["relay.internal:8443"], nonExact: false, "https", "relay.internal", 8443), Is.EqualTo("relay.internal:8443"));
    }

    [Test]
    public async Task NonExact_CidrAndLoopback_SendTheRelayPastTheProxy()
    {
        const string Proxy = "api_key: k\nproxy:\n  https: http://proxy.corp.example:3128\n  no_proxy:\n    - 10.0.0.0/8\nno_proxy_nonexact_match: true\n";

        AgentPlan cidr = AgentConfiguration.Parse(Proxy + "dd_url: https://10.1.2.3:8443\n");
        using var files = new TempFiles();
        AgentPlan loopback = await AgentConfiguration.ReadAsync(new AgentConfigurationSources
        {
            ConfigFile = files.Write("datadog.yaml", Proxy + "dd_url: https://localhost:8443\n"),
            SpecialRelays = ["localhost"],
        });

        Assert.That(cidr.Destinations.Single(d => DestinationMerge.Serves(d, "metrics")).Coverage, Is.EqualTo(DestinationCoverage.NotPublished));
        Assert.That(loopback.Destinations.Single(d => DestinationMerge.Serves(d, "metrics")).Coverage, Is.EqualTo(DestinationCoverage.NotPublished));
    }

    [Test]
    public async Task Plan_ARelayPastTheProxy_SaysSo_NotThroughTheProxy()
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", files.Write("datadog.yaml", Relay));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        string relay = result.Output.Split('\n').Single(l => l.StartsWith("metrics+flare ", StringComparison.Ordinal));
        Assert.That(relay, Does.Contain("metrics-relay.internal").And.Contain("past the proxy (no_proxy)").And.Not.Contain("through the proxy"));
        Assert.That(result.Output + result.Error, Does.Contain("metrics-relay.internal:8443 (metrics, flare) bypasses the proxy: no_proxy (.internal) sends it directly"));
    }

    [Test]
    public void Squid_LeavesOutTheHostPastTheProxy_OtherListsKeepIt()
    {
        RuleSet rules = PlanRules.ByName(AgentConfiguration.Parse(Relay));

        string squid = rules.Render(EmitterRegistry.Default.Create("squid"));
        string domains = rules.Render(EmitterRegistry.Default.Create("domains"));
        string firewall = rules.Render(EmitterRegistry.Default.Create("aws-network-firewall"));

        Assert.That(squid, Does.Not.Contain("dstdomain -n metrics-relay.internal").And.Contain("dstdomain -n trace.agent.datadoghq.com")
            .And.Contain("metrics-relay.internal 8443/tcp (metrics+flare): no_proxy (.internal) sends it past the proxy"));
        Assert.That(domains.Split('\n'), Does.Contain("metrics-relay.internal 8443/tcp metrics+flare"), "the agent reaches it: a list names it");
        Assert.That(firewall, Does.Contain("\"metrics-relay.internal\""), "the agent's own TLS to it carries its name");
    }
}
