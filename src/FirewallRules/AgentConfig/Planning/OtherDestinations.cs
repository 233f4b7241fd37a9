using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Connections the agent opens outside Datadog's intakes that the other planners do not model: DogStatsD packet forwarding
/// (planned, a UDP destination by name or address), and, said in a note with what to allow by hand, the FIPS proxy, SNMP polling
/// by autodiscovery and Prometheus scraping. Sources: DataDog/datadog-agent, as cited beside each.
/// </summary>
internal sealed class OtherDestinations(AgentSettings settings, PlanNotes notes)
{
    /// <summary>The keys read here, for the template walk.</summary>
    public static readonly string[] Keys =
    [
        "statsd_forward_host", "statsd_forward_port", "fips.port_range_start", "fips.local_address", "fips.https", "snmp_listener.configs.port",
        "prometheus_scrape.enabled", "prometheus_scrape.service_endpoints", "cloud_provider_metadata", "network_path.connections_monitoring.enabled",
    ];

    /// <summary>How the note on the cloud's instance metadata service starts.</summary>
    public const string CloudMetadataMark = "The agent asks the cloud's instance metadata service";

    public void Plan(Action<AgentDestination> add)
    {
        StatsdForward(add);
        Fips();
        if (settings.IsSet("network_devices.autodiscovery") || settings.IsSet("snmp_listener"))
        {
            // The SNMP listener polls every address of each configured network on the config's port, 161 by default
            // (comp/core/autodiscovery/listeners/snmp.go, pkg/snmp/snmp.go: DefaultPort).
            notes.Add("SNMP autodiscovery (network_devices.autodiscovery, or snmp_listener) polls every address of its configured networks over SNMP " +
                "(161/udp unless a config sets port): not planned; allow UDP from this host to those subnets and ports by hand.");
        }

        if (settings.Bool("multi_region_failover.enabled", false))
        {
            notes.Add(MultiRegionFailover());
        }

        CloudMetadata();
        if (settings.Bool("network_path.connections_monitoring.enabled", false))
        {
            // Network Path traceroutes toward the destinations of the host's own connections (UDP by default, or TCP SYN or ICMP, as its
            // configuration says) and reads the ICMP replies (pkg/networkpath, the Network Path setup guide).
            notes.Add("Network Path (network_path.connections_monitoring) traceroutes the destinations of the host's connections (UDP from port 33434 by default, " +
                "TCP SYN or ICMP as configured) and needs the ICMP replies: not planned; an egress allow-list drops the probes, so allow them by hand.");
        }

        if (settings.Bool("prometheus_scrape.enabled", false))
        {
            // Autodiscovery's Prometheus provider schedules an openmetrics check for each annotated pod, and with service_endpoints for
            // each annotated service's endpoints (comp/core/autodiscovery/providers/prometheus_*.go).
            string services = settings.Bool("prometheus_scrape.service_endpoints", false) ? " and the endpoints of annotated services" : "";
            string name = settings.Find("prometheus_scrape.enabled")!.Name is var by && by != "prometheus_scrape.enabled" ? $"prometheus_scrape ({by})" : "prometheus_scrape";
            notes.Add($"{name} scrapes the metrics endpoints of annotated pods{services} in the cluster, on the ports their annotations " +
                "(prometheus.io/port) name: not planned; allow the agent to reach those pods' ports by hand.");
        }
    }

    // The agent reads its host name, host aliases and cloud tags from the instance metadata service of each cloud_provider_metadata entry
    // (aws, gcp, azure, alibaba, oracle, ibm by default; the configuration template): 169.254.169.254 but Alibaba's 100.100.100.200, over plain
    // HTTP. The Helm chart's own Cilium policy for the node agents allows 169.254.169.254/32 on 80/tcp (agent-cilium-network-policy.yaml).
    private void CloudMetadata()
    {
        IReadOnlyList<string> clouds = settings.IsSet("cloud_provider_metadata") ? settings.List("cloud_provider_metadata") : ["aws", "gcp", "azure", "alibaba", "oracle", "ibm"];
        if (clouds.Count == 0)
        {
            return;
        }

        string alibaba = clouds.Contains("alibaba", StringComparer.OrdinalIgnoreCase) ? ", 100.100.100.200 for Alibaba" : string.Empty;
        notes.Add($"{CloudMetadataMark} (cloud_provider_metadata: {string.Join(", ", clouds)}) for its host name and cloud tags, at 169.254.169.254{alibaba}, " +
            "80/tcp over plain HTTP: not planned, as it is the host's own; where an egress allow-list or network policy applies, allow it by hand " +
            "(the Helm chart's own Cilium policy does), or the agent reports another host name. An empty cloud_provider_metadata turns it off.");
    }

    // DogStatsD forwards every packet it receives over UDP to statsd_forward_host:statsd_forward_port when both are set
    // (net.Dial("udp", ...), comp/dogstatsd/server/server.go).
    private void StatsdForward(Action<AgentDestination> add)
    {
        if (!settings.Bool("use_dogstatsd", true) || settings.Text("statsd_forward_host") is not { Length: > 0 }
            || settings.Port("statsd_forward_port", 0) is not (int port and > 0))
        {
            return;
        }

        string parsed = HostKeys.Host(settings.Find("statsd_forward_host")!);
        add(new AgentDestination("statsd-forward", parsed, new PortRange(TransportProtocol.Udp, port), DestinationCoverage.NotPublished, null, null,
            "DogStatsD packets forwarded (statsd_forward_host, statsd_forward_port)") { Scheme = null });
    }

    // With fips.enabled the agent sends the intakes it rewrites to the local FIPS proxy, one port per product from fips.port_range_start
    // (9803: its stats; +1 metrics, +2 traces, +3 profiles, +4 processes, +5 logs, +6/+7 database monitoring, +8 network device
    // metadata, +10 instrumentation telemetry, +12 orchestrator, +13 runtime security, +14 compliance, +15 NetFlow), on
    // fips.local_address, which must be a local address, and unsets the proxy variables (setupFipsEndpoints, pkg/config/setup/config.go).
    private void Fips()
    {
        if (!settings.Bool("fips.enabled", false))
        {
            return;
        }

        int start = settings.Port("fips.port_range_start", 9803, 1);
        if (start + 15 > 65535)
        {
            FoundSetting found = settings.Find("fips.port_range_start")!;
            throw new AgentConfigurationException(found.Value.Origin, found.Name,
                $"the FIPS proxy's ports {start}-{start + 15} pass 65535: use a port from 1 to {65535 - 15} (the proxy takes the start and the 15 ports after it)");
        }

        string local = settings.Text("fips.local_address") ?? "localhost";
        string scheme = settings.Bool("fips.https", false) ? "HTTPS" : "plain HTTP";
        notes.Add($"fips.enabled: the agent sends metrics, traces, profiles, APM telemetry, processes, logs, Database Monitoring, network device " +
            $"metadata, the orchestrator explorer and Workload Protection events to the local FIPS proxy on {local}, ports {start + 1}-{start + 15}/tcp " +
            $"over {scheme} ({start + 1} metrics, {start + 2} traces, {start + 5} logs, {start + 4} processes; {start} is the proxy's stats), and " +
            "ignores proxy.* and the proxy variables (setupFipsEndpoints). The FIPS proxy, a separate process on this host, connects to their Datadog " +
            "hosts (443/tcp); the intakes setupFipsEndpoints does not rewrite (Remote Configuration, container images and lifecycle, SBOM, " +
            "Network Path, the debugger, LLM Observability and the other event platform intakes) the agent still reaches itself, directly. " +
            "Both reach the Datadog hosts planned here: allow them from this host.");
    }

    // Multi-Region Failover: the agent also keeps intakes of a second site, multi_region_failover.site, ready for a failover that
    // Remote Configuration turns on (failover_metrics, failover_logs). Their hosts are the site's with "mrf." after the intake's prefix:
    // https://app.mrf.<site> for metrics (versioned like app.<site>: AddAgentVersionToDomain matches ^app(\.mrf)?\.), and
    // agent-http-intake.logs.mrf.<site> or <prefix>logs.mrf.<site> for logs and the event intakes; multi_region_failover.dd_url replaces
    // both; neither set, failover is not started (GetMRFInfraEndpoint, GetMRFLogsEndpoint, pkg/config/utils/endpoints.go).
    private string MultiRegionFailover()
    {
        const string Lead = "Multi-Region Failover (multi_region_failover.enabled)";
        if (settings.Text("multi_region_failover.dd_url") is string url)
        {
            // Only the host and port are shown: a URL's user and password never reach the plan.
            string example = $"a URL such as https://{IntakeCatalog.App.Host(IntakeCatalog.FailoverDomain(Site.EU1.Domain))}";
            (string host, int? port) = UrlSetting.Require(settings.Find("multi_region_failover.dd_url")!, url, example);
            return $"{Lead} sends metrics and logs to {host} on {port ?? 443}/tcp (multi_region_failover.dd_url) when Remote Configuration fails " +
                "over: not planned; allow it ahead of a failover.";
        }

        if (settings.Text("multi_region_failover.site") is not string site)
        {
            return $"{Lead} is set without multi_region_failover.site or multi_region_failover.dd_url: the agent starts no failover (it logs an error).";
        }

        string failover = IntakeCatalog.FailoverDomain(site);
        return $"{Lead} keeps the failover site {site} ready: metrics to {IntakeCatalog.VersionedMetrics.Host("<version>", failover)}, " +
            $"logs to {IntakeCatalog.LogsHttps.Host(failover)} and the other event intakes to <intake>.logs.{failover} " +
            $"(as {IntakeCatalog.DatabaseMetrics.Prefix}logs.{failover}), on 443/tcp: not planned, and no " +
            "ip-ranges section is documented for them; allow them by name ahead of a failover, which Remote Configuration turns on.";
    }
}
