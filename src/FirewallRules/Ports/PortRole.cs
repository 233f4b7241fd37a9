namespace FirewallRules.Ports;

/// <summary>How a catalogued port is used.</summary>
public enum PortRole
{
    /// <summary>The agent listens on the host; by default only local processes should reach it.</summary>
    LocalListener,

    /// <summary>The agent connects out on this port (to Datadog, NTP servers, or a node's kubelet).</summary>
    Outbound,
}
