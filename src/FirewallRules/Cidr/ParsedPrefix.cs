namespace FirewallRules.Cidr;

/// <summary>A prefix as the parser read it: one family's address plus a length.</summary>
/// <remarks>
/// The IPv6 address is kept as two 64-bit halves, not a <see cref="UInt128"/>: ReadyToRun does not precompile code
/// whose locals or signatures hold <see cref="UInt128"/> (its layout is not fixed across versions), and this struct
/// is a local of every parse, IPv4 ones included. <see cref="V6"/> joins the halves for the IPv6 engine.
/// </remarks>
internal struct ParsedPrefix
{
    public bool IsIPv6;
    public uint V4;
    public ulong V6Upper;
    public ulong V6Lower;
    public int Length;

    /// <summary>Where in the token the problem is (0-based), when parsing failed.</summary>
    public int ErrorOffset;

    /// <summary>Whether host bits had to be cleared (only with <see cref="PrefixParseOptions.ClearHostBits"/>).</summary>
    public bool HostBitsCleared;

    /// <summary>The IPv6 address.</summary>
    public readonly UInt128 V6 => new(V6Upper, V6Lower);
}
