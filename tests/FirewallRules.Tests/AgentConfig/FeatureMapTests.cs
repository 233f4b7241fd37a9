using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>Every feature the agent turns on reaches the plan: a destination with its port and section (or by name only), or a listener, or a note.</summary>
[TestFixture]
public class FeatureMapTests
{
    internal const string EveryFeature = """
        logs_enabled: true
        container_image:
          enabled: true
        container_lifecycle:
          enabled: true
        sbom:
          enabled: true
        network_path:
          connections_monitoring:
            enabled: true
        network_devices:
          snmp_traps:
            enabled: true
          netflow:
            enabled: true
            listeners:
              - flow_type: netflow9
                port: 2055
              - flow_type: sflow5
        agent_telemetry:
          enabled: true
        apm_config:
          profiling_dd_url: https://profile-relay.internal:8443/api/v2/profile
        """;

    private static string[] Hosts(AgentPlan plan) => [.. plan.Destinations.Select(d => $"{d.Feature} {d.HostName} {d.Port} {d.Section?.ToString() ?? "by-name"}")];

    [Test]
    public void EnabledFeatures_EachGetTheirHost_NoneVanishes()
    {
        AgentPlan plan = AgentConfiguration.Parse(EveryFeature, null, null, TestAgent.Version);

        Assert.That(Hosts(plan), Is.SupersetOf(new[]
        {
            "container-image contimage-intake.datadoghq.com 443/tcp by-name",
            "container-lifecycle contlcycle-intake.datadoghq.com 443/tcp by-name",
            "sbom sbom-intake.datadoghq.com 443/tcp by-name",
            "network-path netpath-intake.datadoghq.com 443/tcp by-name",
            "snmp-traps snmp-traps-intake.datadoghq.com 443/tcp by-name",
            "netflow ndmflow-intake.datadoghq.com 443/tcp by-name",
            "ndm ndm-intake.datadoghq.com 443/tcp by-name",
            "apm-telemetry+agent-telemetry instrumentation-telemetry-intake.datadoghq.com 443/tcp by-name",
            "llmobs llmobs-intake.datadoghq.com 443/tcp by-name",
            "profiling profile-relay.internal 8443/tcp by-name",
            "remote-configuration config.datadoghq.com 8042/tcp RemoteConfiguration",
        }));
        Assert.That(plan.Listeners.Select(l => $"{l.Feature} {l.Port} {l.IsLocalOnly}"), Is.SupersetOf(new[]
        {
            "snmp-traps 9162/udp False", "netflow-netflow9 2055/udp False", "netflow-sflow5 6343/udp False",
        }));
    }

    [Test]
    public void SecurityProcessEventsAndDebugger_EnabledGetTheirMainHosts_OnTheSite()
    {
        AgentPlan plan = AgentConfiguration.Parse("""
            site: datadoghq.eu
            process_config:
              event_collection:
                enabled: true
            compliance_config:
              enabled: true
            runtime_security_config:
              enabled: true
            """, null, null, TestAgent.Version);

        Assert.That(Hosts(plan), Is.SupersetOf(new[]
        {
            "process-events process-events.datadoghq.eu 443/tcp by-name",
            "compliance cspm-intake.datadoghq.eu 443/tcp by-name",
            "runtime-security runtime-security-http-intake.logs.datadoghq.eu 443/tcp by-name",
            "debugger debugger-intake.datadoghq.eu 443/tcp by-name",
        }));
    }

    [Test]
    public void UrlKeys_ReplaceTheirTrackHost_TheDefaultStaysWhileATrackIsLeft()
    {
        AgentPlan relayed = AgentConfiguration.Parse("""
            process_config:
              event_collection:
                enabled: true
              events_dd_url: https://events-relay.internal:8443
            compliance_config:
              enabled: true
              endpoints:
                logs_dd_url: cspm-relay.internal:10443
            apm_config:
              symdb_dd_url: https://symdb-relay.internal:9443
            """, null, null, TestAgent.Version);

        string[] hosts = Hosts(relayed);
        Assert.That(hosts, Is.SupersetOf(new[]
        {
            "process-events events-relay.internal 8443/tcp by-name", "compliance cspm-relay.internal 10443/tcp by-name",
            "debugger symdb-relay.internal 9443/tcp by-name", "debugger debugger-intake.datadoghq.com 443/tcp by-name",
        }), "snapshots and diagnostics still go to debugger-intake while only symbol uploads are relayed");
        Assert.That(hosts.Where(h => h.Contains("process-events.", StringComparison.Ordinal) || h.Contains("cspm-intake.", StringComparison.Ordinal)), Is.Empty);
        Assert.That(Hosts(AgentConfiguration.Parse(null, "DD_APM_DEBUGGER_DD_URL=https://a.internal\nDD_APM_DEBUGGER_DIAGNOSTICS_DD_URL=https://a.internal\n"
            + "DD_APM_SYMDB_DD_URL=https://a.internal\n", null, TestAgent.Version)).Where(h => h.StartsWith("debugger", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "debugger a.internal 443/tcp by-name" }), "every track relayed by its variable: debugger-intake is not contacted");
    }

    [Test]
    public void Defaults_AddOnlyTheTraceAgentsForwardedIntakes()
    {
        // The container intakes, on by default from 7.50 whatever the trace agent does, are ContainerImageAndLifecycle_*'s; agent
        // telemetry, on by default from 7.59, is AgentTelemetry_IsOnByDefaultFromAgent759's.
        AgentPlan plan = AgentConfiguration.Parse(AgentConfigurationTests.Template, null, null, "7.49.0");

        Assert.That(Hosts(plan).Where(h => h.Contains("intake.", StringComparison.Ordinal) && !h.StartsWith("logs", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "apm-telemetry instrumentation-telemetry-intake.datadoghq.com 443/tcp by-name", "profiling intake.profile.datadoghq.com 443/tcp Apm",
            "debugger debugger-intake.datadoghq.com 443/tcp by-name", "llmobs llmobs-intake.datadoghq.com 443/tcp by-name",
        }));
        string[] traceAgentOff = Hosts(AgentConfiguration.Parse("apm_config:\n  enabled: false\nagent_telemetry:\n  enabled: true\n", null, null, "7.49.0"));
        Assert.That(traceAgentOff.Where(h => h.Contains("intake.", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "agent-telemetry instrumentation-telemetry-intake.datadoghq.com 443/tcp by-name",
        }), "the core agent's own telemetry stays; the trace agent's forwarded intakes go");
    }

    [Test]
    public void AgentTelemetry_OnByDefault_OffOnUs1FedAndWithFips()
    {
        static bool Planned(string yaml) => AgentConfiguration.Parse(yaml).Destinations.Any(d => DestinationMerge.Serves(d, "agent-telemetry"));

        Assert.That(Planned("api_key: x\n"), Is.True, "agent_telemetry.enabled defaults to true (pkg/config/setup/config.go)");
        Assert.That(Planned("agent_telemetry:\n  enabled: false\n"), Is.False);
        Assert.That(Planned("site: ddog-gov.com\n"), Is.False, "IsAgentTelemetryEnabled: off on ddog-gov.com");
        Assert.That(Planned("fips:\n  enabled: true\n"), Is.False, "IsAgentTelemetryEnabled: off with fips.enabled");
    }

    [Test]
    public void LlmObservability_FollowsTheTraceAgentsEvpProxy_NotAnLlmobsKey()
    {
        static string[] Llmobs(string yaml) => [.. AgentConfiguration.Parse(yaml).Destinations.Where(d => DestinationMerge.Serves(d, "llmobs")).Select(d => d.HostName)];

        Assert.That(Llmobs("api_key: x\n"), Is.EqualTo(new[] { "llmobs-intake.datadoghq.com" }));
        Assert.That(Llmobs("evp_proxy_config:\n  enabled: false\n"), Is.Empty);
        Assert.That(Llmobs("apm_config:\n  enabled: false\n"), Is.Empty);
        Assert.That(Llmobs("evp_proxy_config:\n  dd_url: datadoghq.eu\n"), Is.EqualTo(new[] { "llmobs-intake.datadoghq.eu" }), "a domain suffix");
    }

    [TestCase("api_key: x\n", null, "7.60.0", "contimage contlcycle", "container_image.enabled and container_lifecycle.enabled are on by default")]
    [TestCase("api_key: x\n", null, "7.49.2", "", null)]
    [TestCase("api_key: x\n", null, "7.50.0", "contimage contlcycle", "are on by default from Agent 7.50")]
    [TestCase("container_lifecycle:\n  enabled: false\n", null, "7.60.0", "contimage", "container_image.enabled is on by default")]
    [TestCase("api_key: x\n", "DD_CONTAINER_IMAGE_ENABLED=false\n", "7.60.0", "contlcycle", "container_lifecycle.enabled is on by default")]
    [TestCase("container_image:\n  enabled: true\ncontainer_lifecycle:\n  enabled: true\n", null, "7.60.0", "contimage contlcycle", null)]
    [TestCase("container_image:\n  enabled: true\n", null, "7.49.0", "contimage", null)]
    public void ContainerImageAndLifecycle_OnByDefaultFromAgent750_NotedWhenNotSet(string yaml, string? environment, string version, string hosts, string? note)
    {
        AgentPlan plan = AgentConfiguration.Parse(yaml, environment, null, version);

        Assert.That(string.Join(' ', plan.Destinations.Select(d => d.HostName.Split('-')[0]).Where(h => h.StartsWith("cont", StringComparison.Ordinal))), Is.EqualTo(hosts));
        Assert.That(plan.Notes.Texts().Where(n => n.Contains("only where it sees containers", StringComparison.Ordinal)),
            note is null ? Is.Empty : Has.One.Contains(note), "the agent's default, not the configuration, put them in the plan");
    }

    [TestCase("7.79.0", false)]
    [TestCase("7.80.0", true)]
    public void RemoteConfiguration_Port8042_FromAgent780(string version, bool expected)
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, null, version);

        Assert.That(plan.Destinations.Any(d => d.HostName == "config.datadoghq.com" && d.Port.First == 8042), Is.EqualTo(expected));
        Assert.That(AgentConfiguration.Parse("site: ddog-gov.com\n", null, null, version).Destinations.Select(d => d.HostName),
            Has.None.StartsWith("config."), "the agent turns Remote Configuration off on US1-FED unless it is set on");
        Assert.That(AgentConfiguration.Parse("site: ddog-gov.com\nremote_configuration:\n  enabled: true\n", null, null, version).Destinations
            .Where(d => d.HostName == "config.ddog-gov.com").Select(d => d.Port.First), Is.EqualTo(expected ? new[] { 443, 8042 } : new[] { 443 }));
    }

    // The Remote Configuration client came in 7.39.1: an older agent set on contacts no config host, and the plan says why.
    [TestCase("7.38.2", false)]
    [TestCase("6.38.0", false)]
    [TestCase("7.39.1", true)]
    [TestCase("6.55.1", true)]
    public void RemoteConfiguration_SetOn_OnlyWhereTheAgentHasIt(string version, bool planned)
    {
        AgentPlan plan = AgentConfiguration.Parse("remote_configuration:\n  enabled: true\n", null, null, version);

        Assert.That(plan.Destinations.Any(d => d.HostName == "config.datadoghq.com"), Is.EqualTo(planned));
        Assert.That(plan.Notes.Texts().Where(n => n.StartsWith("Remote Configuration is turned on", StringComparison.Ordinal)),
            planned ? Is.Empty : Has.One.Contains($"Agent {version} has none"));
    }

    [Test]
    public void Helm_TodaysChartDefaults_ListContainerImageAndLifecycle()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, "datadog:\n  site: datadoghq.eu\n", TestAgent.Version);

        Assert.That(Hosts(plan),
            Does.Contain("container-image contimage-intake.datadoghq.eu 443/tcp by-name").And.Contain("container-lifecycle contlcycle-intake.datadoghq.eu 443/tcp by-name"));
        Assert.That(Hosts(AgentConfiguration.Parse(null, null, "datadog:\n  containerImageCollection:\n    enabled: false\n  containerLifecycle:\n    enabled: false\n")),
            Has.None.Contains("contimage").And.None.Contains("contlcycle"));
        Assert.That(AgentConfiguration.Parse(null, null, "clusterAgent:\n  metricsProvider:\n    enabled: true\n").Notes.Texts(), Has.Some.Contains("8443/tcp"));
    }

    [Test]
    public void UnmappableFeatures_AreNamedWithWhatToAllow()
    {
        AgentPlan plan = AgentConfiguration.Parse(null);

        Assert.That(plan.Notes.Texts(), Has.Some.Contains("dbm-metrics-intake.datadoghq.com").And.Some.Contains("dbquery-intake.datadoghq.com"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("install.datadoghq.com, yum.datadoghq.com, apt.datadoghq.com, keys.datadoghq.com, windows-agent.datadoghq.com"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("api.datadoghq.com"));
    }

    [Test]
    public void EveryRow_SaysWhereItComesFrom()
    {
        // The network page, or for a host it does not list, the agent's source file that sends there.
        Assert.That(FeatureMap.Rows.Select(r => r.Source), Has.All.Match(@"network page \(docs\.datadoghq\.com|agent source: pkg/\w+/"));
        Assert.That(FeatureMap.Rows.Where(r => r.Port != 443).Select(r => $"{r.Prefix} {r.Port} {r.FirstVersion}"), Is.EqualTo(new[] { "config. 8042 7.80.0" }));
    }
}
