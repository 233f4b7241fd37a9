namespace FirewallRules.Rules;

/// <summary>The transport protocol a rule's ports belong to.</summary>
public enum TransportProtocol
{
    /// <summary>TCP.</summary>
    Tcp,

    /// <summary>UDP.</summary>
    Udp,
}
