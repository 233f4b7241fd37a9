namespace FirewallRules.Intakes;

/// <summary>
/// Every Datadog host and intake port this library knows, one row each: where the agent sends on a site, and what its installer
/// reaches. The planners, the allow-lists, <c>fwrules verify</c> and the generated tables read them here; no other file of the
/// sources names a Datadog host or an intake port (<c>IntakeCatalogTests</c>).
/// </summary>
/// <remarks>
/// Which feature sends to a row, the key that turns it on and its default per agent version live with the feature
/// (<c>AgentConfig/FeatureMap</c> and the planners); the agent's own listeners in <c>Ports/</c>. Sources: Datadog's "Network
/// Traffic" page (saved as data/agent/network-page.tsv), the sites' endpoints of data/privatelink.json, and the agent's source
/// (DataDog/datadog-agent, files named per row); data/PROVENANCE.md, sections 2 and 5.
/// </remarks>
internal static class IntakeCatalog
{
    private const string NetworkPage = "network page (docs.datadoghq.com/agent/configuration/network)";

    private const string SiteEndpoints = "the sites' endpoints (data/privatelink.json, from Datadog's regions.config.js)";

    /// <summary>Metrics, checks, events and metadata: <c>&lt;version&gt;-app.agent.&lt;domain&gt;</c>, named after the agent's version since v5.2.0.</summary>
    public static Intake VersionedMetrics { get; } = new("-app.agent.", 443, Section.Agents, "metrics, checks and events",
        $"{NetworkPage}; agent source: pkg/config/utils/endpoints.go, AddAgentVersionToDomain") { Versioned = true };

    /// <summary>Agent flares, where metrics go: <c>&lt;version&gt;-flare.agent.&lt;domain&gt;</c>; allowed by name, as no section is known to list it.</summary>
    public static Intake VersionedFlare { get; } = new("-flare.agent.", 443, null, "agent flares",
        $"{NetworkPage}; agent source: comp/core/flare/helpers/send_flare.go, GetFlareEndpoint") { Versioned = true };

    /// <summary>The metrics intake's unversioned name, which private connectivity serves.</summary>
    public static Intake Metrics { get; } = new("metrics.agent.", 443, Section.Agents, "metrics, checks and events", SiteEndpoints);

    /// <summary>The site's web host: the agent's default <c>dd_url</c>, which it rewrites to <see cref="VersionedMetrics"/>.</summary>
    public static Intake App { get; } = new("app.", 443, Section.Agents, "the default dd_url, sent to as the versioned host",
        "agent source: pkg/config/utils/endpoints.go, GetInfraEndpoint (https://app.<site>) and AddAgentVersionToDomain");

    /// <summary>Traces.</summary>
    public static Intake Traces { get; } = new("trace.agent.", 443, Section.Apm, "traces", NetworkPage);

    /// <summary>Profiles, which the trace agent forwards.</summary>
    public static Intake Profiles { get; } = new("intake.profile.", 443, Section.Apm, "profiles", NetworkPage);

    /// <summary>Logs over HTTPS.</summary>
    public static Intake LogsHttps { get; } = new("agent-http-intake.logs.", 443, Section.Logs, "logs over HTTPS", NetworkPage);

    /// <summary>Logs over TCP: 10516/tcp on US1 (<see cref="TcpLogsPort"/> for the others).</summary>
    public static Intake LogsTcp { get; } = new("agent-intake.logs.", 10516, Section.Logs, "logs over TCP", NetworkPage);

    /// <summary>Logs over TCP with <c>logs_config.use_port_443</c>: US1's, the agent's default for <c>logs_config.dd_url_443</c> on every site.</summary>
    public static Intake LogsTcpOn443 { get; } = new("agent-443-intake.logs.", 443, null, "logs over TCP on 443 (logs_config.use_port_443)",
        "agent source: pkg/config/setup/config.go, logs_config.dd_url_443 (default agent-443-intake.logs.datadoghq.com)");

    /// <summary>The public logs intake: logs sent to the API, and older tracers' Dynamic Instrumentation logs through the trace agent.</summary>
    public static Intake HttpLogs { get; } = new("http-intake.logs.", 443, Section.Logs, "logs over the public HTTP intake",
        $"{SiteEndpoints}; agent source: pkg/trace/api/debugger.go, debuggerLogsProxyHandler");

    /// <summary>Live processes and containers.</summary>
    public static Intake Processes { get; } = new("process.", 443, Section.Process, "live processes and containers", NetworkPage);

    /// <summary>The orchestrator explorer.</summary>
    public static Intake Orchestrator { get; } = new("orchestrator.", 443, Section.Orchestrator, "orchestrator explorer", NetworkPage);

    /// <summary>Remote Configuration over HTTPS.</summary>
    public static Intake RemoteConfiguration { get; } = new("config.", 443, Section.RemoteConfiguration, "remote configuration", NetworkPage);

    /// <summary>Remote Configuration's second port, Agent 7.80 and later.</summary>
    public static Intake RemoteConfigurationPort { get; } = new("config.", 8042, Section.RemoteConfiguration, "remote configuration (8042/tcp, Agent 7.80 and later)",
        $"{NetworkPage}, ports table: 8042/tcp for Remote Configuration, Agent 7.80 and later (DataDog/documentation PR #37760)")
    {
        Since = AgentVersionRules.RemoteConfigurationSecondPort,
    };

    /// <summary>Datadog's API: key validation and other non-critical queries, and the Cluster Agent's external metrics provider.</summary>
    public static Intake Api { get; } = new("api.", 443, Section.Api, "API (key validation)", NetworkPage);

    /// <summary>Synthetics private locations' intake (not the agent's).</summary>
    public static Intake SyntheticsPrivateLocations { get; } = new("intake.synthetics.", 443, Section.SyntheticsPrivateLocations,
        "Synthetics private locations", $"{NetworkPage}, Synthetics worker") { ByAgent = false };

    /// <summary>Tracer and agent telemetry.</summary>
    public static Intake Telemetry { get; } = new("instrumentation-telemetry-intake.", 443, null, "telemetry", NetworkPage);

    /// <summary>Dynamic Instrumentation diagnostics, snapshots and symbol uploads, which the trace agent forwards.</summary>
    public static Intake Debugger { get; } = new("debugger-intake.", 443, null, "Dynamic Instrumentation",
        "agent source: pkg/trace/api/debugger.go and symdb.go");

    /// <summary>Process lifecycle events.</summary>
    public static Intake ProcessEvents { get; } = new("process-events.", 443, null, "process lifecycle events",
        "agent source: pkg/process/runner/endpoint/endpoints.go, getEventsAPIEndpoints");

    /// <summary>Compliance findings.</summary>
    public static Intake Compliance { get; } = new("cspm-intake.", 443, null, "compliance findings",
        "agent source: pkg/security/common/logs_context.go, NewLogContextCompliance");

    /// <summary>Workload Protection events.</summary>
    public static Intake RuntimeSecurity { get; } = new("runtime-security-http-intake.logs.", 443, null, "Workload Protection events",
        "agent source: pkg/security/common/logs_context.go, NewLogContextRuntime");

    /// <summary>Workload Protection's activity dumps and workload profiles.</summary>
    public static Intake ActivityDumps { get; } = new("cws-intake.", 443, null, "Workload Protection activity dumps",
        "agent source: pkg/security/security_profile/storage/backend/forwarder.go, NewActivityDumpRemoteBackend");

    /// <summary>Container images.</summary>
    public static Intake ContainerImages { get; } = new("contimage-intake.", 443, null, "container images", NetworkPage);

    /// <summary>Container lifecycle events.</summary>
    public static Intake ContainerLifecycle { get; } = new("contlcycle-intake.", 443, null, "container lifecycle events", NetworkPage);

    /// <summary>Software bills of materials.</summary>
    public static Intake Sbom { get; } = new("sbom-intake.", 443, null, "SBOMs", NetworkPage);

    /// <summary>Network Path.</summary>
    public static Intake NetworkPath { get; } = new("netpath-intake.", 443, null, "network paths", NetworkPage);

    /// <summary>SNMP traps.</summary>
    public static Intake SnmpTraps { get; } = new("snmp-traps-intake.", 443, null, "SNMP traps", NetworkPage);

    /// <summary>NetFlow records.</summary>
    public static Intake NetFlow { get; } = new("ndmflow-intake.", 443, null, "NetFlow records", NetworkPage);

    /// <summary>Network device metadata.</summary>
    public static Intake NetworkDevices { get; } = new("ndm-intake.", 443, null, "network device metadata", NetworkPage);

    /// <summary>LLM Observability, through the trace agent's EVP proxy.</summary>
    public static Intake LlmObservability { get; } = new("llmobs-intake.", 443, null, "LLM Observability", NetworkPage);

    /// <summary>Database Monitoring's metrics and activity.</summary>
    public static Intake DatabaseMetrics { get; } = new("dbm-metrics-intake.", 443, null, "database monitoring metrics and activity", NetworkPage);

    /// <summary>Database Monitoring's query samples.</summary>
    public static Intake DatabaseSamples { get; } = new("dbquery-intake.", 443, null, "database monitoring samples", NetworkPage);

    /// <summary>Every row, the agent's core intakes first.</summary>
    public static IReadOnlyList<Intake> All { get; } =
    [
        VersionedMetrics, VersionedFlare, Metrics, App, Traces, Profiles, LogsHttps, LogsTcp, LogsTcpOn443, HttpLogs, Processes, Orchestrator,
        RemoteConfiguration, RemoteConfigurationPort, Api, SyntheticsPrivateLocations, Telemetry, Debugger, ProcessEvents, Compliance, RuntimeSecurity,
        ActivityDumps, ContainerImages, ContainerLifecycle, Sbom, NetworkPath, SnmpTraps, NetFlow, NetworkDevices, LlmObservability, DatabaseMetrics,
        DatabaseSamples,
    ];

    /// <summary>
    /// The part every agent host of a site shares before its domain: any one label under <c>agent.&lt;domain&gt;</c> is in the agents
    /// section (<see cref="VersionedMetrics"/>, <see cref="VersionedFlare"/>, <see cref="Metrics"/>).
    /// </summary>
    public const string AgentSubdomain = ".agent.";

    /// <summary>The installation hosts of the network page: the install script and package managers reach them, never a running agent.</summary>
    public static IReadOnlyList<string> InstallationHosts { get; } =
        ["install.datadoghq.com", "yum.datadoghq.com", "apt.datadoghq.com", "keys.datadoghq.com", "windows-agent.datadoghq.com"];

    /// <summary>
    /// The domain of a Multi-Region Failover site's intakes: <c>mrf.&lt;site&gt;</c> (GetMRFInfraEndpoint and GetMRFLogsEndpoint,
    /// pkg/config/utils/endpoints.go).
    /// </summary>
    public static string FailoverDomain(string site) => "mrf." + site;

    /// <summary>
    /// The port of <see cref="LogsTcp"/> at <paramref name="domain"/>: 10516 on US1, 443 on EU1, null where Datadog runs no logs-over-TCP intake.
    /// </summary>
    /// <remarks>
    /// The network page lists "Logs (TCP; US1 and EU1 only)"; the agent's logsEndpoints (comp/logs/agent/config/endpoints.go) hold
    /// agent-intake.logs.datadoghq.com on 10516 and agent-intake.logs.datadoghq.eu on 443.
    /// </remarks>
    public static int? TcpLogsPort(string domain) => domain switch
    {
        "datadoghq.com" => LogsTcp.Port,
        "datadoghq.eu" => 443,
        _ => null,
    };

    /// <summary>
    /// The domain of a versioned host (<c>7-81-1-app.agent.datadoghq.eu</c> → <c>datadoghq.eu</c>): the label of three numbers, then
    /// <see cref="VersionedMetrics"/>' or <see cref="VersionedFlare"/>'s prefix; null for any other host.
    /// </summary>
    public static string? VersionedDomain(string host)
    {
        foreach (Intake intake in All.Where(i => i.Versioned))
        {
            int at = host.IndexOf(intake.Prefix, StringComparison.Ordinal);
            if (at > 0 && host[..at].Split('-') is { Length: 3 } parts && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
            {
                return host[(at + intake.Prefix.Length)..];
            }
        }

        return null;
    }
}
