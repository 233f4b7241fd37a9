using System.Numerics;

namespace FirewallRules.Cidr;

/// <summary>
/// Collapses a list of blocks where it lies: sorted by address, its blocks are merged into ranges and each range's
/// blocks written back over the blocks it was made of, so the set takes no memory beside the list it was read into.
/// </summary>
/// <remarks>
/// A range made of k blocks has at most k blocks of its own: each of its largest aligned blocks holds one of the k (a
/// block of the union that held none would be covered by larger ones, so it would hold one of them, or lie inside one).
/// The blocks of a range are therefore written at or before where its first block was read, never over one not yet read.
/// </remarks>
internal static class BlockCollapse<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>Sorts the blocks by address and collapses them in place; returns how many lead the span.</summary>
    public static int SortAndCollapse(Span<CidrBlock<T>> blocks)
    {
        if (blocks.Length > 1)
        {
            RadixSorter<T>.Sort(blocks);
        }

        return CollapseSorted(blocks);
    }

    /// <summary>
    /// Collapses blocks sorted by address (blocks at one address in any order) in place: drops the covered, joins the
    /// adjacent; returns how many blocks, the minimal sorted cover of the same addresses, now lead the span.
    /// </summary>
    public static int CollapseSorted(Span<CidrBlock<T>> sorted)
    {
        int write = 0, read = 0;
        while (read < sorted.Length)
        {
            T start = sorted[read].Address, end = sorted[read].Last;
            for (read++; read < sorted.Length; read++)
            {
                if (end != T.AllBitsSet && sorted[read].Address > end + T.One)
                {
                    break; // a gap: the range ends here (one that reaches the top of the space holds all that follows)
                }

                end = T.Max(end, sorted[read].Last);
            }

            write = RangeAlgebra<T>.DecomposeOne(new AddressRange<T>(start, end), sorted, write);
        }

        return write;
    }
}
