using System.Net;

namespace FirewallRules.Verification;

/// <summary>What <see cref="AgentEndpointVerifier"/> found for one address of one endpoint (or for a name that did not resolve).</summary>
/// <param name="Endpoint">The endpoint checked.</param>
/// <param name="Address">One of its addresses; null when the name did not resolve.</param>
/// <param name="DnsProblem">Why the name did not resolve; null when it did.</param>
/// <param name="Published">Whether the address lies inside the endpoint's section's published prefixes.</param>
/// <param name="AddressKind">Public, private (a PrivateLink or Private Service Connect endpoint), or neither.</param>
/// <param name="Connect">What a connection attempt from this host got; null when none was made.</param>
internal sealed record EndpointFinding(
    AgentEndpoint Endpoint, IPAddress? Address, string? DnsProblem, bool Published, EndpointAddressKind AddressKind, ConnectOutcome? Connect)
{
    /// <summary>Why the Agent cannot use this address, in a few words; null when it can.</summary>
    public string? Problem => this switch
    {
        { DnsProblem: { } dns } => dns,
        { AddressKind: EndpointAddressKind.Public, Published: false } => "outside the published ranges",
        { AddressKind: EndpointAddressKind.Reserved } => "not a routable address",
        { Connect: ConnectOutcome.NoAnswer } => "no answer (dropped by a firewall)",
        { Connect: ConnectOutcome.Refused } => "refused (a reject rule?)",
        { Connect: ConnectOutcome.NoRoute } => "no route",
        { Connect: ConnectOutcome.Denied } => "denied by a local policy",
        _ => null,
    };
}
