namespace FirewallRules.Rules;

/// <summary>
/// A host a name-aware output (a proxy's or an appliance's allow-list) allows by name, on one port: what an agent's plan
/// reaches (<see cref="RuleSet.Named"/>), published in a section or by name only.
/// </summary>
/// <param name="Host">The host name as the agent contacts it; user text (a <c>dd_url</c>), checked by whoever writes it.</param>
/// <param name="Port">The port it is reached on.</param>
/// <param name="Label">What needs it (the agent's feature), written beside it.</param>
/// <param name="IsRawTcp">A raw TCP connection (logs over TCP) that no HTTP proxy carries.</param>
/// <param name="ThroughProxy">Reached through the agent's proxy: the proxy's allow-list names it, the agent's own egress does not.</param>
/// <param name="AnyAddress">
/// A public pool at any address (NTP): lists name it, while the agent's own egress policies allow it by address (Cilium's
/// <c>world</c> entity, <c>--open ntp=NETWORKS</c>); Cilium's <c>--by-name</c> names it too.
/// </param>
/// <param name="IsProxy">
/// The agent's proxy itself: the agent's egress and a list name it, a proxy's own allow-list does not (it is no destination
/// of itself), nor a domain list (the agent's CONNECT requests carry the Datadog hosts' names, not the proxy's).
/// </param>
internal sealed record NamedDestination(string Host, PortRange Port, string Label, bool IsRawTcp, bool ThroughProxy = false, bool AnyAddress = false, bool IsProxy = false)
{
    /// <summary>
    /// With a proxy set, what sends it past the proxy (the <c>no_proxy</c> entry, as the agent matches it); null otherwise. The
    /// agent reaches it itself: a proxy's own allow-list leaves it out, the agent's egress and a list name it.
    /// </summary>
    public string? PastProxy { get; init; }

    /// <summary>
    /// Sent as plain HTTP (an <c>http://</c> URL, <c>logs_no_ssl</c>): through an HTTP proxy a request in absolute form
    /// (<c>POST http://host:port/...</c>), not a CONNECT tunnel.
    /// </summary>
    public bool IsPlainHttp { get; init; }

    /// <summary>
    /// Reached by the Cluster Agent's pods, not the node agents' (its external metrics provider's queries): a policy selecting the
    /// Cluster Agent's pods allows it.
    /// </summary>
    public bool ByClusterAgent { get; init; }
}
