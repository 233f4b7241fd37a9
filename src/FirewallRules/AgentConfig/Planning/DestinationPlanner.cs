using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The hosts each enabled feature contacts, from the settings: the mapping of data/PROVENANCE.md, section 4 (Datadog's
/// network traffic guide, the configuration template, and each feature's setup guide).
/// </summary>
internal sealed class DestinationPlanner(AgentSettings settings, AgentDefaults defaults, Site site, bool kubernetes, PlanNotes notes)
{
    private readonly List<AgentDestination> _destinations = [];

    private string Domain => site.Domain;

    public List<AgentDestination> Plan()
    {
        Metrics();
        WorkerRoutes.Metrics(settings, _destinations, Add, notes);
        RemoteConfigurationPlan();
        new LogsPlanner(settings, defaults, site, notes).Plan(_destinations);
        Apm();
        Processes();
        if (kubernetes && settings.Bool("orchestrator_explorer.enabled", true))
        {
            // orchestrator_explorer.orchestrator_dd_url replaces orchestrator.<site>, port kept (pkg/orchestrator/config/config.go).
            (string host, int? port, string scheme) = UrlOr(OrchestratorUrl, IntakeCatalog.Orchestrator.Host(site));
            Add(Placement.Of("orchestrator", host, Tcp(port),
                $"orchestrator explorer (Kubernetes resources{(settings.Text(OrchestratorUrl) is null ? "" : ", " + OrchestratorUrl)})", scheme));
        }

        MappedFeatures();
        ExternalMetrics();
        var integrations = new IntegrationPlanner(settings, site, notes);
        integrations.DatabaseMonitoring(Add);
        new EndpointPlanner(settings, defaults, site, kubernetes, notes).Plan(Add);
        integrations.NetworkDevices(_destinations, Add);
        integrations.Targets(Add);
        new OtherDestinations(settings, notes).Plan(Add);
        if (settings.Collector is { } collector)
        {
            new CollectorPlanner(collector, site, notes).Plan(Add);
        }

        OffPipelines();
        Ntp();
        if (kubernetes)
        {
            new ClusterPlanner(settings, notes).Plan(Add);
        }

        return _destinations;
    }

    private const string RemoteConfigurationUrl = "remote_configuration.rc_dd_url";
    private const string OrchestratorUrl = "orchestrator_explorer.orchestrator_dd_url";

    // The scheme a URL key sends with: the URL's own; Remote Configuration's written as HOST:PORT (Datadog's proxy guide) is plain
    // HTTP with remote_configuration.no_tls, which only lifts its HTTP client's https-only check (pkg/config/remote/api/http.go).
    private string SchemeOf(string key, string url) =>
        key == RemoteConfigurationUrl && !url.Contains("://", StringComparison.Ordinal) && settings.Bool("remote_configuration.no_tls", false)
            ? "http"
            : IntakeHosts.SchemeOf(url);

    /// <summary>The TCP port a URL names, 443 when it names none (the agent's URLs are HTTPS).</summary>
    internal static PortRange Tcp(int? port) => new(TransportProtocol.Tcp, port ?? 443);

    // Remote Configuration's host, where it runs (FeatureSwitches.RemoteConfigurationOn) and the agent accepts its URL.
    private void RemoteConfigurationPlan()
    {
        if (!defaults.HasRemoteConfiguration && settings.Bool("remote_configuration.enabled", false))
        {
            notes.Add($"Remote Configuration is turned on (remote_configuration.enabled, or DD_REMOTE_CONFIGURATION_ENABLED, which the Helm chart " +
                $"sets), but Agent {defaults.Version} has none (it came in {defaults.Version.Major}.39.1): {IntakeCatalog.RemoteConfiguration.Host(site)} is not planned.");
        }

        if (!FeatureSwitches.RemoteConfigurationOn(settings, defaults, site))
        {
            return;
        }

        if (FeatureSwitches.Government(settings, site))
        {
            notes.Add("remote_configuration.enabled turns Remote Configuration on in a government environment (FIPS mode or US1-FED), as agents " +
                "from 7.72 allow (it is off there by default); older ones turn it off there whatever the setting, and contact none of its hosts.");
        }

        if (FeatureSwitches.PlainRemoteConfigurationRefused(settings))
        {
            notes.Add(AgentNoteKind.NotReachedAsPlanned,
                "remote_configuration.rc_dd_url is not an https:// URL and remote_configuration.no_tls is not true: the agent refuses it (TLS is " +
                "required by default, NewHTTPClient in pkg/config/remote/api/http.go) and Remote Configuration does not start, so it contacts neither " +
                $"that URL nor {IntakeCatalog.RemoteConfiguration.Host(site)}: not planned. Set remote_configuration.no_tls: true to use it, or give an https:// URL.",
                "remote_configuration.rc_dd_url");
        }
        else
        {
            Add(RemoteConfiguration());
        }
    }

    // GetMainEndpoint(cfg, "https://config.", "remote_configuration.rc_dd_url") (comp/remote-config/rcservice): the key replaces
    // the host, port kept; the 8042 row (FeatureMap) follows it too.
    private AgentDestination RemoteConfiguration()
    {
        if (settings.Text(RemoteConfigurationUrl) is not string url)
        {
            return Placement.Of("remote-configuration", IntakeCatalog.RemoteConfiguration.Host(site), PortRange.Https, IntakeCatalog.RemoteConfiguration.Purpose);
        }

        (string host, int? port) = UrlSetting.Require(settings.Find(RemoteConfigurationUrl)!, url, $"a URL such as {IntakeCatalog.RemoteConfiguration.ExampleUrl}");
        return Placement.Of("remote-configuration", host, Tcp(port), $"remote configuration ({RemoteConfigurationUrl})", SchemeOf(RemoteConfigurationUrl, url));
    }

    private void Add(AgentDestination destination)
    {
        if (!_destinations.Any(d => d.HostName == destination.HostName && d.Port == destination.Port && d.Feature == destination.Feature))
        {
            _destinations.Add(defaults.AnyVersion(destination.HostName) is string any ? destination with { AnyVersionName = any } : destination);
        }
    }

    private void Metrics()
    {
        if (!defaults.Given)
        {
            notes.Add($"The agent's exact version is not given (nor agents.image.tag in Helm values, as 7.81.1; a floating tag such as 7 or " +
                $"latest runs the newest release): the plan follows Agent {defaults.Version.ToString(3)}, " +
                $"{(defaults.Version == AgentVersions.Newest ? "the newest this tool knows"
                    : defaults.Version == AgentVersions.LastAgent6 ? "the last Agent 6" : "the release the version names")}, " +
                "and the allow-lists by name (squid, domains, aws-network-firewall, cilium by name) hold the versioned hosts of " +
                $"any version ({IntakeCatalog.VersionedMetrics.AnyVersion(Domain)}), so an upgrade keeps its metrics.");
        }

        string host = IntakeCatalog.VersionedMetrics.Host(defaults.Label, Domain);
        PortRange port = PortRange.Https;
        string scheme = "https";
        if (settings.Text("dd_url") is string url)
        {
            // app.<domain> is rewritten to the versioned host; any other URL is used as written, with its port.
            FoundSetting found = settings.Find("dd_url")!;
            (string custom, int? customPort) = UrlSetting.Require(found, url, $"a URL such as {IntakeCatalog.App.ExampleUrl}");
            host = Versioned(custom);
            port = Tcp(customPort);
            scheme = IntakeHosts.SchemeOf(url);
            if (IntakeHosts.Find(custom) is null)
            {
                // Each pipeline reads its own key (GetMainEndpoint(cfg, prefix, ownKey), pkg/config/utils/endpoints.go, at every
                // version up to the newest stored), and the template says dd_url "does not affect APM, Logs or Live Process intake".
                notes.Add($"dd_url sends metrics (and flares) to {custom}; it moves no other pipeline: logs, traces, processes and the other intakes " +
                    "go to their own *_dd_url or to the site's hosts, as planned here (the agent reads each pipeline's own key, GetMainEndpoint).");
            }
        }

        Add(Placement.Of("metrics", host, port, "metrics, checks, events and metadata", scheme));
        Add(Flare(port, scheme));
        foreach ((string endpoint, int? endpointPort, string endpointScheme) in AdditionalEndpoints.Urls(settings, "additional_endpoints"))
        {
            Add(Placement.Of("metrics", Versioned(endpoint), Tcp(endpointPort), "metrics, dual shipping (additional_endpoints)", endpointScheme));
        }
    }

    // A flare goes where metrics go, with "flare" in the versioned host: AddAgentVersionToDomain(GetInfraEndpoint(cfg), "flare")
    // (GetFlareEndpoint, comp/core/flare/helpers/send_flare.go): <version>-flare.agent.<domain> for the site or an app.<site>
    // dd_url, any other dd_url (a relay) as written, with its port and scheme.
    private AgentDestination Flare(PortRange port, string scheme)
    {
        const string Purpose = "agent flares, only when one is sent (to dd_url's host, GetFlareEndpoint)";
        string? custom = settings.Text("dd_url") is string url ? IntakeHosts.Parse(url)?.Host : null;
        string? site = custom is null ? Domain : IsApp(custom) is Site other ? other.Domain : null;
        return site is not null
            ? new AgentDestination("flare", IntakeCatalog.VersionedFlare.Host(defaults.Label, site), PortRange.Https, DestinationCoverage.NotPublished, null, null, Purpose)
                { Scheme = scheme }
            : Placement.Of("flare", custom!, port, Purpose, scheme);
    }

    // The forwarder rewrites every domain it sends to, the main one and each additional endpoint, from app.<site> to the
    // versioned host (AddAgentVersionToDomain in comp/forwarder/defaultforwarder); any other host is used as written.
    private string Versioned(string host) => IsApp(host) is Site other ? IntakeCatalog.VersionedMetrics.Host(defaults.Label, other.Domain) : host;

    // The site whose app.<site> host is named.
    private static Site? IsApp(string host) =>
        Site.All.FirstOrDefault(site => host.TrimEnd('.').Equals(IntakeCatalog.App.Host(site), StringComparison.OrdinalIgnoreCase));

    private void Apm()
    {
        if (!settings.Bool("apm_config.enabled", true))
        {
            return;
        }

        string host = IntakeCatalog.Traces.Host(site);
        PortRange port = PortRange.Https;
        string scheme = "https";
        if (WorkerRoutes.For(settings, "traces") is (string key, var worker))
        {
            // The worker's URL replaces the trace agent's main endpoint (applyDatadogConfig, comp/trace/config/setup.go).
            notes.Add(worker is null
                ? $"{key} is empty though its track is on: the trace agent logs an error and has no main endpoint, so no trace intake is planned."
                : $"Observability Pipelines Worker: traces go to the worker ({key}) instead of {host}, which the trace agent then does not contact for traces.");
            if (worker is not null)
            {
                Add(WorkerRoutes.Destination(settings, "apm", key, worker, "traces"));
            }
        }
        else if (settings.Text("apm_config.apm_dd_url") is string url)
        {
            FoundSetting found = settings.Find("apm_config.apm_dd_url")!;
            (host, int? custom) = UrlSetting.Require(found, url, $"a URL such as {IntakeCatalog.Traces.ExampleUrl}");
            port = Tcp(custom);
            scheme = IntakeHosts.SchemeOf(url);
        }

        if (WorkerRoutes.For(settings, "traces") is null)
        {
            Add(Placement.Of("apm", host, port, "traces", scheme));
        }

        foreach ((string endpoint, int? endpointPort, string endpointScheme) in AdditionalEndpoints.Urls(settings, "apm_config.additional_endpoints"))
        {
            Add(Placement.Of("apm", endpoint, Tcp(endpointPort), "traces, dual shipping (apm_config.additional_endpoints)", endpointScheme));
        }
    }

    private void Processes()
    {
        ProcessFeatures features = ProcessFeatures.Read(settings);
        if (!features.Any)
        {
            return;
        }

        (string host, int? port, string scheme) = UrlOr("process_config.process_dd_url", IntakeCatalog.Processes.Host(site));
        Add(Placement.Of("process", host, Tcp(port), $"live {features}", scheme));
    }

    // The host, port and scheme of a URL key that replaces a feature's host, or that host on 443 over HTTPS when it is not set.
    private (string Host, int? Port, string Scheme) UrlOr(string key, string host) =>
        settings.Text(key) is string url && UrlSetting.Require(settings.Find(key)!, url, $"a URL such as https://{host}") is (string custom, var port)
            ? (custom, port, IntakeHosts.SchemeOf(url))
            : (host, 443, "https");

    // Adds the host of each of the row's URL keys that is set; true when every one is (the row's own host is then unused).
    private bool Relocated(FeatureRow row)
    {
        int set = 0;
        foreach (string key in row.UrlKeys)
        {
            if (settings.Text(key) is not string url)
            {
                continue;
            }

            FoundSetting found = settings.Find(key)!;
            (string custom, int? port) = UrlSetting.Require(found, url, $"a URL such as https://{row.Host(site)}");
            Add(Placement.Of(row.Feature, custom, Tcp(port), $"{row.Feature.Replace('-', ' ')} ({key})", SchemeOf(key, url)));
            set++;
        }

        return set == row.UrlKeys.Count;
    }

    // The rows of the feature map whose key is on: published hosts in their section, the others by name only.
    private void MappedFeatures()
    {
        FeatureRow[] enabled = [.. FeatureSwitches.Enabled(settings, defaults, site)];
        DefaultedOn(enabled);
        if (enabled.Any(r => r.Feature == "debugger") && !settings.IsSet("apm_config.debugger_dd_url"))
        {
            notes.Add($"Dynamic Instrumentation logs from older tracers (the logs track) go through the trace agent to {IntakeCatalog.HttpLogs.Host(site)} " +
                (settings.Bool("logs_enabled", false)
                    ? "(443/tcp): the 'logs' section planned here holds its addresses, but an allow-list by name holds only the agent's own logs host; add it " +
                        "by name where your tracers use Dynamic Instrumentation on that track, or set apm_config.debugger_dd_url."
                    : "(443/tcp, the 'logs' section), which the plan leaves out: where your tracers use Dynamic Instrumentation on that track, add --section logs " +
                        "or set apm_config.debugger_dd_url."));
        }

        foreach (FeatureRow row in enabled)
        {
            string purpose = $"{row.Feature.Replace('-', ' ')} ({row.Key})";
            if (row.UrlKeys.Count > 0 && Relocated(row))
            {
                continue;
            }

            if (PipelineEndpoint.PrefixOf(row.Feature) is string pipeline && PipelineMoves.Moved(settings, pipeline, row.Feature, purpose) is { } moved)
            {
                Add(moved);
                continue;
            }

            // The EVP proxy sends to <subdomain>.<evp_proxy_config.dd_url>, a domain suffix (pkg/trace/api/evp_proxy.go).
            if (row.Feature == "llmobs" && settings.Text("evp_proxy_config.dd_url") is string suffix && suffix.Trim().TrimEnd('.') is { Length: > 0 } domain)
            {
                Add(Placement.Of(row.Feature, row.Prefix + domain, row.PortRange, $"{purpose}, evp_proxy_config.dd_url"));
                continue;
            }

            Add(row.Section is Section section
                ? new AgentDestination(row.Feature, row.Host(site), row.PortRange, DestinationCoverage.PublishedRanges, section, site, purpose)
                : new AgentDestination(row.Feature, row.Host(site), row.PortRange, DestinationCoverage.NotPublished, null, null, purpose));
        }

        notes.Add(settings.Bool("external_metrics_provider.enabled", false)
            ? $"The agent also queries {IntakeCatalog.Api.Host(site)} (443/tcp, the 'api' section) for non-critical functions such as showing whether its API key is valid; " +
                "the Cluster Agent's external metrics provider is on, and its queries are planned (see external-metrics)."
            : $"The agent also queries {IntakeCatalog.Api.Host(site)} (443/tcp, the 'api' section) for non-critical functions such as showing whether its API key is valid: " +
                $"these rules leave it out; add --section api to allow it.");
        notes.Add($"Installing or upgrading the agent (not its running) reaches {string.Join(", ", IntakeCatalog.InstallationHosts)} on 443/tcp: allow them by " +
            $"name where packages are installed.");
    }

    // Container image and lifecycle collection turned on by the agent's own default (7.50 and later) rather than by this
    // configuration: planned, since any host may run containers, and the note says they carry nothing where none run.
    private void DefaultedOn(IEnumerable<FeatureRow> enabled)
    {
        // The container intakes' defaults, which send only where there are containers (agent telemetry's is on everywhere from 7.59).
        string[] keys = [.. enabled.Where(r => r.Feature is "container-image" or "container-lifecycle" && !settings.IsSet(r.Key)).Select(r => r.Key).Distinct()];
        if (keys.Length > 0)
        {
            notes.Add($"{string.Join(" and ", keys)} {(keys.Length == 1 ? "is" : "are")} on by default from Agent 7.50 and not set here, so the plan holds " +
                "their hosts; the agent sends to them only where it sees containers (Docker, containerd, CRI-O, Kubernetes, ECS). On a host without " +
                $"containers, set {(keys.Length == 1 ? "it" : "them")} to false to leave {(keys.Length == 1 ? "it" : "them")} out.");
        }
    }

    // The Cluster Agent's external metrics provider (custom autoscaling: HPAs on Datadog metrics, DatadogMetric objects) queries
    // the Datadog API for their values: GetMainEndpoint("https://api.", "external_metrics_provider.endpoint"), so api.<site> unless
    // that endpoint names another (newDatadogSingleClient, pkg/util/kubernetes/autoscalers/datadogclient.go); without those
    // answers the autoscalers stop. external_metrics_provider.endpoints (a list of url/api_key/app_key) adds fallbacks (newDatadogFallbackClient), named in a note.
    private void ExternalMetrics()
    {
        if (!settings.Bool("external_metrics_provider.enabled", false))
        {
            return;
        }

        const string Purpose = "the Cluster Agent's external metrics provider: metric queries for custom autoscaling";
        (string host, int? port, string scheme) = settings.Text("external_metrics_provider.endpoint") is string url
                && UrlSetting.Require(settings.Find("external_metrics_provider.endpoint")!, url, $"a URL such as https://{IntakeCatalog.Api.Host(site)}")
                    is (string custom, var customPort)
            ? (custom, customPort, IntakeHosts.SchemeOf(url))
            : (IntakeCatalog.Api.Host(site), IntakeCatalog.Api.Port, "https");
        Add(Placement.Of(ClusterAgentFeatures.ExternalMetrics, host, Tcp(port), Purpose, scheme));
        if (settings.IsSet("external_metrics_provider.endpoints"))
        {
            notes.Add("external_metrics_provider.endpoints is set: the Cluster Agent falls back to each of its URLs for metric queries; they are not planned, allow them by name.");
        }
    }

    // A pipeline's own endpoint key set for a feature this configuration leaves off: said, as EndpointPlanner says it of extra endpoints.
    private void OffPipelines()
    {
        foreach ((string prefix, string feature) in PipelineEndpoint.Prefixes.Where(p => p.Value is not ("database-monitoring" or "ndm")))
        {
            if (PipelineMoves.MovedBy(settings, prefix) is string key && !_destinations.Any(d => d.Feature == feature))
            {
                notes.Add($"{key} is set, but {feature} is off in this configuration: its endpoint is not planned.");
            }
        }
    }

    private void Ntp()
    {
        // The NTP check is on by default and queries the pool 0-3.datadog.pool.ntp.org (its conf.d/ntp.d default).
        for (int i = 0; i < 4; i++)
        {
            Add(new AgentDestination("ntp", $"{i}.datadog.pool.ntp.org", new PortRange(TransportProtocol.Udp, 123), DestinationCoverage.AnyAddress, null, null,
                "NTP offset check (public pool servers)") { Scheme = null });
        }
    }
}
