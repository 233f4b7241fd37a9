namespace FirewallRules.AgentConfig;

/// <summary>
/// Where an event-platform pipeline of the agent (Database Monitoring, network devices) sends when its own keys move it:
/// <c>&lt;prefix&gt;logs_dd_url</c>, else <c>&lt;prefix&gt;dd_url</c>, replaces the pipeline's default host, port kept.
/// </summary>
/// <remarks>
/// Source: DataDog/datadog-agent <c>comp/forwarder/eventplatform/eventplatformimpl/epforwarder.go</c> (each pipeline's
/// <c>endpointsConfigPrefix</c>, read by <c>config.NewLogsConfigKeys</c> and <c>BuildHTTPEndpointsWithConfig</c>) and
/// <c>comp/logs/agent/config/config.go</c>: <c>logs_dd_url</c> first, parsed by <c>parseAddressWithScheme</c> (an
/// <c>http://</c> or <c>https://</c> URL, its port or the scheme's; else <c>HOST:PORT</c>, the port required, over TLS unless
/// <c>logs_no_ssl</c>), then the pipeline's <c>dd_url</c> through <c>GetMainEndpoint</c> (a URL, or a host on 443), then
/// <c>&lt;hostnameEndpointPrefix&gt;&lt;site&gt;</c>. The pipelines are always HTTP (<c>use_http</c> does not change them).
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
    };

    /// <summary>The prefix of the pipeline <paramref name="feature"/> sends through, among those a feature has one of; null when none.</summary>
    public static string? PrefixOf(string feature) => feature switch
    {
        "ndm" => "network_devices.metadata.",
        "snmp-traps" => "network_devices.snmp_traps.forwarder.",
        "netflow" => "network_devices.netflow.forwarder.",
        _ => null,
    };

    /// <summary>The keys read, for <see cref="AgentKeys"/>.</summary>
    public static IEnumerable<string> Keys => Prefixes.Keys.SelectMany(p => new[] { p + "logs_dd_url", p + "dd_url", p + "logs_no_ssl" });

    /// <summary>Whether the pipeline's own keys move it.</summary>
    public static bool IsMoved(AgentSettings settings, string prefix) => settings.Text(prefix + "logs_dd_url") is not null || settings.Text(prefix + "dd_url") is not null;

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
            (string host, int? port) = IntakeHosts.Require(found, ddUrl, "a URL such as https://dbm-metrics-intake.datadoghq.com");
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
