namespace FirewallRules.Cidr;

/// <summary>How strictly prefixes are read.</summary>
/// <remarks>
/// Parsing is strict by default: an address must be written exactly as it prints back
/// (dotted decimal without leading zeros; lower-case, RFC 5952-compressed IPv6 as
/// <see cref="System.Net.IPAddress.ToString"/> writes it), a prefix length has no leading zeros and fits
/// the family, and no host bits are set. A bare address is a /32 or /128.
/// </remarks>
[Flags]
public enum PrefixParseOptions
{
    /// <summary>Strict: every deviation is an error.</summary>
    None = 0,

    /// <summary>Accept prefixes with host bits set and clear them (<c>10.1.2.3/8</c> reads as <c>10.0.0.0/8</c>).</summary>
    ClearHostBits = 1,
}
