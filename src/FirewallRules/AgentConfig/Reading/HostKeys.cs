using System.Net;
using FirewallRules.Advice;
using FirewallRules.Cidr;

namespace FirewallRules.AgentConfig;

/// <summary>How a key carries the hosts the agent connects to.</summary>
internal enum HostShape
{
    /// <summary>One URL or <c>HOST:PORT</c> (<c>dd_url</c>, <c>apm_config.apm_dd_url</c>, <c>logs_config.logs_dd_url</c>...).</summary>
    Url,

    /// <summary>A map whose keys are URLs (<c>additional_endpoints</c>...), <see cref="AdditionalEndpoints.Urls"/>.</summary>
    UrlMap,

    /// <summary>A list of <c>{Host, Port}</c> endpoints (<c>logs_config.additional_endpoints</c>...), <see cref="AdditionalEndpoints.Hosts"/>.</summary>
    HostList,

    /// <summary>A map whose keys are domains (<c>evp_proxy_config.additional_endpoints</c>), <see cref="AdditionalEndpoints.Domains"/>.</summary>
    DomainMap,

    /// <summary>A host name or address alone (<c>statsd_forward_host</c>).</summary>
    Host,

    /// <summary>A domain the agent puts a subdomain before (<c>evp_proxy_config.dd_url</c>).</summary>
    Domain,
}

/// <summary>
/// Every key the planners read a host from, with its shape; <see cref="Check"/> reads each one that is set, whatever feature it
/// serves, so a host no allow-list can hold (<c>re_lay.internal</c>) is refused when the configuration is read, one line naming
/// the key, rather than when an allow-list is written.
/// </summary>
internal static class HostKeys
{
    // The keys the planners read in place; the dual-shipping keys, the features' URL keys, the event platform pipelines' and the
    // Observability Pipelines Worker's come from their own lists.
    private static readonly (string Key, HostShape Shape)[] InPlace =
    [
        ("dd_url", HostShape.Url), ("additional_endpoints", HostShape.UrlMap), ("apm_config.apm_dd_url", HostShape.Url),
        ("apm_config.additional_endpoints", HostShape.UrlMap), ("process_config.process_dd_url", HostShape.Url),
        ("logs_config.logs_dd_url", HostShape.Url), ("logs_config.dd_url", HostShape.Url), ("logs_config.additional_endpoints", HostShape.HostList),
        ("external_metrics_provider.endpoint", HostShape.Url), ("evp_proxy_config.dd_url", HostShape.Domain), ("statsd_forward_host", HostShape.Host),
        ("orchestrator_explorer.orchestrator_dd_url", HostShape.Url), ("multi_region_failover.dd_url", HostShape.Url),
        ("multi_region_failover.site", HostShape.Domain), ("logs_config.dd_url_443", HostShape.Host),
        ("logs_config.socks5_proxy_address", HostShape.Url), ("proxy.http", HostShape.Url), ("proxy.https", HostShape.Url),
    ];

    /// <summary>The keys and their shapes.</summary>
    public static IReadOnlyList<(string Key, HostShape Shape)> All { get; } =
    [
        .. InPlace,
        .. EndpointKeys.All.Select(k => (k.Key, k.Shape switch
        {
            EndpointShape.Urls => HostShape.UrlMap,
            EndpointShape.Hosts => HostShape.HostList,
            _ => HostShape.DomainMap,
        })),
        .. FeatureMap.Rows.SelectMany(r => r.UrlKeys).Distinct().Select(k => (k, HostShape.Url)),
        .. PipelineEndpoint.Prefixes.Keys.SelectMany(p => new[] { (p + "logs_dd_url", HostShape.Url), (p + "dd_url", HostShape.Url) }),
        .. ObservabilityPipelines.Keys.Where(k => k.EndsWith(".url", StringComparison.Ordinal)).Select(k => (k, HostShape.Url)),
    ];

    /// <summary>
    /// The standard variables the agent takes an HTTPS proxy from when <c>DD_PROXY_HTTPS</c> is not set, in its order
    /// (<see cref="ProxySettings"/>); the environment binds <c>DD_PROXY_HTTPS</c> to <c>proxy.https</c>, read with the key.
    /// </summary>
    public static IReadOnlyList<string> HttpsProxyVariables { get; } = ["HTTPS_PROXY", "https_proxy"];

    /// <summary>The standard variables the agent takes a plain HTTP proxy from when <c>DD_PROXY_HTTP</c> is not set, in its order.</summary>
    public static IReadOnlyList<string> HttpProxyVariables { get; } = ["HTTP_PROXY", "http_proxy"];

    /// <summary>What a host must be, for the messages.</summary>
    public const string Rule = "a DNS name (letters, digits, '-' and '.') or an address";

    /// <summary>
    /// Whether <paramref name="host"/> is an address or a DNS name an allow-list can hold. An IPv4 address must be in dotted-decimal
    /// form (<c>10.1</c> or <c>167772161</c> is 10.0.0.1 to .NET and a name to look up to the agent's Go resolver) and an IPv6 one
    /// without a zone (<c>fe80::1%eth0</c>, which no firewall rule holds).
    /// </summary>
    public static bool IsHost(string host) => System.Net.IPAddress.TryParse(host.Trim('[', ']'), out System.Net.IPAddress? address)
        ? address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address.ToString() == host
            : address.ScopeId == 0 && !host.Contains('%', StringComparison.Ordinal)
        : Names.NameRules.IsDnsName(host);

    /// <summary>
    /// Reads every key of <see cref="All"/> that is set and refuses a host that is not <see cref="IsHost"/>, or that is special
    /// (<see cref="RefuseSpecial"/>) and not among <paramref name="specialRelays"/>. Returns the destination hosts the keys name
    /// as the agent sends to them (a URL's or endpoint's host, a host alone): not the proxies, nor a domain the agent builds names
    /// under (<c>evp_proxy_config.dd_url</c>, <c>multi_region_failover.site</c>).
    /// </summary>
    /// <exception cref="AgentConfigurationException">One line naming the key, where it is, and what its host must be.</exception>
    public static IReadOnlyList<string> Check(AgentSettings settings, IReadOnlyCollection<string> specialRelays)
    {
        var written = new List<string>();
        foreach ((string key, HostShape shape) in All)
        {
            if (settings.Find(key) is not FoundSetting found)
            {
                continue;
            }

            bool proxy = Proxies.Contains(key);
            foreach (string host in Hosts(settings, key, shape, found))
            {
                RefuseSpecial(found, host, proxy, specialRelays);
                if (!proxy && shape != HostShape.Domain)
                {
                    written.Add(host);
                }
            }
        }

        CheckProxyVariables(settings, specialRelays);
        return written;
    }

    // The standard proxy variables (HTTPS_PROXY, https_proxy, HTTP_PROXY, http_proxy), which the agent honours as it does
    // DD_PROXY_HTTPS and proxy.https (ProxySettings): each one set is a proxy's URL, checked and refused as those are.
    private static void CheckProxyVariables(AgentSettings settings, IReadOnlyCollection<string> specialRelays)
    {
        foreach (string name in HttpsProxyVariables.Concat(HttpProxyVariables))
        {
            if (settings.Variable(name) is not SettingValue value)
            {
                continue;
            }

            var found = new FoundSetting(value, value.Label ?? name);
            if (CheckText(found, HostShape.Url) is string host)
            {
                RefuseSpecial(found, host, proxy: true, specialRelays);
            }
        }
    }

    // The keys that name the agent's proxy: a proxy on the agent's own host (127.0.0.1:3128, a local forwarder) is one.
    private static readonly string[] Proxies = ["proxy.http", "proxy.https", "logs_config.socks5_proxy_address"];

    // Every host a key names, each checked to be a host on the way.
    private static IEnumerable<string> Hosts(AgentSettings settings, string key, HostShape shape, FoundSetting found) => shape switch
    {
        HostShape.UrlMap => [.. AdditionalEndpoints.Urls(settings, key).Select(url => url.Host)],
        HostShape.HostList => [.. AdditionalEndpoints.Hosts(settings, key).Select(endpoint => endpoint.Host)],
        HostShape.DomainMap => [.. AdditionalEndpoints.Domains(settings, key, new PlanNotes())],
        HostShape.Host when found.Value.Text is { Length: > 0 } => [Host(found)],
        HostShape.Url or HostShape.Domain when CheckText(found, shape) is string host => [host],
        _ => [],
    };

    /// <summary>
    /// Refuses a special-purpose host (<see cref="SpecialAddresses"/>: loopback, unspecified, link-local, broadcast, multicast,
    /// documentation, benchmarking, IPv4-mapped or translated IPv6, <c>localhost</c>, a metadata service's name), which is never
    /// where a relay lives and would open the proxy's or the host's own services in every allow-list: unless it is among
    /// <paramref name="specialRelays"/>, or a loopback proxy. A metadata service, an IPv4-mapped address and an IPv6 address that
    /// stands for a special IPv4 address (NAT64, 6to4, IPv4-compatible: <c>64:ff9b::a9fe:a9fe</c> is 169.254.169.254) are refused
    /// whatever is allowed (the second and third written as their IPv4 address).
    /// </summary>
    private static void RefuseSpecial(FoundSetting found, string host, bool proxy, IReadOnlyCollection<string> specialRelays)
    {
        string bare = host.Trim('[', ']');
        IPAddress? address = IPAddress.TryParse(bare, out IPAddress? parsed) ? parsed : null;
        SpecialAddresses.Entry? special = address is null ? SpecialAddresses.FindName(bare) : SpecialAddresses.Find(address);
        if (special is null || (proxy && special.IsLoopback && special.Embedded is null))
        {
            return;
        }

        string shown = address?.ToString() ?? bare.TrimEnd('.').ToLowerInvariant();
        if (address is { IsIPv4MappedToIPv6: true })
        {
            throw new AgentConfigurationException(found.Value.Origin, found.Name,
                $"{shown} is an IPv4-mapped IPv6 address, which firewalls and proxies read apart from its IPv4 address: write it as {address.MapToIPv4()}");
        }

        if (special.IsMetadataService)
        {
            throw new AgentConfigurationException(found.Value.Origin, found.Name,
                $"{shown} is a cloud's instance metadata service, which no allow-list may open: it hands out the host's credentials");
        }

        if (special.Embedded is { } embedded)
        {
            // Named or not: the option allows a special host as written, and the IPv6 form of a loopback or link-local address is
            // where a gateway or relay goes for it, never the agent's host.
            throw new AgentConfigurationException(found.Value.Origin, found.Name,
                $"{shown} is special-purpose ({special.Name}), never a relay: a gateway or relay would reach {embedded} for every client of the rules",
                new SettingAdvice($"if {embedded} is meant, write it as {embedded} and name it with {{0}}",
                    SettingNames.Of<AgentConfigurationSources>(nameof(AgentConfigurationSources.SpecialRelays))));
        }

        if (!specialRelays.Any(named => Canonical(named) == shown))
        {
            throw new AgentConfigurationException(found.Value.Origin, found.Name,
                $"{shown} is special-purpose ({special.Name}), never a relay: allowing it would open that address for every client of the rules",
                new SettingAdvice("if it is meant, name it with {0}", SettingNames.Of<AgentConfigurationSources>(nameof(AgentConfigurationSources.SpecialRelays))));
        }
    }

    // A host named with --allow-special-relay as the refusal shows it: an address in its shortest form (0:0:0:0:0:0:0:1 is ::1,
    // with or without brackets), a name in lower case without its final dot.
    private static string Canonical(string named)
    {
        string bare = named.Trim().Trim('[', ']');
        return IPAddress.TryParse(bare, out IPAddress? address) ? address.ToString() : bare.TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>The host of a key that holds a host name or address alone, trimmed.</summary>
    /// <exception cref="AgentConfigurationException">It is not one: one line naming the key.</exception>
    public static string Host(FoundSetting found)
    {
        string host = found.Value.Text?.Trim() ?? string.Empty;
        return IntakeHosts.Parse($"udp://{host}:1") is (string parsed, _) && !host.Contains('/', StringComparison.Ordinal) && IsHost(parsed)
            ? parsed
            : throw AgentSettings.WrongType(found.Value, found.Name, $"a host alone (no scheme, port or path): {Rule}");
    }

    // A URL or HOST:PORT whose host is not one an allow-list can hold; a value that is no URL at all is left to the planner that
    // reads it, which refuses it with the form it expects when its feature is on.
    private static string? CheckText(FoundSetting found, HostShape shape)
    {
        if (found.Value.Text?.Trim() is not { Length: > 0 } text)
        {
            return null;
        }

        string? host = shape == HostShape.Domain ? text.TrimEnd('.') : IntakeHosts.Parse(text)?.Host;
        bool shortAddress = shape != HostShape.Domain && IntakeHosts.IsShortAddress(text);
        if (shortAddress || (host is not null && !(shape == HostShape.Domain ? Names.NameRules.IsDnsName(host) : IsHost(host))))
        {
            throw AgentSettings.WrongType(found.Value, found.Name, shape == HostShape.Domain
                ? "a domain such as datadoghq.eu: letters, digits, '-' and '.'"
                : shortAddress ? $"a URL or HOST:PORT, {IntakeHosts.FullAddress}" : $"a URL or HOST:PORT, its host {Rule}");
        }

        return host;
    }
}
