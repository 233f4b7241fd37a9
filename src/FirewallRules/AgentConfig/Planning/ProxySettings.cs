using System.Globalization;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// A proxy the agent's HTTP client sends through, as the agent picks it: for HTTPS URLs <c>DD_PROXY_HTTPS</c>, then the
/// standard <c>HTTPS_PROXY</c>/<c>https_proxy</c>, then <c>proxy.https</c> in the file (for plain HTTP URLs the same with
/// HTTP); hosts in <c>DD_PROXY_NO_PROXY</c> (spaces), else <c>NO_PROXY</c>/<c>no_proxy</c> (commas), else
/// <c>proxy.no_proxy</c>, are reached directly. Sources: Datadog's "Agent Proxy Configuration" guide (environment
/// variables take precedence over datadog.yaml, and DD_PROXY_* over the standard variables) and the agent's
/// <c>GetProxyTransportFunc</c> (pkg/util/http/transport.go): the proxy is chosen by the URL's scheme, whatever its port,
/// and a <c>no_proxy</c> entry is compared with the URL's host as written (<c>host:port</c> when the URL names a port),
/// or as golang.org/x/net/http/httpproxy matches with <c>no_proxy_nonexact_match</c> (domains, wildcards, addresses, CIDR:
/// <see cref="NoProxyRule"/>). Raw TCP (logs over TCP) and UDP never use these proxies.
/// Credentials are dropped on reading.
/// </summary>
internal sealed record ProxySettings(string Scheme, string Host, int Port, string SetBy, IReadOnlyList<string> NoProxy, bool NonExactMatch)
{
    /// <summary>Marks what goes through the proxies, adds them as destinations and says so in the notes.</summary>
    public static List<AgentDestination> Route(AgentSettings settings, List<AgentDestination> destinations, FullyQualifiedNames names, PlanNotes notes)
    {
        // proxy.no_proxy is checked with or without a proxy: a value of the wrong shape is a mistake whichever proxy comes later.
        _ = settings.List("proxy.no_proxy");
        ProxySettings? https = Resolve(settings, "https");
        ProxySettings? http = Resolve(settings, "http");
        var routed = new List<AgentDestination>(destinations.Count + 2);
        bool httpUsed = false;
        bool rawBesideProxy = false;
        foreach (AgentDestination destination in destinations)
        {
            bool reachable = destination.Coverage is DestinationCoverage.PublishedRanges or DestinationCoverage.NotPublished;
            ProxySettings? proxy = !reachable ? null : destination.Scheme switch { "https" => https, "http" => http, _ => null };
            rawBesideProxy |= reachable && destination.Scheme is null && https is not null && destination.Port.Protocol == TransportProtocol.Tcp;
            string sent = names.AsSent(destination.HostName);
            string? direct = proxy?.Direct(destination, sent);
            if (proxy is not null && direct is null)
            {
                Dotted(proxy, destination, sent, notes);
                routed.Add(destination with { Coverage = DestinationCoverage.ThroughProxy });
                httpUsed |= proxy == http;
                continue;
            }

            routed.Add(direct is null ? destination : destination with { PastProxy = direct });
        }

        Describe(https, http, httpUsed, rawBesideProxy, routed, notes);
        if ((https ?? http) is { NonExactMatch: false } used && InertEntries(used.NoProxy) is { Length: > 0 } inert)
        {
            notes.Add($"no_proxy: {string.Join(", ", inert)} never {(inert.Length == 1 ? "matches" : "match")}: without no_proxy_nonexact_match the agent " +
                "compares each entry with the URL's host as written (GetProxyTransportFunc), so a domain suffix, a wildcard, a CIDR or a host with its " +
                "default port (:443, :80) sends nothing past the proxy; these rules route those hosts through it. Set no_proxy_nonexact_match: true " +
                "(DD_NO_PROXY_NONEXACT_MATCH) for them to match as elsewhere.");
        }

        return routed;
    }

    // The entries an exact comparison with a URL's host never matches: what the non-exact matcher reads as a domain
    // suffix (.internal, *.internal), a wildcard (*), a CIDR (10.5.0.0/16), or a host on the default port, which Go's URL
    // holds without it. Shown only when they are plain text.
    private static string[] InertEntries(IEnumerable<string> entries) =>
        [.. entries.Select(e => e.Trim()).Where(e => e.StartsWith('.') || e.StartsWith('*') || e.Contains('/', StringComparison.Ordinal)
                || e.EndsWith(":443", StringComparison.Ordinal) || e.EndsWith(":80", StringComparison.Ordinal))
            .Select(e => e.Length <= 80 && e.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '/' or '*' or '[' or ']' or '_') ? e : "?")
            .Distinct(StringComparer.Ordinal)];

    private static void Describe(ProxySettings? https, ProxySettings? http, bool httpUsed, bool rawBesideProxy, List<AgentDestination> routed, PlanNotes notes)
    {
        if (https is not null)
        {
            routed.Add(https.ToDestination());
            notes.Add(AgentNoteKind.Proxy,
                $"The agent sends its HTTPS traffic through the proxy {https.Host}:{https.Port} (set by {https.SetBy}): allow the proxy, and let the proxy reach Datadog.");
        }

        if (https is not null || http is not null)
        {
            // datadog_checks_base's HTTP wrapper takes the agent's proxy settings unless an instance sets skip_proxy or use_agent_proxy: false.
            notes.Add("Checks that speak HTTP (http_check, OpenMetrics and the other HTTP-based integrations) use the agent's proxy unless their instance sets " +
                "skip_proxy (or use_agent_proxy: false) or no_proxy names their target: the proxy must allow their targets too, which an allow-list of Datadog's " +
                "hosts does not name.");
        }

        if (http is not null && httpUsed)
        {
            routed.Add(http.ToDestination());
            notes.Add($"The agent sends its plain HTTP traffic (http:// URLs) through the proxy {http.Host}:{http.Port} (set by {http.SetBy}).");
        }
        else if (http is not null && https is null)
        {
            notes.Add($"{http.SetBy} is set but the agent's traffic is HTTPS, which only an HTTPS proxy setting (proxy.https, DD_PROXY_HTTPS, HTTPS_PROXY) " +
                $"carries: it goes direct.");
        }

        foreach (var direct in routed.Where(d => d.PastProxy is not null).GroupBy(d => (d.HostName, d.Port.First, d.PastProxy)))
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{direct.Key.HostName}:{direct.Key.First} ({string.Join(", ", direct.Select(d => d.Feature))}) " +
                $"bypasses the proxy: no_proxy ({direct.Key.PastProxy}) sends it directly, so allow it in the host's firewall, not in the proxy's allow-list."));
        }

        if (rawBesideProxy)
        {
            notes.Add("Logs over TCP do not use the HTTPS proxy (the agent's proxy settings carry HTTP(S) only): they are allowed directly here; the agent " +
                "sends them through a proxy only with logs_config.socks5_proxy_address, or use logs over HTTPS.");
        }
    }

    private static ProxySettings? Resolve(AgentSettings settings, string scheme)
    {
        // With the FIPS proxy the agent ignores proxy.* and unsets HTTP_PROXY/HTTPS_PROXY (setupFipsEndpoints, pkg/config/setup/config.go).
        if (settings.Bool("fips.enabled", false))
        {
            return null;
        }

        (SettingValue Value, string Name)? found = scheme == "https"
            ? Pick(settings, "DD_PROXY_HTTPS", HostKeys.HttpsProxyVariables, "proxy.https")
            : Pick(settings, "DD_PROXY_HTTP", HostKeys.HttpProxyVariables, "proxy.http");
        if (found is not var (value, name))
        {
            return null;
        }

        if (IntakeHosts.Parse(value.Text ?? string.Empty) is not (string host, var port))
        {
            throw new AgentConfigurationException(value.Origin, name, "must be a proxy URL such as http://proxy.example:3128");
        }

        int proxyPort = port ?? (value.Text!.TrimStart().StartsWith("socks5", StringComparison.OrdinalIgnoreCase) ? 1080 : 80);
        // The agent speaks to the proxy as its URL says (http:// CONNECT, https://, socks5://); one without a scheme is http (Go's httpproxy).
        string text = value.Text!.Trim();
        string urlScheme = text.Contains("://", StringComparison.Ordinal) ? text[..text.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant() : "http";
        return new ProxySettings(scheme, host, proxyPort, name, ReadNoProxy(settings), settings.Bool("no_proxy_nonexact_match", false)) { UrlScheme = urlScheme };
    }

    /// <summary>
    /// What sends this destination past the proxy (a <c>no_proxy</c> entry, or why), as the agent decides it
    /// (<see cref="NoProxyRule"/>); null when the proxy carries it.
    /// </summary>
    /// <param name="destination">The destination.</param>
    /// <param name="sent">Its host as the agent sends to it (<see cref="FullyQualifiedNames.AsSent"/>).</param>
    public string? Direct(AgentDestination destination, string sent) =>
        NoProxyRule.Direct(NoProxy, NonExactMatch, Scheme, sent, destination.Port.First);

    // A no_proxy entry that names the host without the dot the agent sends it with: said, since the operator meant it to go direct.
    private static void Dotted(ProxySettings proxy, AgentDestination destination, string sent, PlanNotes notes)
    {
        if (sent != destination.HostName
            && NoProxyRule.Direct(proxy.NoProxy, proxy.NonExactMatch, proxy.Scheme, destination.HostName, destination.Port.First) is string entry)
        {
            notes.Add($"no_proxy: {entry} does not match {sent}, the name the agent sends {destination.Feature} to (agents from 7.67 write the site's hosts " +
                "fully qualified, with a trailing dot): it goes through the proxy, as planned here; add the name with its dot to no_proxy to send it directly, " +
                "or set convert_dd_site_fqdn.enabled: false (Agent 7.72 and later).");
        }
    }

    /// <summary>The scheme of the proxy's own URL, which the agent speaks to it: <c>http</c>, <c>https</c> or <c>socks5</c>.</summary>
    public string UrlScheme { get; init; } = "http";

    public AgentDestination ToDestination() => new AgentDestination("proxy", Host, new PortRange(TransportProtocol.Tcp, Port), DestinationCoverage.Proxy, null, null,
        Scheme == "https" ? $"the agent's HTTPS traffic, through the proxy ({SetBy})" : $"the agent's plain HTTP traffic, through the proxy ({SetBy})")
    {
        Scheme = UrlScheme,
    };

    private static (SettingValue, string)? Pick(AgentSettings settings, string ddName, IReadOnlyList<string> standard, string key)
    {
        if (settings.Variable(ddName) is SettingValue dd)
        {
            return (dd, ddName);
        }

        foreach (string name in standard)
        {
            if (settings.Variable(name) is SettingValue value)
            {
                return (value, name);
            }
        }

        return settings.Find(key) is FoundSetting found && found.Name == key ? (found.Value, key) : null;
    }

    private static IReadOnlyList<string> ReadNoProxy(AgentSettings settings)
    {
        if (settings.Variable("DD_PROXY_NO_PROXY") is { Text: string dd })
        {
            return dd.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        SettingValue? standard = settings.Variable("NO_PROXY") ?? settings.Variable("no_proxy");
        return standard is { Text: string text }
            ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : settings.List("proxy.no_proxy");
    }
}
