using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Where logs go: HTTPS to <c>agent-http-intake.logs.&lt;domain&gt;</c> on 443 (the default from Agent 6.19/7.19, or
/// <c>force_use_http</c>/<c>use_http</c>), or TCP to <c>agent-intake.logs.&lt;domain&gt;</c> on 10516 (443 on EU1)
/// with <c>force_use_tcp</c>/<c>use_tcp</c> or an older agent; <c>logs_dd_url</c> (HOST:PORT), else <c>dd_url</c>, replaces the host.
/// Sources: Datadog's "Agent Log Transport" and "Log Collection" guides, and the configuration template.
/// </summary>
internal sealed class LogsPlanner(AgentSettings settings, AgentDefaults defaults, Site site, PlanNotes notes)
{
    public void Plan(List<AgentDestination> destinations)
    {
        if (!settings.Bool("logs_enabled", false))
        {
            return;
        }

        // The agent's endpoint builder asks for HTTP first (BuildEndpointsWithConfig, comp/logs/agent/config/config.go):
        // force_use_http beside force_use_tcp sends over HTTPS, as the agent runs it; so does an Observability Pipelines Worker.
        (string Key, string? Url)? worker = WorkerRoutes.For(settings, "logs");
        // FIPS mode sets logs_config.use_http itself (setupFipsLogsConfig, pkg/config/setup/config.go): no TCP, and no fallback to it.
        bool http = settings.Bool("logs_config.force_use_http", false) || settings.Bool("logs_config.use_http", false) || worker is not null
            || settings.Bool("fips.enabled", false);
        bool tcp = !http && (settings.Bool("logs_config.force_use_tcp", false) || settings.Bool("logs_config.use_tcp", false) || ImpliesTcp());
        if (http && settings.Bool("logs_config.force_use_tcp", false))
        {
            notes.Add("Logs: force_use_http and force_use_tcp are both set; the agent uses HTTPS (its endpoint builder asks for HTTP first), so TCP is not planned.");
        }

        bool overHttps = http || (!tcp && defaults.LogsOverHttps);
        Main main = MainEndpoint(overHttps);
        if (!http && !tcp && overHttps && main.Fallback is not null)
        {
            FallbackNote(main);
        }

        NoTcpIntake(overHttps || main.MovedBy is not null, main.Host, main.Port);
        bool plain = main.Plain && overHttps;
        string transport = plain ? "logs over HTTP" : overHttps ? "logs over HTTPS" : "logs over TCP";
        // Over HTTP(S) the agent's HTTP client (and its proxy for the scheme) carries logs, whatever the port; over TCP a raw connection does.
        string? scheme = !overHttps ? null : plain ? "http" : "https";
        var intake = Placement.Of("logs", main.Host, new PortRange(TransportProtocol.Tcp, main.Port), transport, scheme);
        if (!overHttps && Socks5(intake) is AgentDestination socks)
        {
            destinations.Add(socks);
        }
        else if (worker is (string key, string url))
        {
            Worker(destinations, key, url, intake);
        }
        else
        {
            destinations.Add(intake);
        }

        if (worker is (string emptyKey, null))
        {
            notes.Add($"{emptyKey} is empty though its track is on: the agent logs an error and sends logs to {main.Host} as planned.");
        }

        foreach ((string extra, int? extraPort, bool? useSsl) in AdditionalEndpoints.Hosts(settings, "logs_config.additional_endpoints"))
        {
            // Over HTTP each extra endpoint takes its own use_ssl (7.51+), else the main endpoint's TLS (AdditionalEndpoints.Scheme); over TCP a raw connection.
            string? extraScheme = overHttps ? AdditionalEndpoints.Scheme(useSsl, scheme!, defaults.Version) : null;
            int extraDefault = extraScheme == "http" ? 80 : 443;
            destinations.Add(Placement.Of("logs", extra, new PortRange(TransportProtocol.Tcp, extraPort ?? extraDefault),
                $"{(extraScheme == "http" ? "logs over HTTP" : overHttps ? "logs over HTTPS" : transport)}, dual shipping (logs_config.additional_endpoints)", extraScheme));
        }
    }

    // Without force_use_http the agent falls back to TCP when HTTP(S) fails at start-up: to an intake these rules do not allow, or
    // on a site without a TCP intake to none.
    private void FallbackNote(Main main)
    {
        notes.Add($"Logs go over {(main.Plain ? "HTTP (logs_no_ssl)" : "HTTPS")}; without logs_config.force_use_http the agent falls back to TCP, " +
            $"to {main.Fallback}, when {(main.Plain ? "HTTP" : "HTTPS")} fails at start-up, " +
            (main.FallbackUnserved
                ? $"where Datadog offers no TCP intake for {site.Name} (TCP is documented for US1 and EU1 only): " +
                    "set logs_config.force_use_http: true so that logs stay on HTTPS."
                : main.FallbackPlanned
                    ? "the same host and port as planned, which these rules allow."
                    : "which these rules do not allow."));
    }

    // The main endpoint: logs_dd_url (HOST:PORT or a URL), else logs_config.dd_url, else the site's intake for the transport; and
    // where the TCP fallback then goes (buildTCPEndpoints reads the same logs_dd_url; newer agents never fall back from an http(s):// one).
    private Main MainEndpoint(bool overHttps)
    {
        string host = (overHttps ? IntakeCatalog.LogsHttps : IntakeCatalog.LogsTcp).Host(site);
        int port = overHttps ? 443 : TcpPort(host);
        // Over HTTP, logs_no_ssl (or an http:// logs_dd_url, whose scheme decides) sends plain HTTP: through proxy.http, no CONNECT.
        bool plain = settings.Bool("logs_config.logs_no_ssl", false);
        if (settings.Text("logs_config.logs_dd_url") is string url)
        {
            FoundSetting found = settings.Find("logs_config.logs_dd_url")!;
            (host, int? custom) = UrlSetting.Require(found, url, "HOST:PORT");
            port = custom ?? throw new AgentConfigurationException(found.Value.Origin, found.Name, "must name its port (HOST:PORT)");
            return new(host, port, HasScheme(url) ? IntakeHosts.SchemeOf(url) == "http" : plain, found.Name,
                HasScheme(url) ? null : $"{host} ({port}/tcp, the same logs_dd_url over raw TCP)") { FallbackPlanned = !HasScheme(url) };
        }

        // use_port_443 decides the TCP endpoint (and so where an HTTPS agent falls back to); over HTTPS logs_config.dd_url still moves the intake.
        Main? tls = Port443();
        if (tls is not null && !overHttps)
        {
            return tls;
        }

        if (settings.Text("logs_config.dd_url") is string intake)
        {
            // The intake's own override (DD_LOGS_CONFIG_DD_URL), below logs_dd_url: a URL or host; over TCP on its known intake's port
            // or logs_config.dd_port (buildTCPEndpoints: logsEndpoints[host], else ddPort()), over HTTPS on 443.
            FoundSetting found = settings.Find("logs_config.dd_url")!;
            (host, int? custom) = UrlSetting.Require(found, intake, "a URL or HOST[:PORT]");
            int tcpPort = custom ?? TcpPort(host);
            return new(host, overHttps ? custom ?? port : tcpPort, HasScheme(intake) ? IntakeHosts.SchemeOf(intake) == "http" : plain, found.Name,
                tls?.Fallback ?? $"{host} ({tcpPort}/tcp, logs_config.dd_url)");
        }

        string tcpHost = IntakeCatalog.LogsTcp.Host(site);
        return new(host, port, plain, null, tls?.Fallback ?? $"{tcpHost} ({TcpPort(tcpHost)}/tcp)") { FallbackUnserved = tls is null && !HasTcpIntake };
    }

    // The agent's endpoint builder takes TCP, without force_use_http, when a SOCKS5 proxy or logs additional endpoints are set
    // (BuildEndpointsWithConfig, comp/logs/agent/config/endpoints.go: "!(isForceTCPUse() || isSocks5ProxySet() || hasAdditionalEndpoints())");
    // newer agents keep HTTP(S) for an http(s):// logs_dd_url and with Multi-Region Failover.
    private bool ImpliesTcp()
    {
        // An empty value is unset to the agent (isSocks5ProxySet: len > 0).
        string? why = settings.Text("logs_config.socks5_proxy_address") is { Length: > 0 } ? "logs_config.socks5_proxy_address"
            : AdditionalEndpoints.Hosts(settings, "logs_config.additional_endpoints").Any() ? "logs_config.additional_endpoints" : null;
        if (why is null || settings.Text("logs_config.logs_dd_url") is string url && HasScheme(url) || settings.Bool("multi_region_failover.enabled", false))
        {
            return false;
        }

        notes.Add($"Logs go over TCP: {why} without logs_config.force_use_http makes the agent use TCP (its endpoint builder asks for HTTP only " +
            "when no SOCKS5 proxy or additional endpoint is set); set logs_config.force_use_http: true to send over HTTPS.");
        return true;
    }

    // Over TCP through logs_config.socks5_proxy_address (HOST:PORT): the agent connects to the proxy only, which reaches the intake.
    private AgentDestination? Socks5(AgentDestination intake)
    {
        if (settings.NonBlankText("logs_config.socks5_proxy_address") is not ({ } found, string address))
        {
            return null;
        }

        (string host, int? port) = UrlSetting.Require(found, address, "HOST:PORT");
        int proxyPort = port ?? throw new AgentConfigurationException(found.Value.Origin, found.Name, "must name its port (HOST:PORT)");
        notes.Add($"Logs over TCP go through the SOCKS5 proxy {host}:{proxyPort} (logs_config.socks5_proxy_address): the agent connects to it only; " +
            $"the proxy reaches {intake.HostName} ({intake.Port}), which the proxy's own host must allow.");
        return Placement.Of("logs", host, new PortRange(TransportProtocol.Tcp, proxyPort), "logs over TCP, through the SOCKS5 proxy", null);
    }

    // Over TCP, the port of a host the agent knows (logsEndpoints, comp/logs/agent/config/endpoints.go: US1's intake on 10516, EU1's
    // on 443), else logs_config.dd_port (10516 by default).
    private int TcpPort(string host) => Site.All.FirstOrDefault(s => IntakeCatalog.LogsTcp.Host(s) == host) is Site known && IntakeCatalog.TcpLogsPort(known.Domain) is int port
        ? port
        : settings.Port("logs_config.dd_port", IntakeCatalog.LogsTcp.Port, 1);

    // logs_config.use_port_443 over TCP: logs_config.dd_url_443 on 443 over TLS (buildTCPEndpoints), whose default is US1's
    // agent-443-intake.logs.datadoghq.com whatever the site (pkg/config/setup); null when it is off.
    private Main? Port443()
    {
        if (!settings.Bool("logs_config.use_port_443", false))
        {
            return null;
        }

        string us1 = IntakeCatalog.LogsTcpOn443.Host(Site.US1);
        string host = settings.Find("logs_config.dd_url_443") is { Value.Text.Length: > 0 } found ? HostKeys.Host(found) : us1;
        if (host == us1 && site != Site.US1)
        {
            notes.Add($"Logs over TCP with logs_config.use_port_443 go to {us1} (443/tcp), US1's intake, whatever the site: the agent's default " +
                $"for logs_config.dd_url_443; set it to this site's port-443 intake if Datadog gives one for {site.Name}.");
        }

        return new(host, 443, false, "logs_config.use_port_443", $"{host} (443/tcp, logs_config.use_port_443)");
    }

    // An Observability Pipelines Worker replaces the main endpoint; with dual_ship (newer agents) the intake stays.
    private void Worker(List<AgentDestination> destinations, string key, string url, AgentDestination intake)
    {
        destinations.Add(WorkerRoutes.Destination(settings, "logs", key, url, "logs over HTTP(S)"));
        bool dual = WorkerRoutes.LogsDualShip(settings);
        if (dual)
        {
            destinations.Add(intake with { Purpose = $"{intake.Purpose}, beside the worker (dual_ship)" });
        }

        notes.Add($"Observability Pipelines Worker: logs go to the worker ({key}) " + (dual
            ? $"and, with dual_ship, to {intake.HostName} as well."
            : $"instead of {intake.HostName}, which the logs agent then does not contact (the worker's URL replaces its main endpoint, buildHTTPEndpoints)."));
    }

    private sealed record Main(string Host, int Port, bool Plain, string? MovedBy, string? Fallback)
    {
        /// <summary>Whether the fallback is the site's own TCP intake on a site Datadog offers none on.</summary>
        public bool FallbackUnserved { get; init; }

        /// <summary>The fallback goes to the host and port planned for HTTPS (logs_dd_url as HOST:PORT).</summary>
        public bool FallbackPlanned { get; init; }
    }

    // Datadog documents a TCP intake for US1 and EU1 only (docs.datadoghq.com/agent/configuration/network: "Logs (TCP; US1 and EU1 only)").
    private bool HasTcpIntake => site.IsCustom || IntakeCatalog.TcpLogsPort(site.Domain) is not null;

    // Datadog's network page: "Logs (TCP; US1 and EU1 only)"; its site settings (regions.config.js, tcp_endpoint) say the TCP
    // endpoint is not supported on US3, US5, AP1, AP2 and US1-FED (nor listed for the others). A relay (logs_dd_url, logs_config.dd_url) is the user's to know.
    private void NoTcpIntake(bool httpOrMoved, string host, int port)
    {
        if (!httpOrMoved && !HasTcpIntake)
        {
            notes.Add(AgentNoteKind.NotReachedAsPlanned, $"Logs over TCP: Datadog has no TCP logs intake on {site.Name} ({host} {port}/tcp is planned, but Datadog documents TCP " +
                "for US1 and EU1 only, docs.datadoghq.com/agent/configuration/network: 'Logs (TCP; US1 and EU1 only)'); send logs over HTTPS " +
                "(logs_config.force_use_http: true) instead.");
        }
    }

    private static bool HasScheme(string text) => text.Contains("://", StringComparison.Ordinal);
}
