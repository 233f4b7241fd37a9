using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// The collapse of the bulk path: exactly <see cref="RangeAlgebra{T}"/>'s results, with IPv4 ranges merged and decomposed
/// in vector registers (<see cref="VectorMerge"/>) where the processor has them, and a long IPv4 list sorted through
/// bitmaps where it is dense (<see cref="DenseBuckets"/>). IPv6, and IPv4 without vectors, go the strict engine's way.
/// </summary>
internal static partial class BulkAlgebra<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>Whether these are IPv4 ranges on a processor with vectors: <see cref="VectorMerge"/> and <see cref="DenseBuckets"/> then serve.</summary>
    private static bool IsVectorIPv4 => typeof(T) == typeof(uint) && VectorMerge.IsAccelerated;

    /// <inheritdoc cref="RangeAlgebra{T}.Collapse"/>
    public static CidrBlock<T>[] Collapse(Span<AddressRange<T>> ranges)
    {
        if (ranges.IsEmpty)
        {
            return []; // an absent family is not sorted, which would compile the sorter for nothing
        }

        return RangeAlgebra<T>.ToBlocks(ranges[..SortAndMerge(ranges)]);
    }

    /// <inheritdoc cref="RangeAlgebra{T}.SortAndMerge"/>
    public static int SortAndMerge(Span<AddressRange<T>> ranges)
    {
        if (ranges.IsEmpty)
        {
            return 0;
        }

        if (IsVectorIPv4 && ranges.Length > RadixSorter<T>.DefaultScratchLimit)
        {
            return DenseBuckets.SortAndMerge(MemoryMarshal.Cast<AddressRange<T>, AddressRange<uint>>(ranges));
        }

        RadixSorter<T>.Sort(ranges);
        return MergeSorted(ranges);
    }

    /// <inheritdoc cref="RangeAlgebra{T}.MergeSorted"/>
    public static int MergeSorted(Span<AddressRange<T>> sorted)
    {
        if (IsVectorIPv4 && !sorted.IsEmpty)
        {
            return VectorMerge.MergeSorted(MemoryMarshal.Cast<AddressRange<T>, AddressRange<uint>>(sorted));
        }

        return RangeAlgebra<T>.MergeSorted(sorted);
    }

    /// <inheritdoc cref="RangeAlgebra{T}.ToBlocks(ReadOnlySpan{AddressRange{T}}, ReadOnlySpan{AddressRange{T}})"/>
    public static CidrBlock<T>[] ToBlocks(ReadOnlySpan<AddressRange<T>> left, ReadOnlySpan<AddressRange<T>> right)
    {
        if (left.IsEmpty || right.IsEmpty)
        {
            return RangeAlgebra<T>.ToBlocks(left.IsEmpty ? right : left);
        }

        CidrBlock<T>[] blocks = DecomposeUnion(left, right, out int count);
        return count == blocks.Length ? blocks : blocks[..count];
    }

    /// <inheritdoc cref="RangeAlgebra{T}.DecomposeUnion"/>
    private static CidrBlock<T>[] DecomposeUnion(ReadOnlySpan<AddressRange<T>> left, ReadOnlySpan<AddressRange<T>> right, out int count)
    {
        if (IsVectorIPv4)
        {
            CidrBlock<uint>[] ipv4 = VectorMerge.DecomposeUnion(
                MemoryMarshal.Cast<AddressRange<T>, AddressRange<uint>>(left), MemoryMarshal.Cast<AddressRange<T>, AddressRange<uint>>(right), out count);
            return Unsafe.As<CidrBlock<uint>[], CidrBlock<T>[]>(ref ipv4);
        }

        return RangeAlgebra<T>.DecomposeUnion(left, right, out count);
    }
}
