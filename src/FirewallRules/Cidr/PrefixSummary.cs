namespace FirewallRules.Cidr;

/// <summary>The result of <see cref="PrefixSet.Summarize(int)"/>: a cover within the budget and what it costs.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class PrefixSummary
{
    internal PrefixSummary(PrefixSet original, PrefixSet prefixes, UInt128 extraIPv4Addresses, UInt128 extraIPv6Addresses)
    {
        Original = original;
        Prefixes = prefixes;
        ExtraIPv4Addresses = extraIPv4Addresses;
        ExtraIPv6Addresses = extraIPv6Addresses;
    }

    /// <summary>The set that was summarised.</summary>
    public PrefixSet Original { get; }

    /// <summary>The covering prefixes: a superset of <see cref="Original"/> within the budget.</summary>
    public PrefixSet Prefixes { get; }

    /// <summary>IPv4 addresses the cover allows that the original did not.</summary>
    public UInt128 ExtraIPv4Addresses { get; }

    /// <summary>IPv6 addresses the cover allows that the original did not.</summary>
    public UInt128 ExtraIPv6Addresses { get; }

    /// <summary>True when the budget was enough and nothing extra is allowed.</summary>
    public bool IsExact => ExtraIPv4Addresses == UInt128.Zero && ExtraIPv6Addresses == UInt128.Zero;
}
