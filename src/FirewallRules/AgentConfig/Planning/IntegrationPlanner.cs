using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What the integrations open: Database Monitoring and SNMP polling (turned on in <c>conf.d</c>, or moved by their pipelines'
/// keys), Network Path tests, and the targets every integration connects to. When <c>conf.d</c> was read
/// (<see cref="AgentSettings.Checks"/>), its instances decide; when it was not, a moved pipeline is planned and a note says
/// which hosts to allow if the integrations are used.
/// </summary>
internal sealed class IntegrationPlanner(AgentSettings settings, Site site, PlanNotes notes)
{
    private static readonly PortRange Https = new(TransportProtocol.Tcp, 443);

    private static string[] DatabasePrefixes => [.. PipelineEndpoint.Prefixes.Where(p => p.Value == "database-monitoring").Select(p => p.Key)];

    /// <summary>The Database Monitoring pipelines: metrics and activity to <c>dbm-metrics-intake.</c>, samples to <c>dbquery-intake.</c>, each moved by its own keys.</summary>
    public void DatabaseMonitoring(Action<AgentDestination> add)
    {
        if (settings.Checks is not { } checks)
        {
            WithoutChecks(add);
            return;
        }

        CheckInstance[] on = [.. checks.DatabaseMonitoring];
        if (on.Length == 0)
        {
            string[] keys = [.. DatabasePrefixes
                .Select(p => PipelineMoves.MovedBy(settings, p) ?? (settings.IsSet(p + "additional_endpoints") ? p + "additional_endpoints" : null)).OfType<string>()];
            if (keys.Length > 0)
            {
                notes.Add($"{string.Join(", ", keys)} {(keys.Length == 1 ? "is" : "are")} set, but no integration in conf.d turns Database Monitoring on " +
                    "(dbm: true): its endpoints are not planned.");
            }

            return;
        }

        string what = $"database monitoring ({Where(on)})";
        foreach (string prefix in DatabasePrefixes)
        {
            string main = EndpointKeys.All.First(k => k.Pipeline == prefix).Main!.Host(site);
            add(PipelineMoves.Moved(settings, prefix, "database-monitoring", what) ?? Placement.Of("database-monitoring", main, Https, what));
        }
    }

    // Each pipeline's logs_dd_url, else its dd_url, moves it (PipelineEndpoint); the integrations turn it on, so a moved one is
    // planned, and so is the default host of one whose additional_endpoints is set (EndpointPlanner). The note says what the plan
    // holds, host and port, and which pipelines' hosts are left to allow by name.
    private void WithoutChecks(Action<AgentDestination> add)
    {
        var planned = new List<string>();
        var left = new List<(string Pipeline, string Host)>();
        foreach (string prefix in DatabasePrefixes)
        {
            string main = EndpointKeys.All.First(k => k.Pipeline == prefix).Main!.Host(site);
            if (PipelineMoves.Moved(settings, prefix, "database-monitoring", "database monitoring") is { } moved)
            {
                add(moved);
                planned.Add($"{moved.HostName} ({moved.Port}, {PipelineMoves.MovedBy(settings, prefix)})");
            }
            else if (settings.IsSet(prefix + "additional_endpoints"))
            {
                planned.Add($"{main} (443/tcp, beside {prefix}additional_endpoints)");
            }
            else
            {
                left.Add((prefix.Split('.')[1], main));
            }
        }

        const string Intro = "Database Monitoring is turned on in each database integration (conf.d), which this tool does not read";
        if (planned.Count == 0)
        {
            notes.Add($"{Intro}: if you use it, allow {IntakeCatalog.DatabaseMetrics.Host(site)} and {IntakeCatalog.DatabaseSamples.Host(site)} (443/tcp) " +
                "by name; the published ranges do not list them.");
            return;
        }

        string text = $"{Intro}; its keys here plan {string.Join(", ", planned.Distinct())}";
        if (left.Count > 0)
        {
            string hosts = string.Join(" and ", left.Select(l => l.Host).Distinct());
            text += $"; the {string.Join(", ", left.Select(l => l.Pipeline))} {(left.Count == 1 ? "pipeline sends" : "pipelines send")} to {hosts} (443/tcp), " +
                "not planned: if you use them, allow them by name; the published ranges do not list them";
        }

        notes.Add(text + ".");
    }

    // SNMP polling sends device metadata to ndm-intake.<site> (the network-devices-metadata pipeline, comp/forwarder/eventplatform):
    // turned on by autodiscovery in datadog.yaml (network_devices.autodiscovery, or the older snmp_listener), or by instances in
    // conf.d/snmp.d, planned then; beside traps and flows (their rows of the feature map plan it). When conf.d was not read, a moved
    // pipeline (its own logs_dd_url or dd_url, as Database Monitoring's) is planned, else a note says which host to allow. Whenever
    // that key is set, a note says where the plan sends device metadata, whichever turned it on.
    public void NetworkDevices(IReadOnlyList<AgentDestination> planned, Action<AgentDestination> add)
    {
        const string Prefix = "network_devices.metadata.";
        string host = IntakeCatalog.NetworkDevices.Host(site);
        bool autodiscovery = settings.IsSet("network_devices.autodiscovery") || settings.IsSet("snmp_listener");
        bool besideTrapsOrFlows = planned.Any(d => d.Feature == "ndm");
        CheckInstance[]? devices = settings.Checks is { } checks ? [.. checks.Of("snmp")] : null;
        string source = autodiscovery ? "network device metadata (SNMP autodiscovery)"
            : devices is { Length: > 0 } ? $"network device metadata (SNMP devices of {Where(devices)})" : "network device metadata (SNMP devices of conf.d)";
        AgentDestination? moved = PipelineMoves.Moved(settings, Prefix, "ndm", source);
        if (autodiscovery || devices is { Length: > 0 })
        {
            add(moved ?? Placement.Of("ndm", host, Https, source));
        }
        else if (!besideTrapsOrFlows)
        {
            if (devices is not null)
            {
                if (moved is not null)
                {
                    notes.Add($"{PipelineMoves.MovedBy(settings, Prefix)} is set, but no SNMP device is set up in conf.d (snmp.d) nor autodiscovered: not planned.");
                }

                return;
            }

            if (moved is null)
            {
                notes.Add($"Network Device Monitoring polls SNMP devices set up in conf.d (snmp.d), which this tool does not read: if you use it, allow {host} " +
                    "(443/tcp) by name; the published ranges do not list it.");
                return;
            }

            add(moved);
        }

        if (moved is not null)
        {
            notes.Add($"Network Device Monitoring {How(autodiscovery, besideTrapsOrFlows, devices)}: {PipelineMoves.MovedBy(settings, Prefix)} is set, so its " +
                $"device metadata is planned to {moved.HostName} ({moved.Port}{(moved.Scheme == "http" ? ", plain HTTP" : string.Empty)}).");
        }
    }

    private static string How(bool autodiscovery, bool besideTrapsOrFlows, CheckInstance[]? devices)
    {
        string others = devices is null ? " (and polls those set up in conf.d, which this tool does not read)" : string.Empty;
        return autodiscovery ? "autodiscovers SNMP devices" + (devices is { Length: > 0 } ? " and polls those set up in conf.d" : others)
            : devices is { Length: > 0 } ? "polls the SNMP devices set up in conf.d"
            : besideTrapsOrFlows
                ? "sends device metadata beside its SNMP traps and NetFlow"
                    + (devices is null ? " (and for SNMP devices set up in conf.d, which this tool does not read)" : string.Empty)
            : "polls SNMP devices set up in conf.d (snmp.d), which this tool does not read";
    }

    /// <summary>
    /// With <c>conf.d</c> read: Network Path tests (<c>network_path.d</c>) send to <c>netpath-intake.</c>; the SNMP devices polled and every
    /// other integration's own target (a database, an HTTP check's URL) are said, not planned; files the agent skips are said.
    /// </summary>
    public void Targets(Action<AgentDestination> add)
    {
        if (settings.Checks is not { } checks)
        {
            return;
        }

        CheckInstance[] paths = [.. checks.Of("network_path")];
        if (paths.Length > 0)
        {
            string what = $"network path tests ({Where(paths)})";
            add(PipelineMoves.Moved(settings, "network_path.forwarder.", "network-path", what)
                ?? Placement.Of("network-path", IntakeCatalog.NetworkPath.Host(site), Https, what));
        }

        CheckInstance[] devices = [.. checks.Of("snmp").Where(i => i.Target is not null && !i.Template)];
        if (devices.Length > 0)
        {
            notes.Add($"SNMP polls {string.Join(", ", devices.Select(i => $"{i.Target} ({i.Origin})"))} over SNMP (161/udp unless an instance sets port): " +
                "not planned; allow UDP from this host to them by hand." +
                (devices.Where(d => d.Ping).Select(d => d.Target).ToArray() is { Length: > 0 } pinged
                    ? $" ping.enabled also sends ICMP echo requests to {string.Join(", ", pinged)} (the system probe's raw socket where ping.enabled is " +
                        "set in system-probe.yaml): allow ICMP echo to them and its replies too."
                    : string.Empty));
        }

        CheckInstance[] others = [.. checks.Instances.Where(i => i.Target is not null && !i.Template && i.Check != "snmp")];
        if (others.Length > 0)
        {
            notes.Add($"The integrations of conf.d connect to their own targets: {Listed(others)}. Not planned: allow them by hand where this host's egress is filtered" +
                (paths.Length > 0 ? " (Network Path traceroutes its targets: UDP from port 33434 by default, or TCP SYN or ICMP, and needs the ICMP replies)." : "."));
        }

        if (checks.Skipped.Count > 0)
        {
            string them = checks.Skipped.Count == 1 ? "it" : "them";
            notes.Add($"conf.d: {string.Join(", ", checks.Skipped)} skipped, as the agent skips {them} (empty, not YAML, no instances, or a link to nothing).");
        }

        if (checks.Unread.Count > 0)
        {
            notes.Add($"conf.d: {string.Join(", ", checks.Unread)}: not read.");
        }
    }

    // "postgres (conf.d/postgres.d/conf.yaml:4), mysql (...)": each integration once, at its first instance.
    private static string Where(IEnumerable<CheckInstance> instances) =>
        string.Join(", ", instances.GroupBy(i => i.Check).Select(g => $"{g.Key} in {g.First().Origin}"));

    private static string Listed(IEnumerable<CheckInstance> instances) =>
        string.Join(", ", instances.Select(i => $"{i.Check} {i.Target} ({i.Origin})"));
}
