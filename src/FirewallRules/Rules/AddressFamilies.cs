namespace FirewallRules.Rules;

/// <summary>Which address families an emitter renders.</summary>
[Flags]
public enum AddressFamilies
{
    /// <summary>IPv4 prefixes only.</summary>
    IPv4 = 1,

    /// <summary>IPv6 prefixes only.</summary>
    IPv6 = 2,

    /// <summary>Both families.</summary>
    Both = IPv4 | IPv6,
}
