using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The proxy the agent sends its HTTPS traffic through, as the agent picks it: <c>DD_PROXY_HTTPS</c>, then the standard
/// <c>HTTPS_PROXY</c>/<c>https_proxy</c>, then <c>proxy.https</c> in the file; hosts in <c>DD_PROXY_NO_PROXY</c> (spaces),
/// else <c>NO_PROXY</c>/<c>no_proxy</c> (commas), else <c>proxy.no_proxy</c>, are reached directly (exactly, or by domain
/// suffix with <c>no_proxy_nonexact_match</c>). Source: Datadog's "Agent Proxy Configuration" guide (environment variables
/// take precedence over datadog.yaml, and DD_PROXY_* over the standard variables). Credentials are dropped on reading.
/// </summary>
internal sealed record ProxySettings(string Host, int Port, string SetBy, IReadOnlyList<string> NoProxy, bool NonExactMatch)
{
    public static ProxySettings? Resolve(AgentSettings settings, List<string> notes)
    {
        (SettingValue Value, string Name)? https = Pick(settings, "DD_PROXY_HTTPS", ["HTTPS_PROXY", "https_proxy"], "proxy.https");
        if (https is null)
        {
            if (Pick(settings, "DD_PROXY_HTTP", ["HTTP_PROXY", "http_proxy"], "proxy.http") is var (_, httpName))
            {
                notes.Add($"{httpName} is set but the agent's traffic is HTTPS, which only an HTTPS proxy setting (proxy.https, DD_PROXY_HTTPS, HTTPS_PROXY) carries: it goes direct.");
            }

            return null;
        }

        (SettingValue value, string name) = https.Value;
        if (IntakeHosts.Parse(value.Text ?? string.Empty) is not (string host, var port))
        {
            throw new AgentConfigurationException(value.Origin, name, "must be a proxy URL such as http://proxy.example:3128");
        }

        int proxyPort = port ?? (value.Text!.TrimStart().StartsWith("socks5", StringComparison.OrdinalIgnoreCase) ? 1080 : 80);
        return new ProxySettings(host, proxyPort, name, ReadNoProxy(settings), settings.Bool("no_proxy_nonexact_match", false));
    }

    public bool Bypasses(string host) => NoProxy.Any(entry =>
        string.Equals(entry, host, StringComparison.OrdinalIgnoreCase)
        || (NonExactMatch && host.EndsWith(entry.StartsWith('.') ? entry : "." + entry, StringComparison.OrdinalIgnoreCase)));

    public AgentDestination ToDestination() => new("proxy", Host, new PortRange(TransportProtocol.Tcp, Port), DestinationCoverage.Proxy, null, null,
        $"the agent's HTTPS traffic, through the proxy ({SetBy})");

    private static (SettingValue, string)? Pick(AgentSettings settings, string ddName, string[] standard, string key)
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
