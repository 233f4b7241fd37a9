namespace FirewallRules.AgentConfig;

/// <summary>How a firewall lets the agent reach one destination.</summary>
public enum DestinationCoverage
{
    /// <summary>A section of a site's published ip-ranges holds its addresses (<see cref="AgentDestination.Section"/>, <see cref="AgentDestination.Site"/>).</summary>
    PublishedRanges,

    /// <summary>Not covered by the published ranges: allow it by name, through the proxy, or by PrivateLink.</summary>
    NotPublished,

    /// <summary>Reached through the proxy: the firewall allows the proxy, not this host.</summary>
    ThroughProxy,

    /// <summary>The proxy the agent sends its HTTPS traffic through.</summary>
    Proxy,

    /// <summary>Public NTP servers, at any address (the agent's NTP check uses a DNS pool).</summary>
    AnyAddress,

    /// <summary>Inside the Kubernetes cluster: the node's kubelet, the API server, the cluster's DNS.</summary>
    Cluster,
}
