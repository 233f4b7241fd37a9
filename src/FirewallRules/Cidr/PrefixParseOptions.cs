namespace FirewallRules.Cidr;

/// <summary>How strictly prefixes are read.</summary>
/// <remarks>
/// Parsing is strict by default: an address must be written in canonical form, dotted decimal without
/// leading zeros for IPv4, and RFC 5952 for IPv6 (lower case, no leading zeros, the longest run of two or
/// more zero groups compressed). IPv6 addresses with an embedded IPv4 address under a well-known prefix
/// (RFC 5952 section 5: <c>::ffff:1.2.3.4</c>, <c>::1.2.3.4</c>, <c>::ffff:0:1.2.3.4</c>, ISATAP) may be
/// written with the dotted tail, as <see cref="System.Net.IPAddress.ToString"/> and this library print
/// them, or all in hex, as Python, Go and Rust print some of them (<c>::ffff:102:304</c>, <c>::102:304</c>).
/// A prefix length has no leading zeros and fits the family, and no host bits are set. A bare address is a
/// /32 or /128.
/// </remarks>
[Flags]
public enum PrefixParseOptions
{
    /// <summary>Strict: every deviation is an error.</summary>
    None = 0,

    /// <summary>Accept prefixes with host bits set and clear them (<c>10.1.2.3/8</c> reads as <c>10.0.0.0/8</c>).</summary>
    ClearHostBits = 1,

    /// <summary>
    /// Accept any valid spelling of an IPv6 address: upper case, leading zeros in a group, zero runs
    /// written out or compressed anywhere, a dotted IPv4 tail on any address (<c>2001:DB8:0:0::/32</c> reads
    /// as <c>2001:db8::/32</c>). What is read is the address; it prints back canonically. IPv4 stays strict:
    /// <c>010.0.0.1</c> is octal to some tools and decimal to others, so no option accepts it.
    /// </summary>
    AnyIPv6Text = 2,
}
