namespace FirewallRules.AgentConfig;

/// <summary>
/// Where an event-platform pipeline of the agent (Database Monitoring, network devices, network path, containers, SBOM) sends when its own keys move it:
/// <c>&lt;prefix&gt;logs_dd_url</c>, else <c>&lt;prefix&gt;dd_url</c>, replaces the pipeline's default host, port kept.
/// </summary>
/// <remarks>
/// Source: DataDog/datadog-agent <c>comp/forwarder/eventplatform/eventplatformimpl/epforwarder.go</c> (each pipeline's
/// <c>endpointsConfigPrefix</c>, read by <c>config.NewLogsConfigKeys</c> and <c>BuildHTTPEndpointsWithConfig</c>) and
/// <c>comp/logs/agent/config/config.go</c>: <c>logs_dd_url</c> first, parsed by <c>parseAddressWithScheme</c> (an
/// <c>http://</c> or <c>https://</c> URL, its port or the scheme's; else <c>HOST:PORT</c>, the port required, over TLS unless
/// <c>logs_no_ssl</c>), then the pipeline's <c>dd_url</c> through <c>GetMainEndpoint</c> (a URL, or a host on 443), then
/// <c>&lt;hostnameEndpointPrefix&gt;&lt;site&gt;</c>. The pipelines are always HTTP (<c>use_http</c> does not change them).
/// The pipelines beyond Database Monitoring and network devices, each with its prefix: network path
/// (<c>comp/forwarder/eventplatform/impl/pipelines_networkpath.go</c>, <c>network_path.forwarder.</c>, <c>netpath-intake.</c>),
/// container lifecycle and images (<c>pipelines_container.go</c>, <c>container_lifecycle.</c>, <c>contlcycle-intake.</c>;
/// <c>container_image.</c>, <c>contimage-intake.</c>), SBOM (<c>pipelines_sbom.go</c>, <c>sbom.</c>, <c>sbom-intake.</c>), the same
/// prefixes in the older single list of <c>eventplatformimpl/epforwarder.go</c>; <c>pkg/config/setup/config.go</c> binds each prefix's
/// keys (<c>bindEnvAndSetLogsConfigKeys</c>). Pipelines of features this tool does not plan (agent discovery, synthetics,
/// Kubernetes actions, data streams) are not read.
/// </remarks>
internal static class PipelineEndpoint
{
    /// <summary>The pipelines' key prefixes this tool reads, per the plan's feature that sends through each.</summary>
    public static IReadOnlyDictionary<string, string> Prefixes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["database_monitoring.metrics."] = "database-monitoring",
        ["database_monitoring.samples."] = "database-monitoring",
        ["database_monitoring.activity."] = "database-monitoring",
        ["network_devices.metadata."] = "ndm",
        ["network_devices.snmp_traps.forwarder."] = "snmp-traps",
        ["network_devices.netflow.forwarder."] = "netflow",
        ["network_path.forwarder."] = "network-path",
        ["container_lifecycle."] = "container-lifecycle",
        ["container_image."] = "container-image",
        ["sbom."] = "sbom",
    };

    /// <summary>The prefix of the pipeline <paramref name="feature"/> sends through, among those a feature has one of; null when none.</summary>
    public static string? PrefixOf(string feature) => feature == "database-monitoring" ? null : Prefixes.FirstOrDefault(p => p.Value == feature).Key;

    /// <summary>The keys read, for <see cref="AgentKeys"/>.</summary>
    public static IEnumerable<string> Keys => Prefixes.Keys.SelectMany(p => new[] { p + "logs_dd_url", p + "dd_url", p + "logs_no_ssl" });
}
