using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The destinations of the agent's features beyond metrics, logs, traces, processes and the orchestrator explorer, one
/// row each: the host (a prefix before the site's domain), port and protocol, the ip-ranges section that publishes it or
/// none ("by name only"), the key that turns it on and its default, the agent versions it applies to, and where the row
/// comes from. <see cref="DestinationPlanner"/> adds every row whose key is on; the agent configuration guide's table
/// (docs/operations/agent-config.md) is generated from it.
/// </summary>
/// <remarks>
/// Sources: Datadog's "Network Traffic" page (docs.datadoghq.com/agent/configuration/network, saved as
/// data/agent/network-page.tsv), the configuration template (data/agent/config_template.yaml) and the Helm chart's
/// values (data/agent/helm-values-3.240.0.yaml); data/PROVENANCE.md, section 5.
/// </remarks>
internal static class FeatureMap
{
    private const string NetworkPage = "network page (docs.datadoghq.com/agent/configuration/network)";

    private static string ContainersByDefault => $"on by default from Agent {AgentVersionRules.ContainersByDefault.Since} ({AgentVersionRules.ContainersByDefault.Source}); "
        + "sent only where the agent sees containers";

    /// <summary>Every mapped destination row, in plan order.</summary>
    public static IReadOnlyList<FeatureRow> Rows { get; } =
    [
        new("apm-telemetry", IntakeCatalog.Telemetry, "apm_config.telemetry.enabled", true, null,
            $"{NetworkPage}, APM; template apm_config.telemetry (the trace agent forwards tracer telemetry; apm_config.telemetry.dd_url replaces the host, "
            + "GetMainEndpoint in pkg/trace/config; Datadog's proxy guide sends it to an HAProxy port)", "apm_config.enabled")
        {
            UrlKeys = ["apm_config.telemetry.dd_url"],
        },
        new("profiling", IntakeCatalog.Profiles, "apm_config.enabled", true, null,
            $"{NetworkPage}, Profiling; template apm_config.profiling_dd_url (the trace agent forwards profiles)", null)
        {
            UrlKeys = ["apm_config.profiling_dd_url"],
        },
        new("debugger", IntakeCatalog.Debugger, "apm_config.enabled", true, null,
            "agent source: pkg/trace/api/debugger.go and symdb.go (the trace agent forwards Dynamic Instrumentation diagnostics, the tracers' "
            + "debugger track and symbol uploads to https://debugger-intake.<site>; apm_config.debugger_diagnostics_dd_url and symdb_dd_url replace it "
            + "per track; older tracers' logs track, debuggerLogsProxyHandler, goes to https://http-intake.logs.<site>, which apm_config.debugger_dd_url "
            + "replaces: a note of the plan)", null)
        {
            UrlKeys = ["apm_config.debugger_dd_url", "apm_config.debugger_diagnostics_dd_url", "apm_config.symdb_dd_url"],
        },
        new("process-events", IntakeCatalog.ProcessEvents, "process_config.event_collection.enabled", false, null,
            "agent source: pkg/process/runner/endpoint/endpoints.go, getEventsAPIEndpoints (https://process-events.<site>; process_config.events_dd_url replaces it)", null)
        {
            UrlKeys = ["process_config.events_dd_url"],
        },
        new("compliance", IntakeCatalog.Compliance, "compliance_config.enabled", false, null,
            "agent source: pkg/security/common/logs_context.go, NewLogContextCompliance (logs pipeline over HTTPS to cspm-intake.<site>; "
            + "compliance_config.endpoints.logs_dd_url replaces it)", null)
        {
            UrlKeys = ["compliance_config.endpoints.logs_dd_url"],
        },
        new("runtime-security", IntakeCatalog.RuntimeSecurity, "runtime_security_config.enabled", false, null,
            "agent source: pkg/security/common/logs_context.go, NewLogContextRuntime (Workload Protection events over HTTPS to "
            + "runtime-security-http-intake.logs.<site>; runtime_security_config.endpoints.logs_dd_url replaces it)", null)
        {
            UrlKeys = ["runtime_security_config.endpoints.logs_dd_url"],
        },
        new("runtime-security", IntakeCatalog.ActivityDumps, "runtime_security_config.enabled", false, null,
            "agent source: pkg/security/security_profile/storage/backend/forwarder.go, NewActivityDumpRemoteBackend (activity dumps and workload "
            + "profiles to https://cws-intake.<site>/api/v2/secdump, activityDumpRemoteStorageEndpoints(\"cws-intake.\", \"secdump\", …)); pkg/config/setup/system_probe_cws.go: "
            + "runtime_security_config.activity_dump.enabled, default true", "runtime_security_config.activity_dump.enabled"),
        new("container-image", IntakeCatalog.ContainerImages, "container_image.enabled", true, AgentVersionRules.ContainerImages,
            $"{NetworkPage}, Container Images; chart datadog.containerImageCollection.enabled (Agent 7.46+); {ContainersByDefault}", null)
        {
            OnFrom = AgentVersionRules.ContainersByDefault,
        },
        new("container-lifecycle", IntakeCatalog.ContainerLifecycle, "container_lifecycle.enabled", true, null,
            $"{NetworkPage}, Orchestrator; chart datadog.containerLifecycle.enabled; {ContainersByDefault}", null)
        {
            OnFrom = AgentVersionRules.ContainersByDefault,
        },
        new("sbom", IntakeCatalog.Sbom, "sbom.enabled", false, null,
            $"{NetworkPage}, Cloud Security Vulnerabilities; chart datadog.sbom (DD_SBOM_ENABLED)", null),
        new("network-path", IntakeCatalog.NetworkPath, "network_path.connections_monitoring.enabled", false, null,
            $"{NetworkPage}, Network Path; chart datadog.networkPath.connectionsMonitoring.enabled", null),
        new("snmp-traps", IntakeCatalog.SnmpTraps, "network_devices.snmp_traps.enabled", false, null,
            $"{NetworkPage}, Network Device Monitoring; template network_devices.snmp_traps", null),
        new("netflow", IntakeCatalog.NetFlow, "network_devices.netflow.enabled", false, null,
            $"{NetworkPage}, Network Device Monitoring; template network_devices.netflow", null),
        new("ndm", IntakeCatalog.NetworkDevices, "network_devices.snmp_traps.enabled", false, null,
            $"{NetworkPage}, Network Device Monitoring (device metadata beside traps and flows)", null),
        new("ndm", IntakeCatalog.NetworkDevices, "network_devices.netflow.enabled", false, null,
            $"{NetworkPage}, Network Device Monitoring (device metadata beside traps and flows)", null),
        new("agent-telemetry", IntakeCatalog.Telemetry, "agent_telemetry.enabled", true, null,
            $"{NetworkPage}, APM (the same intake); agent source: pkg/config/setup/config.go (agent_telemetry.enabled, default true), pkg/config/utils IsAgentTelemetryEnabled "
            + "(off on ddog-gov.com and with fips.enabled), comp/core/agenttelemetry/impl/sender.go (https://instrumentation-telemetry-intake.<site>/api/v2/apmtelemetry); "
            + $"on by default from Agent {AgentVersionRules.AgentTelemetryByDefault.Since} ({AgentVersionRules.AgentTelemetryByDefault.Source})", null)
        {
            OnFrom = AgentVersionRules.AgentTelemetryByDefault,
        },
        new("llmobs", IntakeCatalog.LlmObservability, "evp_proxy_config.enabled", true, null,
            $"{NetworkPage}, LLM Observability; agent source: pkg/trace/api/evp_proxy.go (the trace agent forwards an application's "
            + "X-Datadog-EVP-Subdomain llmobs-intake to llmobs-intake.<evp_proxy_config.dd_url or site>; the agent has no llmobs key)", "apm_config.enabled"),
        new("remote-configuration", IntakeCatalog.RemoteConfigurationPort, "remote_configuration.enabled", true, null,
            $"{IntakeCatalog.RemoteConfigurationPort.Source}; "
            + "remote_configuration.rc_dd_url replaces the host and port (GetMainEndpoint in comp/remote-config, the polling and the websocket client alike)", null)
        {
            UrlKeys = ["remote_configuration.rc_dd_url"],
        },
    ];
}

/// <summary>One destination of <see cref="FeatureMap"/>.</summary>
/// <param name="Feature">The feature, as the plan names it.</param>
/// <param name="Intake">Where it sends: the host, port and section of <see cref="IntakeCatalog"/>.</param>
/// <param name="Key">The key that turns it on (its variable follows <see cref="EnvBindings"/>).</param>
/// <param name="On">The key's default.</param>
/// <param name="Since">The version rule from which it applies (beside its intake's own); null: every Agent 6 and 7.</param>
/// <param name="Source">Where the row comes from.</param>
/// <param name="AlsoNeeds">A key that must be on too (the trace agent for its forwarded intakes); null when none.</param>
internal sealed record FeatureRow(string Feature, Intake Intake, string Key, bool On, AgentVersionRule? Since, string Source, string? AlsoNeeds)
{
    /// <summary>
    /// The keys that send one of the row's tracks elsewhere (a URL or HOST[:PORT] each): every one set adds its host, and
    /// the row's own host stays while any is unset.
    /// </summary>
    public IReadOnlyList<string> UrlKeys { get; init; } = [];

    /// <summary>The host's prefix before the site's domain (<c>contimage-intake.</c>).</summary>
    public string Prefix => Intake.Prefix;

    /// <summary>The TCP port.</summary>
    public int Port => Intake.Port;

    /// <summary>The ip-ranges section that publishes its addresses; null: allowed by name only.</summary>
    public Section? Section => Intake.Section;

    public PortRange PortRange => new(TransportProtocol.Tcp, Port);

    public string Host(Site site) => Intake.Host(site);

    /// <summary>The first agent version the row applies to: its own, else its intake's; null: every Agent 6 and 7.</summary>
    public string? FirstVersion => (Since ?? Intake.Since)?.Agent7.ToString(3);

    public bool AppliesTo(Version version) => Intake.SentBy(version) && (Since?.AppliesTo(version) ?? true);

    /// <summary>
    /// The version rule from which the key's default turns it on (off before it: <see cref="On"/> is then the later default); null:
    /// <see cref="On"/> for every version.
    /// </summary>
    public AgentVersionRule? OnFrom { get; init; }

    /// <summary>The default as the agent configuration guide's table writes it: <c>on</c>, <c>off</c>, <c>on from 7.50</c>.</summary>
    public string DefaultText => Key == "remote_configuration.enabled"
        ? $"on from {AgentVersionRules.RemoteConfigurationByDefault.Since}, off on US1-FED"
        : OnFrom is { } from ? $"on from {from.Since}" : On ? "on" : "off";

    /// <summary>The key's default; Remote Configuration's depends on the version and the site, as the planner's own row.</summary>
    public bool Default(Site site, AgentDefaults defaults) => Key == "remote_configuration.enabled"
        ? site != Site.US1Fed && defaults.RemoteConfiguration
        : On && (OnFrom?.AppliesTo(defaults.Version) ?? true);
}
