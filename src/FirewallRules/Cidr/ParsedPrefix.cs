namespace FirewallRules.Cidr;

/// <summary>A prefix as the parser read it: one family's address plus a length.</summary>
internal struct ParsedPrefix
{
    public bool IsIPv6;
    public uint V4;
    public UInt128 V6;
    public int Length;

    /// <summary>Where in the token the problem is (0-based), when parsing failed.</summary>
    public int ErrorOffset;

    /// <summary>Whether host bits had to be cleared (only with <see cref="PrefixParseOptions.ClearHostBits"/>).</summary>
    public bool HostBitsCleared;
}
