using System.Numerics;

namespace FirewallRules.Cidr;

/// <summary>
/// What <see cref="RadixSorter{T}"/> sorts by: the start of a range, the address of a block. It must be the item's first
/// field: the sorter reads its bytes where the item lies (<c>RadixSorterTests</c> checks both items).
/// </summary>
internal interface ISortKey<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    T Key { get; }
}
