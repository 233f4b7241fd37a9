using FirewallRules.AgentConfig;
using YamlDotNet.RepresentationModel;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>Every URL keeps its port, the chart's own defaults apply, and the agent's rule for conflicting transports is followed.</summary>
[TestFixture]
public class UrlPortAndChartDefaultTests
{
    private static string[] Hosts(AgentPlan plan, string feature) => AgentConfigurationTests.Hosts(plan, feature);

    [Test]
    public void DdUrl_WithAPort_KeepsThePort()
    {
        Assert.That(Hosts(Plan("dd_url: https://relay.internal:8443\n", version: null), "metrics"), Is.EqualTo(new[] { "relay.internal 8443/tcp" }));
        Assert.That(Hosts(Plan(null, "DD_DD_URL=https://relay.internal:8443", version: null), "metrics"), Is.EqualTo(new[] { "relay.internal 8443/tcp" }));
        Assert.That(Hosts(Plan("dd_url: https://relay.internal\n", version: null), "metrics"), Is.EqualTo(new[] { "relay.internal 443/tcp" }));
    }

    [Test]
    public void AdditionalEndpoints_WithAPort_KeepThePort()
    {
        AgentPlan plan = Plan("additional_endpoints:\n  \"https://relay.internal:8443\": [k1]\napm_config:\n  additional_endpoints:\n    " +
            "\"https://trace-relay.internal:9443\": [k2]\n", version: null);

        Assert.That(Hosts(plan, "metrics"), Does.Contain("relay.internal 8443/tcp"));
        Assert.That(Hosts(plan, "apm"), Does.Contain("trace-relay.internal 9443/tcp"));
        Assert.That(Hosts(Plan(null, "DD_ADDITIONAL_ENDPOINTS={\"https://relay.internal:8443\": [\"k1\"]}", version: null), "metrics"), Does.Contain("relay.internal 8443/tcp"));
    }

    [Test]
    public void ProcessDdUrl_WithAPort_KeepsThePort()
    {
        Assert.That(Hosts(Plan("process_config:\n  process_dd_url: https://process-relay.internal:8443\n", version: null), "process"),
            Is.EqualTo(new[] { "process-relay.internal 8443/tcp" }));
        Assert.That(Hosts(Plan(null, "DD_PROCESS_AGENT_URL=https://process-relay.internal:8443", version: null), "process"),
            Is.EqualTo(new[] { "process-relay.internal 8443/tcp" }));
    }

    [TestCase("logs_enabled: true\nlogs_config:\n  force_use_http: true\n  force_use_tcp: true\n", null)]
    [TestCase(null, "DD_LOGS_ENABLED=true\nDD_LOGS_CONFIG_FORCE_USE_HTTP=true\nDD_LOGS_CONFIG_FORCE_USE_TCP=true")]
    [TestCase("logs_enabled: true\nlogs_config:\n  force_use_tcp: true\n", "DD_LOGS_CONFIG_FORCE_USE_HTTP=true")]
    public void Logs_ForceHttpBesideForceTcp_HttpWinsAsTheAgentRunsIt(string? yaml, string? env)
    {
        AgentPlan plan = Plan(yaml, env, version: null);

        Assert.That(Hosts(plan, "logs"), Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.com 443/tcp" }));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("force_use_http and force_use_tcp are both set"));
    }

    // buildTCPEndpoints (comp/logs/agent/config/endpoints.go): use_port_443 sends to logs_config.dd_url_443 on 443, US1's host by default;
    // logs_config.dd_url on its known intake's port, else logs_config.dd_port.
    [TestCase("site: datadoghq.com\n", "  use_port_443: true\n", "agent-443-intake.logs.datadoghq.com 443/tcp")]
    [TestCase("site: datadoghq.eu\n", "  use_port_443: true\n", "agent-443-intake.logs.datadoghq.com 443/tcp")]
    [TestCase("", "  use_port_443: true\n  dd_url_443: tcp443.relay.corp\n", "tcp443.relay.corp 443/tcp")]
    [TestCase("", "  dd_url: tcp-relay.corp\n  dd_port: 10600\n", "tcp-relay.corp 10600/tcp")]
    [TestCase("", "  dd_url: agent-intake.logs.datadoghq.eu\n  dd_port: 10600\n", "agent-intake.logs.datadoghq.eu 443/tcp")]
    [TestCase("site: us5.datadoghq.com\n", "  dd_port: 10600\n", "agent-intake.logs.us5.datadoghq.com 10600/tcp")]
    [TestCase("site: datadoghq.eu\n", "  dd_port: 10600\n", "agent-intake.logs.datadoghq.eu 443/tcp")]
    public void LogsOverTcp_Port443AndDdPort_AsTheAgentBuildsItsEndpoint(string site, string logs, string expected)
    {
        AgentPlan plan = Plan($"{site}logs_enabled: true\nlogs_config:\n  force_use_tcp: true\n{logs}", version: null);

        Assert.That(Hosts(plan, "logs"), Is.EqualTo(new[] { expected }));
        Assert.That(plan.Notes.Texts().Any(n => n.Contains("use_port_443 go to agent-443-intake.logs.datadoghq.com", StringComparison.Ordinal)),
            Is.EqualTo(site.Contains(".eu", StringComparison.Ordinal) && logs.Contains("443", StringComparison.Ordinal)));
    }

    [Test]
    public void LogsOverHttps_Port443AndDdUrl_TheIntakeMovesAndTheFallbackIsThePort443Host()
    {
        AgentPlan plan = Plan("logs_enabled: true\nlogs_config:\n  use_port_443: true\n  dd_url: https://logs-relay.corp:8443\n", version: null);

        Assert.That(Hosts(plan, "logs"), Is.EqualTo(new[] { "logs-relay.corp 8443/tcp" }));
    }

    [Test]
    public void Logs_AdditionalEndpointsWithoutForceUseHttp_GoOverTcpAsTheAgentChooses()
    {
        AgentPlan plan = Plan("logs_enabled: true\nlogs_config:\n  additional_endpoints: [{api_key: k2, Host: agent-intake.logs.datadoghq.eu, Port: 443}]\n", version: null);

        Assert.That(Hosts(plan, "logs"), Is.EqualTo(new[] { "agent-intake.logs.datadoghq.com 10516/tcp", "agent-intake.logs.datadoghq.eu 443/tcp" }));
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("Logs go over TCP: logs_config.additional_endpoints without logs_config.force_use_http"));
        Assert.That(Hosts(Plan("logs_enabled: true\nlogs_config:\n  force_use_http: true\n  additional_endpoints: [{api_key: k2, Host: h.example, Port: 443}]\n", version: null),
            "logs"), Does.Contain("agent-http-intake.logs.datadoghq.com 443/tcp"));
    }

    [Test]
    public void Logs_Socks5Proxy_OverTcpToTheProxyOnly()
    {
        AgentPlan plan = Plan("logs_enabled: true\nlogs_config:\n  socks5_proxy_address: socks.corp:1080\n", version: null);

        Assert.That(Hosts(plan, "logs"), Is.EqualTo(new[] { "socks.corp 1080/tcp" }));
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("Logs over TCP go through the SOCKS5 proxy socks.corp:1080 (logs_config.socks5_proxy_address): the agent " +
            "connects to it only; the proxy reaches agent-intake.logs.datadoghq.com (10516/tcp)"));
        Assert.Throws<AgentConfigurationException>(() => Plan("logs_enabled: true\nlogs_config:\n  socks5_proxy_address: socks.corp\n", version: null));
        Assert.That(Hosts(Plan("logs_enabled: true\nlogs_config:\n  socks5_proxy_address: ''\n", version: null), "logs"),
            Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.com 443/tcp" }), "an empty address is unset to the agent");
    }

    [Test]
    public void Helm_ValuesLeavingDogStatsDOut_TakeTheChartsNonLocalTraffic()
    {
        AgentPlan plan = Plan(null, null, "datadog:\n  site: datadoghq.com\n", version: null);

        AgentListener statsd = plan.Listeners.Single(l => l.Feature == "dogstatsd");
        Assert.That((statsd.BindAddress, statsd.IsLocalOnly), Is.EqualTo(("0.0.0.0", false)), "datadog.dogstatsd.nonLocalTraffic defaults to true in the chart");
        Assert.That(Plan(null, null, "datadog:\n  dogstatsd:\n    nonLocalTraffic: false\n", version: null).Listeners.Single(l => l.Feature == "dogstatsd").IsLocalOnly, Is.True);
    }

    [Test]
    public void Helm_ChartDefaults_AreTheChartsOwnValuesYaml()
    {
        using var reader = new StringReader(File.ReadAllText(TestData.Path_("agent", "helm-values-3.240.0.yaml")));
        var stream = new YamlStream();
        stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        foreach ((string path, string value) in HelmValues.ChartDefaults)
        {
            YamlNode? node = root;
            foreach (string part in path.Split('.'))
            {
                node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(part), out YamlNode? child) ? child : null;
            }

            Assert.That((node as YamlScalarNode)?.Value, Is.EqualTo(value), path);
        }
    }
}
