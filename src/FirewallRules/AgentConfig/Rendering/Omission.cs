namespace FirewallRules.AgentConfig;

/// <summary>What a plan's rules leave out, and why: a program decides by <see cref="Kind"/>, never by <see cref="Text"/>.</summary>
/// <param name="Kind">Why it is left out.</param>
/// <param name="Text">What is left out and how to allow it, as a reader is shown it.</param>
internal sealed record Omission(OmissionKind Kind, string Text);

/// <summary>Why a plan's rules leave a destination or a listener out (<see cref="Omission"/>).</summary>
internal enum OmissionKind
{
    /// <summary>No published range covers the host: allowed by name, through the proxy or by PrivateLink, which an output by name renders.</summary>
    NotCovered,

    /// <summary>Another site's section holds it: that site's rules, or an output by name, allow it.</summary>
    OtherSite,

    /// <summary>The proxy is a name: an output by name renders it, another needs its address.</summary>
    ProxyName,

    /// <summary>No document publishes its addresses (NTP, the kubelet, DNS): its networks must be given.</summary>
    NeedsNetworks,

    /// <summary>The Cluster Agent's own relay given by address, which these rules (the node agents') do not select.</summary>
    ClusterAgentByAddress,

    /// <summary>A listener bound to every address, whose clients must be named.</summary>
    OpenListener,
}
