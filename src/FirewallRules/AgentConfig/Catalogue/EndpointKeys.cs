using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>How a key lists its endpoints.</summary>
internal enum EndpointShape
{
    /// <summary>A map of URLs to API keys (<c>https://host[:port]: [key]</c>); from the environment, the same map as JSON.</summary>
    Urls,

    /// <summary>A list of <c>{api_key, Host, Port, is_reliable}</c>; from the environment, the same list as JSON.</summary>
    Hosts,

    /// <summary>A map of domain suffixes to API keys: the EVP proxy sends to <c>&lt;subdomain&gt;.&lt;domain&gt;</c>.</summary>
    Domains,
}

/// <summary>
/// One dual-shipping key beyond the three the planners read in place (<c>additional_endpoints</c>,
/// <c>apm_config.additional_endpoints</c>, <c>logs_config.additional_endpoints</c>).
/// </summary>
/// <param name="Key">The key.</param>
/// <param name="Shape">How it lists its endpoints.</param>
/// <param name="Feature">The feature that sends there, as the plan names it; its hosts are planned when that feature is on.</param>
/// <param name="What">What the agent sends there, in a few words.</param>
internal sealed record EndpointKey(string Key, EndpointShape Shape, string Feature, string What)
{
    /// <summary>
    /// The pipeline's own intake (<c>ndm-intake.</c>), for a feature no other planner plans: the agent sends to it beside the
    /// extra ones, so both are planned; null when another planner plans the main host.
    /// </summary>
    public Intake? Main { get; init; }

    /// <summary>
    /// The key prefix of the pipeline whose <c>logs_dd_url</c> or <c>dd_url</c> replaces <see cref="Main"/> (<see cref="PipelineEndpoint"/>);
    /// null when none is read.
    /// </summary>
    public string? Pipeline { get; init; }
}

/// <summary>
/// Every key of the agent that names more endpoints to send the same data to, beyond the three the planners read in place.
/// </summary>
/// <remarks>
/// Source: the agent's setup code, which binds them (DataDog/datadog-agent <c>pkg/config/setup/config.go</c>: every prefix of
/// <c>bindEnvAndSetLogsConfigKeys</c> gets <c>logs_dd_url</c>, <c>dd_url</c> and <c>additional_endpoints</c>, and
/// <c>orchestrator_explorer.orchestrator_additional_endpoints</c>, <c>evp_proxy_config.additional_endpoints</c>;
/// <c>apm.go</c>: the trace agent's profiling, telemetry, debugger and symbol database endpoints; <c>process.go</c>:
/// <c>process_config.additional_endpoints</c> and <c>events_additional_endpoints</c>), at the commits of
/// data/agent/env-bindings.tsv, which lists each with its variables; data/PROVENANCE.md, section 5.
/// </remarks>
internal static class EndpointKeys
{
    public static IReadOnlyList<EndpointKey> All { get; } =
    [
        new("process_config.additional_endpoints", EndpointShape.Urls, "process", "processes and containers, dual shipping"),
        new("process_config.events_additional_endpoints", EndpointShape.Urls, "process-events", "process lifecycle events, dual shipping"),
        new("orchestrator_explorer.orchestrator_additional_endpoints", EndpointShape.Urls, "orchestrator", "Kubernetes resources, dual shipping"),
        // Deprecated: read only when orchestrator_explorer.orchestrator_additional_endpoints is not set (config.go).
        new("process_config.orchestrator_additional_endpoints", EndpointShape.Urls, "orchestrator", "Kubernetes resources, dual shipping"),
        new("apm_config.profiling_additional_endpoints", EndpointShape.Urls, "profiling", "profiles, dual shipping"),
        new("apm_config.telemetry.additional_endpoints", EndpointShape.Urls, "apm-telemetry", "tracer telemetry, dual shipping"),
        new("apm_config.debugger_additional_endpoints", EndpointShape.Urls, "debugger", "Dynamic Instrumentation snapshots, dual shipping"),
        new("apm_config.debugger_diagnostics_additional_endpoints", EndpointShape.Urls, "debugger", "Dynamic Instrumentation diagnostics, dual shipping"),
        new("apm_config.symdb_additional_endpoints", EndpointShape.Urls, "debugger", "symbol database uploads, dual shipping"),
        new("evp_proxy_config.additional_endpoints", EndpointShape.Domains, "llmobs", "LLM Observability through the EVP proxy, dual shipping"),
        // Event platform pipelines (comp/forwarder/eventplatform: endpointsConfigPrefix, hostnameEndpointPrefix): the main
        // endpoint is <prefix><site> unless <pipeline>.logs_dd_url or .dd_url replaces it, and each additional endpoint gets the same payloads.
        new("database_monitoring.metrics.additional_endpoints", EndpointShape.Hosts, "database-monitoring", "database monitoring metrics, dual shipping")
        {
            Main = IntakeCatalog.DatabaseMetrics, Pipeline = "database_monitoring.metrics.",
        },
        new("database_monitoring.activity.additional_endpoints", EndpointShape.Hosts, "database-monitoring", "database monitoring activity, dual shipping")
        {
            Main = IntakeCatalog.DatabaseMetrics, Pipeline = "database_monitoring.activity.",
        },
        new("database_monitoring.samples.additional_endpoints", EndpointShape.Hosts, "database-monitoring", "database monitoring samples, dual shipping")
        {
            Main = IntakeCatalog.DatabaseSamples, Pipeline = "database_monitoring.samples.",
        },
        new("network_devices.metadata.additional_endpoints", EndpointShape.Hosts, "ndm", "network device metadata, dual shipping")
        {
            Main = IntakeCatalog.NetworkDevices, Pipeline = "network_devices.metadata.",
        },
        new("network_devices.snmp_traps.forwarder.additional_endpoints", EndpointShape.Hosts, "snmp-traps", "SNMP traps, dual shipping"),
        new("network_devices.netflow.forwarder.additional_endpoints", EndpointShape.Hosts, "netflow", "NetFlow records, dual shipping"),
        new("network_path.forwarder.additional_endpoints", EndpointShape.Hosts, "network-path", "network paths, dual shipping"),
        new("container_lifecycle.additional_endpoints", EndpointShape.Hosts, "container-lifecycle", "container lifecycle events, dual shipping"),
        new("container_image.additional_endpoints", EndpointShape.Hosts, "container-image", "container images, dual shipping"),
        new("sbom.additional_endpoints", EndpointShape.Hosts, "sbom", "SBOMs, dual shipping"),
        new("compliance_config.endpoints.additional_endpoints", EndpointShape.Hosts, "compliance", "compliance findings, dual shipping"),
        new("runtime_security_config.endpoints.additional_endpoints", EndpointShape.Hosts, "runtime-security", "runtime security events, dual shipping"),
        new("runtime_security_config.activity_dump.remote_storage.endpoints.additional_endpoints", EndpointShape.Hosts, "runtime-security",
            "runtime security activity dumps, dual shipping"),
    ];

    /// <summary>The keys, for <see cref="AgentKeys"/>, with the ones that decide whether a feature with no planner of its own is on.</summary>
    public static IEnumerable<string> Read => All.Select(k => k.Key)
        .Concat(["process_config.event_collection.enabled", "compliance_config.enabled", "runtime_security_config.enabled"]);
}
