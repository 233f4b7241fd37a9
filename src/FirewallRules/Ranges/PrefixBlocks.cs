using System.Numerics;
using FirewallRules.Cidr;

namespace FirewallRules.Ranges;

/// <summary>Prefixes as the document reader finds them, as numbers: one list per family, in the document's order.</summary>
internal sealed class PrefixBlocks
{
    /// <summary>The IPv4 prefixes read so far.</summary>
    public List<CidrBlock<uint>> IPv4 { get; } = [];

    /// <summary>The IPv6 prefixes read so far.</summary>
    public List<CidrBlock<UInt128>> IPv6 { get; } = [];

    /// <summary>The IPv4 prefixes as listed.</summary>
    public ListedPrefixes<uint> ListedIPv4() => new([.. IPv4], Interop.ToNetwork);

    /// <summary>The IPv6 prefixes as listed.</summary>
    public ListedPrefixes<UInt128> ListedIPv6() => new([.. IPv6], Interop.ToNetwork);

    /// <summary>Every address read, aggregated.</summary>
    public PrefixSet ToPrefixSet() => new(Collapse(IPv4), Collapse(IPv6));

    private static CidrBlock<T>[] Collapse<T>(List<CidrBlock<T>> blocks)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        var ranges = new AddressRange<T>[blocks.Count];
        for (int i = 0; i < ranges.Length; i++)
        {
            ranges[i] = blocks[i].Range;
        }

        return RangeAlgebra<T>.Collapse(ranges);
    }
}
