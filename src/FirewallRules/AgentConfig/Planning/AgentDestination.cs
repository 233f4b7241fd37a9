using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>A host the agent will contact, the feature that needs it, and how a firewall lets it through.</summary>
/// <param name="Feature">The feature, e.g. <c>metrics</c>, <c>logs</c>, <c>apm</c>, <c>remote-configuration</c>, <c>proxy</c>.</param>
/// <param name="HostName">The host name (or address) the agent connects to; for a proxy, without its credentials.</param>
/// <param name="Port">Where it connects.</param>
/// <param name="Coverage">How a firewall allows it.</param>
/// <param name="Section">With <see cref="DestinationCoverage.PublishedRanges"/>: the ip-ranges section that holds its addresses.</param>
/// <param name="Site">With <see cref="DestinationCoverage.PublishedRanges"/>: the site whose document holds them (dual shipping may name another site).</param>
/// <param name="Purpose">What the agent sends there, in a few words.</param>
/// <remarks>Immutable.</remarks>
public sealed record AgentDestination(
    string Feature, string HostName, PortRange Port, DestinationCoverage Coverage, Section? Section, Site? Site, string Purpose)
{
    /// <summary>
    /// The scheme of the URL the agent's HTTP client sends to (<c>https</c>, <c>http</c>), which picks its proxy; null for a
    /// raw connection (logs over TCP, NTP) that no HTTP proxy carries.
    /// </summary>
    internal string? Scheme { get; init; } = "https";

    /// <summary>
    /// With a proxy set: what sends this destination past it (the <c>no_proxy</c> entry that matches it, <see cref="NoProxyRule"/>);
    /// null when the proxy carries it, or when no proxy is set. The agent's own firewall allows it, not the proxy.
    /// </summary>
    internal string? PastProxy { get; init; }

    /// <summary>
    /// The name a name-aware output allows in place of <see cref="HostName"/>: <c>*-app.agent.datadoghq.com</c> for the versioned
    /// metrics and flare hosts when the agent's version was not given, so that any version (and every upgrade) passes; null: the host name.
    /// </summary>
    internal string? AnyVersionName { get; init; }

    /// <summary>The address the host is written as (a relay given by its address, <c>[fd00::7]</c> unbracketed), or null for a name.</summary>
    internal IPAddress? Address => IPAddress.TryParse(HostName.Trim('[', ']'), out IPAddress? address) ? address : null;

    /// <summary>
    /// How a firewall allows this destination when no published range covers it, from the row's own data: a relay given by its
    /// address by that address (for the Cluster Agent's pods when it is the Cluster Agent's); by name, through the proxy or by
    /// PrivateLink; by name or PrivateLink when no_proxy sends it past the proxy; by name or address for a raw TCP or UDP
    /// connection (<see cref="Scheme"/> null: DogStatsD forwarding, logs over TCP), which no HTTP proxy carries.
    /// </summary>
    internal string AllowBy => Address is not null
        ? (ClusterAgentFeatures.Has(Feature) ? "allow its address for the Cluster Agent's pods"
            : "allowed by its address, which the formats that allow addresses render")
        : PastProxy is not null ? "allow it by name or by PrivateLink"
        : Scheme is null ? $"allow it by name or address (a raw {Port.Protocol.ToString().ToUpperInvariant()} connection, which no HTTP proxy carries)"
        : "allow it by name, through the proxy, or by PrivateLink";
}
