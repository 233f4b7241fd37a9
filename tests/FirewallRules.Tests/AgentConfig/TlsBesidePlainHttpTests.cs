using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// A host the agent reaches on one port both over TLS and over plain HTTP keeps both (one destination per host, port and scheme), so a
/// proxy allows both a CONNECT and a proxied request; and the logs pipeline's extra endpoints (<c>logs_config.additional_endpoints</c>)
/// take TLS as the agent gives it to them: each one's own <c>use_ssl</c> from Agent 7.51 (comp/logs/agent/config/endpoints.go,
/// <c>loadHTTPAdditionalEndpoints</c>), else the main endpoint's.
/// </summary>
[TestFixture]
public class TlsBesidePlainHttpTests
{
    /// <summary>Metrics over TLS and logs over plain HTTP to one relay and port.</summary>
    internal const string SharedRelay = "dd_url: https://relay.corp.example:8080\nlogs_enabled: true\nlogs_config:\n" +
        "  logs_dd_url: http://relay.corp.example:8080\n  force_use_http: true\n";

    private static string[] Relay(AgentPlan plan) =>
        [.. plan.Destinations.Where(d => d.HostName == "relay.corp.example").Select(d => $"{d.Port} {d.Scheme} {d.Feature}")];

    [Test]
    public void Plan_SameRelayPortOverTlsAndPlainHttp_KeepsBothDestinations()
    {
        Assert.That(Relay(Plan(SharedRelay)), Is.EquivalentTo(new[] { "8080/tcp https metrics+flare", "8080/tcp http logs" }));
    }

    [Test]
    public void Squid_SameRelayPortOverTlsAndPlainHttp_AllowsBothConnectAndTheProxiedRequest()
    {
        string[] lines = PlanRules.ByName(Plan(SharedRelay + "proxy:\n  http: http://127.0.0.1:3128\n  https: http://127.0.0.1:3128\n"))
            .Render(EmitterRegistry.Default.Create("squid")).Split('\n');

        Assert.That(lines, Does.Contain("http_access allow datadog_connect datadog_port_8080 datadog_hosts_8080 !datadog_special_dst")
            .And.Contain("http_access allow !datadog_connect datadog_port_8080 datadog_http_hosts_8080 !datadog_special_dst")
            .And.Contain("acl datadog_hosts_8080 dstdomain -n relay.corp.example").And.Contain("acl datadog_http_hosts_8080 dstdomain -n relay.corp.example"));
    }

    [Test]
    public void Domains_SameRelayPortOverTlsAndPlainHttp_ListsTheHostOnce()
    {
        string text = PlanRules.ByName(Plan(SharedRelay)).Render(EmitterRegistry.Default.Create("domains"));

        Assert.That(text.Split('\n').Count(l => l.StartsWith("relay.corp.example 8080/tcp", StringComparison.Ordinal)), Is.EqualTo(1), text);
    }

    // endpoints.go: "if e.UseSSL != nil { newE.useSSL = *e.UseSSL } else { newE.useSSL = main.useSSL }"; buildURL: no Port, the scheme's own.
    [TestCase(TestAgent.Version, "{api_key: k, Host: dual.corp.example, use_ssl: false}", "80/tcp http")]
    [TestCase(TestAgent.Version, "{api_key: k, Host: dual.corp.example, Port: 8443, use_ssl: true}", "8443/tcp https")]
    [TestCase(TestAgent.Version, "{api_key: k, Host: dual.corp.example, Port: 8080}", "8080/tcp https")]
    [TestCase("7.50.0", "{api_key: k, Host: dual.corp.example, Port: 8080, use_ssl: false}", "8080/tcp https")]
    public void LogsAdditionalEndpoint_MainOverTls_TakesItsOwnUseSslFrom751(string version, string endpoint, string expected)
    {
        AgentPlan plan = Plan($"logs_enabled: true\nlogs_config:\n  force_use_http: true\n  additional_endpoints: [{endpoint}]\n", version: version);

        Assert.That(Extra(plan), Is.EqualTo(expected));
    }

    // Before 7.51 every extra endpoint took the main endpoint's TLS (additionals[i].UseSSL = main.UseSSL, config.go); from 7.51 without its own use_ssl too.
    [TestCase("7.50.0")]
    [TestCase(TestAgent.Version)]
    public void LogsAdditionalEndpoint_MainOverPlainHttp_IsPlainHttpToo(string version)
    {
        AgentPlan plan = Plan("logs_enabled: true\nlogs_config:\n  force_use_http: true\n  logs_dd_url: relay.corp.example:8080\n  logs_no_ssl: true\n" +
            "  additional_endpoints: [{api_key: k, Host: dual.corp.example, Port: 8081}]\n", version: version);

        Assert.That(Extra(plan), Is.EqualTo("8081/tcp http"));
        Assert.That(plan.Destinations.Single(d => d.HostName == "dual.corp.example").Purpose, Does.StartWith("logs over HTTP, dual shipping"));
    }

    [Test]
    public void LogsAdditionalEndpoint_UseSslNotABoolean_IsRefusedOnOneLine()
    {
        var error = Assert.Throws<AgentConfigurationException>(() =>
            Plan("logs_enabled: true\nlogs_config:\n  additional_endpoints: [{api_key: k, Host: dual.corp.example, use_ssl: maybe}]\n"))!;

        Assert.That(error.Message, Does.Contain("logs_config.additional_endpoints").And.Contain("use_ssl must be true or false").And.Not.Contain("\n"));
    }

    [Test]
    public void DatabaseMonitoringAdditionalEndpoint_OwnUseSslFalse_IsPlainHttp()
    {
        AgentPlan plan = Plan("database_monitoring:\n  metrics:\n    additional_endpoints: [{api_key: k, Host: dual.corp.example, Port: 8082, use_ssl: false}]\n");

        Assert.That(Extra(plan), Is.EqualTo("8082/tcp http"));
    }

    private static string Extra(AgentPlan plan) => plan.Destinations.Single(d => d.HostName == "dual.corp.example") is var d ? $"{d.Port} {d.Scheme}" : "";
}
