using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The event-platform pipelines' own endpoint keys (<see cref="PipelineEndpoint"/>): <c>logs_dd_url</c>, else <c>dd_url</c>,
/// replaces the pipeline's default host with its port kept (comp/logs/agent/config/config.go, BuildHTTPEndpointsWithConfig;
/// the prefixes of comp/forwarder/eventplatform/eventplatformimpl/epforwarder.go).
/// </summary>
[TestFixture]
public class PipelineEndpointTests
{
    private static AgentPlan Plan(string yaml) => AgentConfiguration.Parse(yaml, null, null, "7.81.0");

    private static string[] Hosts(AgentPlan plan, string feature) => AgentConfigurationTests.Hosts(plan, feature);

    [TestCase("metrics")]
    [TestCase("samples")]
    [TestCase("activity")]
    public void DatabaseMonitoringLogsDdUrl_HostAndPort_IsTheDestination_PortKept(string pipeline)
    {
        AgentPlan plan = Plan($"database_monitoring:\n  {pipeline}:\n    logs_dd_url: dbm-relay.internal:10443\n");

        Assert.That(Hosts(plan, "database-monitoring"), Is.EqualTo(new[] { "dbm-relay.internal 10443/tcp" }));
    }

    [Test]
    public void DatabaseMonitoringLogsDdUrl_BesideItsDdUrlAndExtraEndpoints_WinsAndReplacesTheMainHost()
    {
        AgentPlan plan = Plan("database_monitoring:\n  metrics:\n    logs_dd_url: dbm-relay.internal:10443\n    dd_url: https://other.internal:9443\n" +
            "    additional_endpoints: [{api_key: k, Host: dbm-metrics-intake.datadoghq.eu, Port: 443}]\n");

        Assert.That(Hosts(plan, "database-monitoring"), Is.EqualTo(new[] { "dbm-relay.internal 10443/tcp", "dbm-metrics-intake.datadoghq.eu 443/tcp" }));
    }

    [Test]
    public void NetworkDevicesForwarderLogsDdUrls_ReplaceTrapsFlowsAndMetadataHosts()
    {
        AgentPlan plan = Plan("network_devices:\n  snmp_traps:\n    enabled: true\n    forwarder:\n      logs_dd_url: traps-relay.internal:9443\n" +
            "  netflow:\n    enabled: true\n    forwarder:\n      logs_dd_url: https://flow-relay.internal\n" +
            "  metadata:\n    logs_dd_url: ndm-relay.internal:9444\n");

        Assert.That(Hosts(plan, "snmp-traps"), Is.EqualTo(new[] { "traps-relay.internal 9443/tcp" }));
        Assert.That(Hosts(plan, "netflow"), Is.EqualTo(new[] { "flow-relay.internal 443/tcp" }));
        Assert.That(Hosts(plan, "ndm"), Is.EqualTo(new[] { "ndm-relay.internal 9444/tcp" }));
        Assert.That(plan.Destinations.Select(d => d.HostName), Has.None.StartsWith("snmp-traps-intake.").And.None.StartsWith("ndmflow-intake.").And.None.StartsWith("ndm-intake."));
    }

    [Test]
    public void NetworkDevicesMetadataDdUrl_WithAutodiscovery_ReplacesNdmIntake()
    {
        AgentPlan plan = Plan("network_devices:\n  autodiscovery:\n    workers: 2\n  metadata:\n    dd_url: https://ndm-relay.internal:8443\n");

        Assert.That(Hosts(plan, "ndm"), Is.EqualTo(new[] { "ndm-relay.internal 8443/tcp" }));
    }

    [Test]
    public void LogsDdUrl_LogsNoSsl_SendsOverPlainHttp()
    {
        AgentPlan plan = Plan("database_monitoring:\n  samples:\n    logs_dd_url: dbm-relay.internal:8080\n    logs_no_ssl: true\n");

        Assert.That(plan.Destinations.Single(d => DestinationMerge.Serves(d, "database-monitoring")).Scheme, Is.EqualTo("http"));
    }

    [Test]
    public void LogsDdUrl_WithoutItsPort_IsRefusedOnOneLineNamingTheKey()
    {
        var error = Assert.Throws<AgentConfigurationException>(() => Plan("database_monitoring:\n  metrics:\n    logs_dd_url: dbm-relay.internal\n"))!;

        Assert.That(error.Message, Does.StartWith("datadog.yaml:3: database_monitoring.metrics.logs_dd_url").And.Contain("HOST:PORT").And.Not.Contain("\n"));
    }

    // The template's dd_url: "It does not affect APM, Logs or Live Process intake"; each pipeline reads its own key (GetMainEndpoint).
    [Test]
    public void DdUrl_ARelay_MovesMetricsOnly_AndSaysSo()
    {
        AgentPlan plan = Plan("dd_url: https://relay.internal:8443\nlogs_enabled: true\n");

        Assert.That(Hosts(plan, "logs"), Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.com 443/tcp" }));
        Assert.That(Hosts(plan, "apm"), Is.EqualTo(new[] { "trace.agent.datadoghq.com 443/tcp" }));
        Assert.That(plan.Notes, Has.One.StartsWith("dd_url sends metrics (and flares) to relay.internal; it moves no other pipeline"));
    }

    [Test]
    public void DdUrl_AnotherSitesApp_NoRelayNote()
    {
        Assert.That(Plan("dd_url: https://app.datadoghq.eu\n").Notes, Has.None.StartsWith("dd_url sends"));
    }
}
