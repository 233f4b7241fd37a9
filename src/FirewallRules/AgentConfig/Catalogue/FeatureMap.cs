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

    private const string ContainersByDefault = "on by default from Agent 7.50.0 (agent release notes 7.50.0: \"Enable container image collection by default\", "
        + "\"Enable container lifecycle events collection by default\"; agent source: pkg/config/setup/config.go, BindEnvAndSetDefault true); "
        + "sent only where the agent sees containers";

    /// <summary>Every mapped destination row, in plan order.</summary>
    public static IReadOnlyList<FeatureRow> Rows { get; } =
    [
        new("apm-telemetry", IntakeCatalog.Telemetry, "apm_config.telemetry.enabled", true, null, null,
            $"{NetworkPage}, APM; template apm_config.telemetry (the trace agent forwards tracer telemetry; apm_config.telemetry.dd_url replaces the host, "
            + "GetMainEndpoint in pkg/trace/config; Datadog's proxy guide sends it to an HAProxy port)", "apm_config.enabled")
        {
            UrlKeys = ["apm_config.telemetry.dd_url"],
        },
        new("profiling", IntakeCatalog.Profiles, "apm_config.enabled", true, null, null,
            $"{NetworkPage}, Profiling; template apm_config.profiling_dd_url (the trace agent forwards profiles)", null)
        {
            UrlKeys = ["apm_config.profiling_dd_url"],
        },
        new("debugger", IntakeCatalog.Debugger, "apm_config.enabled", true, null, null,
            "agent source: pkg/trace/api/debugger.go and symdb.go (the trace agent forwards Dynamic Instrumentation diagnostics, the tracers' "
            + "debugger track and symbol uploads to https://debugger-intake.<site>; apm_config.debugger_diagnostics_dd_url and symdb_dd_url replace it "
            + "per track; older tracers' logs track, debuggerLogsProxyHandler, goes to https://http-intake.logs.<site>, which apm_config.debugger_dd_url "
            + "replaces: a note, DestinationPlanner)", null)
        {
            UrlKeys = ["apm_config.debugger_dd_url", "apm_config.debugger_diagnostics_dd_url", "apm_config.symdb_dd_url"],
        },
        new("process-events", IntakeCatalog.ProcessEvents, "process_config.event_collection.enabled", false, null, null,
            "agent source: pkg/process/runner/endpoint/endpoints.go, getEventsAPIEndpoints (https://process-events.<site>; process_config.events_dd_url replaces it)", null)
        {
            UrlKeys = ["process_config.events_dd_url"],
        },
        new("compliance", IntakeCatalog.Compliance, "compliance_config.enabled", false, null, null,
            "agent source: pkg/security/common/logs_context.go, NewLogContextCompliance (logs pipeline over HTTPS to cspm-intake.<site>; "
            + "compliance_config.endpoints.logs_dd_url replaces it)", null)
        {
            UrlKeys = ["compliance_config.endpoints.logs_dd_url"],
        },
        new("runtime-security", IntakeCatalog.RuntimeSecurity, "runtime_security_config.enabled", false, null, null,
            "agent source: pkg/security/common/logs_context.go, NewLogContextRuntime (Workload Protection events over HTTPS to "
            + "runtime-security-http-intake.logs.<site>; runtime_security_config.endpoints.logs_dd_url replaces it)", null)
        {
            UrlKeys = ["runtime_security_config.endpoints.logs_dd_url"],
        },
        new("runtime-security", IntakeCatalog.ActivityDumps, "runtime_security_config.enabled", false, null, null,
            "agent source: pkg/security/security_profile/storage/backend/forwarder.go, NewActivityDumpRemoteBackend (activity dumps and workload "
            + "profiles to https://cws-intake.<site>/api/v2/secdump, activityDumpRemoteStorageEndpoints(\"cws-intake.\", \"secdump\", …)); pkg/config/setup/system_probe_cws.go: "
            + "runtime_security_config.activity_dump.enabled, default true", "runtime_security_config.activity_dump.enabled"),
        new("container-image", IntakeCatalog.ContainerImages, "container_image.enabled", true, "7.46.0", null,
            $"{NetworkPage}, Container Images; chart datadog.containerImageCollection.enabled (Agent 7.46+); {ContainersByDefault}", null)
        {
            OnFrom = "7.50.0",
        },
        new("container-lifecycle", IntakeCatalog.ContainerLifecycle, "container_lifecycle.enabled", true, null, null,
            $"{NetworkPage}, Orchestrator; chart datadog.containerLifecycle.enabled; {ContainersByDefault}", null)
        {
            OnFrom = "7.50.0",
        },
        new("sbom", IntakeCatalog.Sbom, "sbom.enabled", false, null, null,
            $"{NetworkPage}, Cloud Security Vulnerabilities; chart datadog.sbom (DD_SBOM_ENABLED)", null),
        new("network-path", IntakeCatalog.NetworkPath, "network_path.connections_monitoring.enabled", false, null, null,
            $"{NetworkPage}, Network Path; chart datadog.networkPath.connectionsMonitoring.enabled", null),
        new("snmp-traps", IntakeCatalog.SnmpTraps, "network_devices.snmp_traps.enabled", false, null, null,
            $"{NetworkPage}, Network Device Monitoring; template network_devices.snmp_traps", null),
        new("netflow", IntakeCatalog.NetFlow, "network_devices.netflow.enabled", false, null, null,
            $"{NetworkPage}, Network Device Monitoring; template network_devices.netflow", null),
        new("ndm", IntakeCatalog.NetworkDevices, "network_devices.snmp_traps.enabled", false, null, null,
            $"{NetworkPage}, Network Device Monitoring (device metadata beside traps and flows)", null),
        new("ndm", IntakeCatalog.NetworkDevices, "network_devices.netflow.enabled", false, null, null,
            $"{NetworkPage}, Network Device Monitoring (device metadata beside traps and flows)", null),
        new("agent-telemetry", IntakeCatalog.Telemetry, "agent_telemetry.enabled", true, null, null,
            $"{NetworkPage}, APM (the same intake); agent source: pkg/config/setup/config.go (agent_telemetry.enabled, default true), pkg/config/utils IsAgentTelemetryEnabled "
            + "(off on ddog-gov.com and with fips.enabled), comp/core/agenttelemetry/impl/sender.go (https://instrumentation-telemetry-intake.<site>/api/v2/apmtelemetry); "
            + "on by default from Agent 7.59.0 (DataDog/datadog-agent PR #29783, \"Release agent telemetry\"; DataDog/documentation PR #25838, \"Document Agent "
            + "Telemetry enablement by default (with Agent 7.59)\"), off before (PR #22631: \"Disabled by default\")", null)
        {
            OnFrom = "7.59.0",
        },
        new("llmobs", IntakeCatalog.LlmObservability, "evp_proxy_config.enabled", true, null, null,
            $"{NetworkPage}, LLM Observability; agent source: pkg/trace/api/evp_proxy.go (the trace agent forwards an application's "
            + "X-Datadog-EVP-Subdomain llmobs-intake to llmobs-intake.<evp_proxy_config.dd_url or site>; the agent has no llmobs key)", "apm_config.enabled"),
        new("remote-configuration", IntakeCatalog.RemoteConfigurationPort, "remote_configuration.enabled", true, null, null,
            $"{IntakeCatalog.RemoteConfigurationPort.Source}; "
            + "remote_configuration.rc_dd_url replaces the host and port (GetMainEndpoint in comp/remote-config, the polling and the websocket client alike)", null)
        {
            UrlKeys = ["remote_configuration.rc_dd_url"],
        },
    ];

    /// <summary>The rows that apply to this configuration and version.</summary>
    public static IEnumerable<FeatureRow> Enabled(AgentSettings settings, AgentDefaults defaults, Site site) =>
        Rows.Where(row => row.AppliesTo(defaults.Version)
            && !(row.Key == "remote_configuration.enabled" && (!RemoteConfigurationOn(settings, defaults, site) || PlainRemoteConfigurationRefused(settings)))
            && !(row.Key == "agent_telemetry.enabled" && (site == Site.US1Fed || settings.Bool("fips.enabled", false)))
            && (row.AlsoNeeds is null || settings.Bool(row.AlsoNeeds, true))
            && IsOn(settings, row.Key, row.Default(site, defaults))
            && settings.Running.Serves(row.Key));

    /// <summary>
    /// Whether Remote Configuration runs: in an agent that has it (<see cref="AgentDefaults.HasRemoteConfiguration"/>), <c>remote_configuration.enabled</c>,
    /// on by default from 7.47; in a government environment (FIPS mode,
    /// US1-FED, or <c>dd_url: https://app.ddog-gov.com</c>) only when it is set on, from 7.72, and never before (<c>IsRemoteConfigEnabled</c>
    /// and <c>IsFed</c>, pkg/config/utils/miscellaneous.go: "Disable Remote Config for GovCloud if it's not explicitly enabled").
    /// </summary>
    internal static bool RemoteConfigurationOn(AgentSettings settings, AgentDefaults defaults, Site site) => defaults.HasRemoteConfiguration && (Government(settings, site)
        ? defaults.RemoteConfigurationInGovernmentWhenSet && settings.IsSet("remote_configuration.enabled") && settings.Bool("remote_configuration.enabled", false)
        : settings.Bool("remote_configuration.enabled", defaults.RemoteConfiguration));

    /// <summary>Whether the agent runs in a government environment (<c>IsFed</c>): FIPS mode, US1-FED, or US1-FED's <c>dd_url</c>.</summary>
    internal static bool Government(AgentSettings settings, Site site) =>
        site == Site.US1Fed || settings.Bool("fips.enabled", false) || settings.Text("dd_url") == $"https://{IntakeCatalog.App.Host(Site.US1Fed)}";

    /// <summary>
    /// Whether the agent refuses Remote Configuration's URL: an <c>http://</c> <c>rc_dd_url</c> without <c>remote_configuration.no_tls</c>
    /// (<c>NewHTTPClient</c>, pkg/config/remote/api/http.go: <c>baseURL.Scheme != "https" &amp;&amp; !no_tls</c> is an error, and no client is made).
    /// A bare HOST:PORT is refused too: Go's <c>url.Parse</c> reads its host as the scheme, which is not https.
    /// </summary>
    internal static bool PlainRemoteConfigurationRefused(AgentSettings settings) =>
        settings.Text("remote_configuration.rc_dd_url") is { Length: > 0 } url
        && !url.Trim().StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !settings.Bool("remote_configuration.no_tls", false);

    private static bool IsOn(AgentSettings settings, string key, bool fallback) =>
        key == "sbom.enabled"
            ? settings.Bool(key, false) || settings.Bool("sbom.container_image.enabled", false) || settings.Bool("sbom.host.enabled", false)
            : settings.Bool(key, fallback);
}

/// <summary>One destination of <see cref="FeatureMap"/>.</summary>
/// <param name="Feature">The feature, as the plan names it.</param>
/// <param name="Intake">Where it sends: the host, port and section of <see cref="IntakeCatalog"/>.</param>
/// <param name="Key">The key that turns it on (its variable follows <see cref="EnvBindings"/>).</param>
/// <param name="On">The key's default.</param>
/// <param name="Since">The first agent version it applies to (the intake's own first version too); null: every Agent 6 and 7.</param>
/// <param name="Until">The first version it no longer applies to; null: still current.</param>
/// <param name="Source">Where the row comes from.</param>
/// <param name="AlsoNeeds">A key that must be on too (the trace agent for its forwarded intakes); null when none.</param>
internal sealed record FeatureRow(string Feature, Intake Intake, string Key, bool On, string? Since, string? Until, string Source, string? AlsoNeeds)
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
    public string? FirstVersion => Since ?? Intake.Since;

    public bool AppliesTo(Version version) =>
        Intake.SentBy(version) && (Since is null || version >= Version.Parse(Since)) && (Until is null || version < Version.Parse(Until));

    /// <summary>
    /// The first agent version whose default turns the key on (off before it: <see cref="On"/> is then the later default); null:
    /// <see cref="On"/> for every version.
    /// </summary>
    public string? OnFrom { get; init; }

    /// <summary>The default as the agent configuration guide's table writes it: <c>on</c>, <c>off</c>, <c>on from 7.50</c>.</summary>
    public string DefaultText => Key == "remote_configuration.enabled"
        ? "on from 7.47 (6.47), off on US1-FED"
        : OnFrom is string from ? $"on from {Version.Parse(from).ToString(2)}" : On ? "on" : "off";

    /// <summary>The key's default; Remote Configuration's depends on the version and the site, as the planner's own row.</summary>
    public bool Default(Site site, AgentDefaults defaults) => Key == "remote_configuration.enabled"
        ? site != Site.US1Fed && defaults.RemoteConfiguration
        : On && (OnFrom is null || defaults.Version >= Version.Parse(OnFrom));
}
