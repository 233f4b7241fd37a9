using System.Text.RegularExpressions;
using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The host names as the agent sends to them: from Agent 7.67 (<see cref="AgentDefaults.FullyQualifiedSite"/>) every host it builds
/// from a site of a Datadog domain is fully qualified, with a trailing dot (<c>trace.agent.datadoghq.eu.</c>, the versioned
/// <c>7-81-1-app.agent.datadoghq.eu.</c>); a site written with its dot (<c>site: datadoghq.eu.</c>) makes them so for any version.
/// A host a key names (<c>dd_url</c>, a feature's <c>*_dd_url</c>, additional endpoints) is sent as written.
/// </summary>
/// <remarks>
/// Source: <c>BuildURLWithPrefix</c> (DataDog/datadog-agent, pkg/config/utils/endpoints.go: the site gets its dot when
/// <c>convert_dd_site_fqdn.enabled</c> and it ends with <c>datadoghq.com</c>, <c>datadoghq.eu</c>, <c>datad0g.com</c>,
/// <c>datad0g.eu</c> or <c>ddog-gov.com</c>), which <c>GetMainEndpoint</c> calls for every intake a key does not move, and
/// <c>AddAgentVersionToDomain</c>, which keeps the dot of <c>app.&lt;site&gt;.</c>. What it changes here: a <c>no_proxy</c> entry
/// is compared with the host as sent (<see cref="NoProxyRule"/>), and neither the exact comparison nor golang.org/x/net's domain
/// matcher drops the dot, so an entry naming the plain host sends nothing past the proxy. Squid's <c>dstdomain</c> matches both forms.
/// </remarks>
internal sealed partial class FullyQualifiedNames
{
    private readonly bool _on;
    private readonly HashSet<string> _written;

    private FullyQualifiedNames(bool on, IEnumerable<string> written) =>
        (_on, _written) = (on, new HashSet<string>(written.Select(Bare), StringComparer.Ordinal));

    /// <summary>The names of this configuration: whether its agent qualifies the site's hosts, and the hosts its keys name (<see cref="HostKeys.Check"/>).</summary>
    public static FullyQualifiedNames Read(AgentSettings settings, AgentDefaults defaults, IEnumerable<string> written) =>
        new(defaults.FullyQualifiedSite(() => !settings.Bool("convert_dd_site_fqdn.enabled", true)) || settings.Text("site")?.EndsWith('.') == true, written);

    /// <summary>The host as the agent sends to it: <paramref name="host"/>, or it with a trailing dot.</summary>
    public string AsSent(string host) =>
        _on && !host.EndsWith('.') && DatadogDomain().IsMatch(host) && !IsWritten(Bare(host)) ? host + "." : host;

    // A host a key names, or the versioned host the forwarder makes of a written app.<site> (7-81-1-app.agent.<site>, its flare host).
    private bool IsWritten(string host) =>
        _written.Contains(host) || (IntakeCatalog.VersionedDomain(host) is string domain && _written.Contains(IntakeCatalog.App.Host(domain)));

    private static string Bare(string host) => host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    [GeneratedRegex(@"(?:^|\.)(?:datad(?:oghq|0g)\.(?:com|eu)|ddog-gov\.com)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DatadogDomain();
}
