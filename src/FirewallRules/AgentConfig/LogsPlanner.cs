using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Where logs go: HTTPS to <c>agent-http-intake.logs.&lt;domain&gt;</c> on 443 (the default from Agent 6.19/7.19, or
/// <c>force_use_http</c>/<c>use_http</c>), or TCP to <c>agent-intake.logs.&lt;domain&gt;</c> on 10516 (443 on EU1)
/// with <c>force_use_tcp</c>/<c>use_tcp</c> or an older agent; <c>logs_dd_url</c> (HOST:PORT), else <c>dd_url</c>, replaces the host.
/// Sources: Datadog's "Agent Log Transport" and "Log Collection" guides, and the configuration template.
/// </summary>
internal sealed class LogsPlanner(AgentSettings settings, AgentDefaults defaults, Site site, List<string> notes)
{
    public void Plan(List<AgentDestination> destinations)
    {
        if (!settings.Bool("logs_enabled", false))
        {
            return;
        }

        // The agent's endpoint builder asks for HTTP first (BuildEndpointsWithConfig, comp/logs/agent/config/config.go):
        // force_use_http beside force_use_tcp sends over HTTPS, as the agent runs it.
        bool http = settings.Bool("logs_config.force_use_http", false) || settings.Bool("logs_config.use_http", false);
        bool tcp = !http && (settings.Bool("logs_config.force_use_tcp", false) || settings.Bool("logs_config.use_tcp", false));
        if (http && settings.Bool("logs_config.force_use_tcp", false))
        {
            notes.Add("Logs: force_use_http and force_use_tcp are both set; the agent uses HTTPS (its endpoint builder asks for HTTP first), so TCP is not planned.");
        }

        bool overHttps = http || (!tcp && defaults.LogsOverHttps);
        if (!http && !tcp && overHttps)
        {
            notes.Add("Logs go over HTTPS; without logs_config.force_use_http the agent falls back to TCP (10516) when HTTPS fails at start-up, which these rules do not allow.");
        }

        string host = overHttps ? $"agent-http-intake.logs.{site.Domain}" : $"agent-intake.logs.{site.Domain}";
        int port = overHttps || site == Site.EU1 ? 443 : 10516;
        // Over HTTP, logs_no_ssl (or an http:// logs_dd_url, whose scheme decides) sends plain HTTP: through proxy.http, no CONNECT.
        bool plain = settings.Bool("logs_config.logs_no_ssl", false);
        string? moved = null;
        if (settings.Text("logs_config.logs_dd_url") is string url)
        {
            FoundSetting found = settings.Find("logs_config.logs_dd_url")!;
            (host, int? custom) = IntakeHosts.Require(found, url, "HOST:PORT");
            port = custom ?? throw new AgentConfigurationException(found.Value.Origin, found.Name, "must name its port (HOST:PORT)");
            (moved, plain) = (found.Name, HasScheme(url) ? IntakeHosts.SchemeOf(url) == "http" : plain);
        }
        else if (settings.Text("logs_config.dd_url") is string intake)
        {
            // The intake's own override (DD_LOGS_CONFIG_DD_URL), below logs_dd_url: a URL or host, on the transport's port.
            FoundSetting found = settings.Find("logs_config.dd_url")!;
            (host, int? custom) = IntakeHosts.Require(found, intake, "a URL or HOST[:PORT]");
            port = custom ?? port;
            (moved, plain) = (found.Name, HasScheme(intake) ? IntakeHosts.SchemeOf(intake) == "http" : plain);
        }

        NoTcpIntake(overHttps || moved is not null, host, port);
        plain &= overHttps;
        string transport = plain ? "logs over HTTP" : overHttps ? "logs over HTTPS" : "logs over TCP";
        // Over HTTP(S) the agent's HTTP client (and its proxy for the scheme) carries logs, whatever the port; over TCP a raw connection does.
        string? scheme = !overHttps ? null : plain ? "http" : "https";
        destinations.Add(IntakeHosts.Place("logs", host, new PortRange(TransportProtocol.Tcp, port), transport, scheme));
        foreach ((string extra, int? extraPort, bool? useSsl) in AdditionalEndpoints.Hosts(settings, "logs_config.additional_endpoints"))
        {
            // Over HTTP each extra endpoint takes its own use_ssl (7.51+), else the main endpoint's TLS (AdditionalEndpoints.Scheme); over TCP a raw connection.
            string? extraScheme = overHttps ? AdditionalEndpoints.Scheme(useSsl, scheme!, defaults.Version) : null;
            int extraDefault = extraScheme == "http" ? 80 : 443;
            destinations.Add(IntakeHosts.Place("logs", extra, new PortRange(TransportProtocol.Tcp, extraPort ?? extraDefault),
                $"{(extraScheme == "http" ? "logs over HTTP" : overHttps ? "logs over HTTPS" : transport)}, dual shipping (logs_config.additional_endpoints)", extraScheme));
        }
    }

    // Datadog's network page: "Logs (TCP; US1 and EU1 only)"; its site settings (regions.config.js, tcp_endpoint) say the TCP
    // endpoint is not supported on US3, US5, AP1, AP2 and US1-FED (nor listed for the others). A relay (logs_dd_url, logs_config.dd_url) is the user's to know.
    private void NoTcpIntake(bool httpOrMoved, string host, int port)
    {
        if (!httpOrMoved && !site.IsCustom && site != Site.US1 && site != Site.EU1)
        {
            notes.Add($"Logs over TCP: Datadog has no TCP logs intake on {site.Name} ({host} {port}/tcp is planned, but Datadog documents TCP " +
                "for US1 and EU1 only, docs.datadoghq.com/agent/configuration/network: 'Logs (TCP; US1 and EU1 only)'); send logs over HTTPS " +
                "(logs_config.force_use_http: true) instead.");
        }
    }

    private static bool HasScheme(string text) => text.Contains("://", StringComparison.Ordinal);
}
