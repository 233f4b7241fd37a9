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

    /// <summary>The key that moves the pipeline (<c>logs_dd_url</c>, else <c>dd_url</c>), as <see cref="Moved"/> reads them; null when neither is set.</summary>
    public static string? MovedBy(AgentSettings settings, string prefix) =>
        settings.Text(prefix + "logs_dd_url") is not null ? prefix + "logs_dd_url" : settings.Text(prefix + "dd_url") is not null ? prefix + "dd_url" : null;

    /// <summary>The keys read, for <see cref="AgentKeys"/>.</summary>
    public static IEnumerable<string> Keys => Prefixes.Keys.SelectMany(p => new[] { p + "logs_dd_url", p + "dd_url", p + "logs_no_ssl" });


    /// <summary>The pipeline's destination when its own keys move it; null when it sends to its default host.</summary>
    /// <exception cref="AgentConfigurationException">A key is not an endpoint, or <c>logs_dd_url</c> names no port: one line naming it.</exception>
    public static AgentDestination? Moved(AgentSettings settings, string prefix, string feature, string what)
    {
        string key = prefix + "logs_dd_url";
        if (settings.Text(key) is string address)
        {
            FoundSetting found = settings.Find(key)!;
            (string host, int? port) = IntakeHosts.Require(found, address, "HOST:PORT or a URL");
            string text = address.TrimStart();
            bool url = text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (!url && !HasPort(address))
            {
                throw new AgentConfigurationException(found.Value.Origin, found.Name, "must name its port (HOST:PORT), as the agent's logs_dd_url parser requires");
            }

            string scheme = url ? IntakeHosts.SchemeOf(address) : settings.Bool(prefix + "logs_no_ssl", false) ? "http" : "https";
            return IntakeHosts.Place(feature, host, DestinationPlanner.Tcp(port), $"{what} ({key})", scheme);
        }

        key = prefix + "dd_url";
        if (settings.Text(key) is string ddUrl)
        {
            FoundSetting found = settings.Find(key)!;
            (string host, int? port) = IntakeHosts.Require(found, ddUrl, "a URL such as https://intake-relay.example.com:8443");
            return IntakeHosts.Place(feature, host, DestinationPlanner.Tcp(port), $"{what} ({key})", IntakeHosts.SchemeOf(ddUrl));
        }

        return null;
    }

    // HOST:PORT, [v6]:PORT: what Go's net.SplitHostPort accepts with a port.
    private static bool HasPort(string address)
    {
        string text = address.Trim();
        int colon = text.LastIndexOf(':');
        return colon > 0 && colon < text.Length - 1 && text[(colon + 1)..].All(char.IsAsciiDigit) && (!text.StartsWith('[') || text[colon - 1] == ']');
    }
}
