using FirewallRules.AgentConfig;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The event-platform pipelines' own endpoint keys (<see cref="PipelineEndpoint"/>): <c>logs_dd_url</c>, else <c>dd_url</c>,
/// replaces the pipeline's default host with its port kept (comp/logs/agent/config/config.go, BuildHTTPEndpointsWithConfig;
/// the prefixes of comp/forwarder/eventplatform/eventplatformimpl/epforwarder.go).
/// </summary>
[TestFixture]
public class PipelineEndpointTests
{
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
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("dd_url sends metrics (and flares) to relay.internal; it moves no other pipeline"));
    }

    [Test]
    public void DdUrl_AnotherSitesApp_NoRelayNote()
    {
        Assert.That(Plan("dd_url: https://app.datadoghq.eu\n").Notes.Texts(), Has.None.StartsWith("dd_url sends"));
    }

    // The operator trial: the table showed dbquery-intake.datadoghq.com 8443/tcp from metrics' logs_dd_url while the note still said 443/tcp.
    [Test]
    public void DatabaseMonitoringNote_MetricsMovedToAPort_NamesThePlannedHostPortAndThePipelinesLeft()
    {
        AgentPlan plan = Plan("database_monitoring:\n  metrics:\n    logs_dd_url: dbquery-intake.datadoghq.com:8443\n");
        string note = plan.Notes.Texts().Single(n => n.StartsWith("Database Monitoring", StringComparison.Ordinal));

        Assert.That(Hosts(plan, "database-monitoring"), Is.EqualTo(new[] { "dbquery-intake.datadoghq.com 8443/tcp" }));
        Assert.That(note, Does.Contain("dbquery-intake.datadoghq.com (8443/tcp, database_monitoring.metrics.logs_dd_url)")
            .And.Contain("the samples, activity pipelines send to dbquery-intake.datadoghq.com and dbm-metrics-intake.datadoghq.com (443/tcp), not planned"));
    }

    [Test]
    public void DatabaseMonitoringNote_EveryPipelineMoved_AsksForNoDefaultHost()
    {
        AgentPlan plan = Plan("database_monitoring:\n  metrics:\n    logs_dd_url: r.internal:1\n  samples:\n    logs_dd_url: r.internal:2\n" +
            "  activity:\n    dd_url: https://r.internal:3\n");
        string note = plan.Notes.Texts().Single(n => n.StartsWith("Database Monitoring", StringComparison.Ordinal));

        Assert.That(Hosts(plan, "database-monitoring"), Is.EquivalentTo(new[] { "r.internal 1/tcp", "r.internal 2/tcp", "r.internal 3/tcp" }));
        Assert.That(note, Does.Not.Contain("intake.datadoghq.com").And.Contain("r.internal (3/tcp, database_monitoring.activity.dd_url)"));
    }

    // The operator trial: metadata.logs_dd_url alone (traps and flows off) was not planned, and the note asked for ndm-intake on 443/tcp.
    [Test]
    public void NetworkDevicesMetadataLogsDdUrl_WithoutTrapsFlowsOrAutodiscovery_IsPlannedAndTheNoteNamesIt()
    {
        AgentPlan plan = Plan("network_devices:\n  metadata:\n    logs_dd_url: ndm.relay.example:10443\n");

        Assert.That(Hosts(plan, "ndm"), Is.EqualTo(new[] { "ndm.relay.example 10443/tcp" }));
        Assert.That(plan.Notes.Texts(), Has.None.Contains("ndm-intake.datadoghq.com"));
        Assert.That(plan.Notes.Texts(), Has.One.Contains("network_devices.metadata.logs_dd_url is set, so its device metadata is planned to ndm.relay.example (10443/tcp)"));
    }

    // The operator trial: the same key beside traps, flows and DBM keys planned the ndm row but gave no NDM note at all.
    [TestCase("  snmp_traps:\n    enabled: true\n  netflow:\n    enabled: true\n", "beside its SNMP traps and NetFlow")]
    [TestCase("  autodiscovery:\n    workers: 2\n", "autodiscovers SNMP devices")]
    [TestCase("", "polls SNMP devices set up in conf.d")]
    public void NetworkDevicesMetadataLogsDdUrl_WhateverTurnsNdmOn_TheNoteSaysWhereMetadataIsPlanned(string turnedOn, string how)
    {
        AgentPlan plan = Plan($"network_devices:\n{turnedOn}  metadata:\n    logs_dd_url: ndm-proxy.corp.example:3837\n" +
            "database_monitoring:\n  metrics:\n    logs_dd_url: dbm-relay.internal:10443\n");
        string[] notes = [.. plan.Notes.Texts().Where(n => n.StartsWith("Network Device Monitoring", StringComparison.Ordinal))];

        Assert.That(Hosts(plan, "ndm"), Is.EqualTo(new[] { "ndm-proxy.corp.example 3837/tcp" }));
        Assert.That(notes, Has.Length.EqualTo(1));
        Assert.That(notes[0], Does.Contain(how)
            .And.Contain("network_devices.metadata.logs_dd_url is set, so its device metadata is planned to ndm-proxy.corp.example (3837/tcp)"));
    }

    // comp/forwarder/eventplatform/impl/pipelines_networkpath.go, pipelines_container.go, pipelines_sbom.go: each pipeline's endpointsConfigPrefix.
    [TestCase("network_path:\n  connections_monitoring:\n    enabled: true\n  forwarder:\n", "network-path", "netpath-intake.")]
    [TestCase("container_lifecycle:\n  enabled: true\n", "container-lifecycle", "contlcycle-intake.")]
    [TestCase("container_image:\n  enabled: true\n", "container-image", "contimage-intake.")]
    [TestCase("sbom:\n  enabled: true\n", "sbom", "sbom-intake.")]
    public void EventPlatformLogsDdUrl_FeatureOn_ReplacesItsIntakeHost_PortKept(string section, string feature, string intake)
    {
        string indent = section.EndsWith("forwarder:\n", StringComparison.Ordinal) ? "    " : "  ";
        AgentPlan plan = Plan($"{section}{indent}logs_dd_url: relay.internal:10516\n");

        Assert.That(Hosts(plan, feature), Is.EqualTo(new[] { "relay.internal 10516/tcp" }));
        Assert.That(plan.Destinations.Select(d => d.HostName), Has.None.StartsWith(intake));
        Assert.That(AgentKeys.Mapped, Does.Contain(PipelineEndpoint.PrefixOf(feature) + "logs_dd_url"));
    }

    [Test]
    public void EventPlatformLogsDdUrl_FeatureOff_IsNotPlannedAndSaid()
    {
        AgentPlan plan = Plan("sbom:\n  logs_dd_url: relay.internal:10516\n");

        Assert.That(plan.Destinations.Select(d => d.HostName), Has.None.EqualTo("relay.internal"));
        Assert.That(plan.Notes.Texts(), Has.One.EqualTo("sbom.logs_dd_url is set, but sbom is off in this configuration: its endpoint is not planned."));
    }
}
