using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Verification;

/// <summary>
/// A host name the Datadog Agent sends to, the section of the ip-ranges document its addresses are published
/// in, and the port it connects to.
/// </summary>
/// <param name="HostName">The fully qualified name, e.g. <c>trace.agent.datadoghq.com</c>.</param>
/// <param name="Section">The section whose prefixes should hold the name's public addresses.</param>
/// <param name="Port">Where the Agent connects: 443/tcp, or 10516/tcp for logs over TCP.</param>
/// <param name="Purpose">What the Agent sends there, in a few words.</param>
/// <remarks>Immutable. The table of every endpoint is <see cref="AgentEndpoints"/>.</remarks>
public sealed record AgentEndpoint(string HostName, Section Section, PortRange Port, string Purpose)
{
    /// <inheritdoc/>
    public override string ToString() => $"{HostName} ({Port}, {Sections.GetName(Section)})";
}
