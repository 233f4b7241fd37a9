namespace FirewallRules.Emitters.AllowList;

/// <summary>Who reads a name-aware allow-list (<see cref="AllowListHosts.Of"/>), which decides what it holds.</summary>
internal enum AllowListUse
{
    /// <summary>An appliance or a script (<c>domains</c>): every host, on every port and protocol, the agent's proxy too.</summary>
    List,

    /// <summary>
    /// An HTTP proxy's own allow-list (<c>squid</c>): what the agent sends through it, over TCP; not raw TCP or UDP, which
    /// no HTTP proxy carries, nor the proxy itself.
    /// </summary>
    HttpProxy,

    /// <summary>
    /// A domain list matching TLS server names and HTTP Host headers (Network Firewall): every host, not the agent's proxy,
    /// whose CONNECT requests name the Datadog hosts.
    /// </summary>
    DomainMatch,

    /// <summary>
    /// The agent's own egress (Cilium's <c>toFQDNs</c>): what it reaches itself (its proxy, what bypasses the proxy, NTP's
    /// pool), not the hosts it reaches through its proxy.
    /// </summary>
    AgentEgress,
}
