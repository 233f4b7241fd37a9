using System.Numerics;

namespace FirewallRules.Cidr;

/// <summary>What <see cref="RadixSorter{T}"/> sorts by: the start of a range, the address of a block.</summary>
internal interface ISortKey<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    T Key { get; }
}
