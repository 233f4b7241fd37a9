using FirewallRules.Intakes;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Dual shipping (Datadog's "Dual Shipping" guide): <c>additional_endpoints</c>, <c>apm_config.additional_endpoints</c>
/// and the other keys of <see cref="EndpointKeys"/> map URLs to API keys; <c>logs_config.additional_endpoints</c> and
/// the pipelines built like it list <c>{api_key, Host, Port}</c>. From the environment the same shapes come as JSON, which YAML reads. Only the hosts
/// are kept: the keys are secrets.
/// </summary>
internal static class AdditionalEndpoints
{
    /// <summary>The hosts of a URL-to-keys map, each with the port its URL names (443 for <c>https://</c> without one).</summary>
    public static IEnumerable<(string Host, int? Port, string Scheme)> Urls(AgentSettings settings, string key)
    {
        string expected = $"a map of URLs to API keys, such as {{\"https://{IntakeCatalog.App.Host(Site.EU1)}\": [API_KEY]}}";
        if (Node(settings, key, expected) is not (YamlNode node, FoundSetting found))
        {
            return [];
        }

        if (node is not YamlMappingNode map)
        {
            throw AgentSettings.WrongType(found.Value, found.Name, expected);
        }

        // A merge key (<<: *endpoints) brings the endpoints of another map, as the agent reads it.
        string file = found.Value.Origin.File;
        return YamlSettings.Entries(map, file)
            .Select(entry => IntakeHosts.Parse(entry.Name) is not (string host, var port)
                ? throw new AgentConfigurationException(Origin(entry.Value, found), found.Name, "holds an endpoint that is not a URL")
                : HostKeys.IsHost(host) ? (host, port, IntakeHosts.SchemeOf(entry.Name))
                : throw new AgentConfigurationException(Origin(entry.Value, found), found.Name, $"holds an endpoint whose host is not {HostKeys.Rule}"))
            .ToArray();
    }

    /// <summary>
    /// The domains of a domain-to-keys map (<c>evp_proxy_config.additional_endpoints</c>): DNS names alone, no scheme, port or
    /// path. A URL key, the form Datadog's dual-shipping page writes, is not planned: the trace agent puts the subdomain before
    /// the key as written (<c>evpProxyEndpointsFromConfig</c> and <c>RoundTrip</c>, pkg/trace/api/evp_proxy.go), a host no
    /// request reaches; a note in <paramref name="notes"/> says so.
    /// </summary>
    public static IEnumerable<string> Domains(AgentSettings settings, string key, PlanNotes notes)
    {
        // The trace agent reads it with GetStringMapStringSlice (comp/trace/config/setup.go): a map, or a string holding one as JSON.
        const string Expected = "a map of domains to API keys, such as {\"datadoghq.eu\": [API_KEY]}";
        if (Node(settings, key, Expected) is not (YamlNode node, FoundSetting found))
        {
            return [];
        }

        if (node is not YamlMappingNode map)
        {
            throw AgentSettings.WrongType(found.Value, found.Name, Expected);
        }

        string file = found.Value.Origin.File;
        var domains = new List<string>();
        foreach ((string name, YamlNode value) in YamlSettings.Entries(map, file))
        {
            if (Names.NameRules.IsDnsName(name.Trim()))
            {
                domains.Add(name.Trim().TrimEnd('.'));
            }
            else if (UrlKey(name) is string shown)
            {
                notes.Add($"{found.Name}: {shown} is a URL, as Datadog's dual-shipping page writes it, but the trace agent puts the subdomain before each " +
                    $"key as written (evpProxyEndpointsFromConfig, pkg/trace/api/evp_proxy.go): it sends that copy to '{IntakeCatalog.LlmObservability.Host(shown)}', a host no " +
                    "request reaches, so the copy fails and is not planned. Write the domain alone (such as datadoghq.eu) for it to be sent.");
            }
            else
            {
                throw new AgentConfigurationException(Origin(value, found), found.Name,
                    "holds an endpoint that is not a domain: the trace agent sends to <subdomain>.<endpoint> (pkg/trace/api/evp_proxy.go), " +
                    "so write the site's domain alone, such as datadoghq.eu, not a URL");
            }
        }

        return domains;
    }

    // An http(s) URL whose host is a DNS name, shown as scheme://host[:port] (no path, nothing else of the user's text); null otherwise.
    private static string? UrlKey(string text)
    {
        string value = text.Trim();
        bool url = value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        return url && IntakeHosts.Parse(value) is (string host, var port) && Names.NameRules.IsDnsName(host)
            ? $"{IntakeHosts.SchemeOf(value)}://{host.ToLowerInvariant()}{(port is 443 or 80 ? string.Empty : $":{port}")}"
            : null;
    }

    /// <summary>
    /// The hosts and ports of a list of <c>{api_key, Host, Port}</c> endpoints: <c>logs_config.additional_endpoints</c> and
    /// every other pipeline the agent sets up like the logs one (<c>bindEnvAndSetLogsConfigKeys</c>: Database Monitoring,
    /// network devices, container images, SBOM, compliance, runtime security...); and each one's own <c>use_ssl</c> when it
    /// has one (null otherwise), which <see cref="Scheme"/> reads.
    /// </summary>
    public static IEnumerable<(string Host, int? Port, bool? UseSsl)> Hosts(AgentSettings settings, string key)
    {
        const string Expected = "a list of {Host, Port} endpoints, such as [{api_key: API_KEY, Host: HOST, Port: 443}]";
        if (Node(settings, key, Expected) is not (YamlNode node, FoundSetting found))
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            throw AgentSettings.WrongType(found.Value, found.Name, Expected);
        }

        return list.Children.OfType<YamlMappingNode>().Select(endpoint =>
        {
            string? host = Field(endpoint, "host", found.Value.Origin.File);
            string? port = Field(endpoint, "port", found.Value.Origin.File);
            string? useSsl = Field(endpoint, "use_ssl", found.Value.Origin.File);
            SettingOrigin origin = Origin(endpoint, found);
            return host is null
                ? throw new AgentConfigurationException(origin, found.Name, "an endpoint has no Host")
                : (HostOf(host, origin, found.Name), port is null ? null : PortOf(port, origin, found.Name), useSsl is null ? (bool?)null : BoolOf(useSsl, origin, found.Name));
        }).ToArray();
    }

    /// <summary>
    /// The scheme an extra endpoint of a pipeline sent over HTTP gets: its own <c>use_ssl</c> from Agent 6.51/7.51, else the
    /// main endpoint's (<paramref name="mainScheme"/>: <c>http</c> with <c>logs_no_ssl</c> or an <c>http://</c> <c>logs_dd_url</c>).
    /// </summary>
    /// <remarks>
    /// Source: DataDog/datadog-agent <c>comp/logs/agent/config/endpoints.go</c>, <c>loadHTTPAdditionalEndpoints</c> (called by
    /// <c>BuildHTTPEndpointsWithConfig</c> in <c>config.go</c>): <c>if e.UseSSL != nil { newE.useSSL = *e.UseSSL } else {
    /// newE.useSSL = main.useSSL }</c>, <c>use_ssl</c> being the endpoint's own field (<c>unmarshalEndpoint</c>); CHANGELOG.rst 7.51.0,
    /// "Fixed Logs Agent additional endpoints to respect their logs_no_ssl setting". Before 7.51 every extra endpoint took the main
    /// endpoint's (<c>additionals[i].UseSSL = main.UseSSL</c>, <c>BuildHTTPEndpointsWithConfig</c>). <c>pkg/logs/client/http/destination.go</c>,
    /// <c>buildURL</c>: <c>http</c> or <c>https</c> from it, the endpoint's Port when set, else the scheme's own (80, 443).
    /// </remarks>
    public static string Scheme(bool? useSsl, string mainScheme, Version agent) =>
        useSsl is bool own && AgentVersionRules.EndpointUseSsl.AppliesTo(agent) ? (own ? "https" : "http") : mainScheme;

    // use_ssl: a boolean, as the agent's configuration reads one (true/false in any case); anything else is refused without quoting it.
    private static bool BoolOf(string text, SettingOrigin origin, string name) =>
        bool.TryParse(text.Trim(), out bool value) ? value : throw new AgentConfigurationException(origin, name, "an endpoint's use_ssl must be true or false");

    private static (YamlNode, FoundSetting)? Node(AgentSettings settings, string key, string expected)
    {
        if (settings.Find(key) is not FoundSetting found)
        {
            return null;
        }

        if (found.Value.Node is YamlNode node)
        {
            return (node, found);
        }

        // From the environment: JSON, which is YAML. A failure is placed at the variable, and never quotes it (it holds API keys).
        YamlMappingNode? wrapper;
        try
        {
            wrapper = YamlSettings.Load("value: " + found.Value.Text, found.Value.Origin.File);
        }
        catch (AgentConfigurationException)
        {
            throw AgentSettings.WrongType(found.Value with { Text = null }, found.Name, AsText(found, key, expected));
        }

        return wrapper?.Children.Values.FirstOrDefault() is YamlNode parsed and not YamlScalarNode
            ? (parsed, found)
            : throw AgentSettings.WrongType(found.Value with { Text = null }, found.Name, AsText(found, key, expected));
    }

    // A string is read as JSON (the agent's configuration library parses a string where it wants a map or a list), else it is refused
    // naming the form: from datadog.yaml as YAML or JSON text, from a variable as JSON.
    private static string AsText(FoundSetting found, string key, string expected) =>
        found.Name == key ? $"{expected}, in YAML or as JSON text (the agent reads no endpoint from other text)" : $"JSON: {expected}";

    // Where a node of the value is: its own line in a YAML file; the variable's line for JSON from the environment (its
    // text is read on its own, whose lines are not the file's).
    private static SettingOrigin Origin(YamlNode node, FoundSetting found) =>
        found.Value.Node is null ? found.Value.Origin : YamlSettings.Origin(node, found.Value.Origin.File);

    // A Host is user text that reaches rules and allow-lists: a host name or address alone (no scheme, port, path, space or
    // control character), a DNS name an allow-list can hold or an address, else refused without quoting it.
    private static string HostOf(string text, SettingOrigin origin, string name) =>
        IntakeHosts.Parse(text) is not (string host, null) || !string.Equals(host, text.Trim(), StringComparison.OrdinalIgnoreCase)
            ? throw new AgentConfigurationException(origin, name, "an endpoint's Host must be a host name alone (HOST, with its port in Port)")
            : HostKeys.IsHost(host) ? host : throw new AgentConfigurationException(origin, name, $"an endpoint's Host must be {HostKeys.Rule}");

    private static int? PortOf(string text, SettingOrigin origin, string name) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535
            ? port
            : throw new AgentConfigurationException(origin, name, "an endpoint's Port must be a port number from 1 to 65535");

    private static string? Field(YamlMappingNode map, string name, string file) =>
        YamlSettings.Child(map, name, file, StringComparison.OrdinalIgnoreCase) is YamlScalarNode { Value: string value } ? value : null;
}
