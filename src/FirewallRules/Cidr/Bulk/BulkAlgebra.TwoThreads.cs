namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// The blocks of two lists of merged ranges on two threads: both lists are cut at one address that neither covers, near
/// the middle of all their ranges, so the blocks below it and those above it do not depend on each other. Each thread
/// writes its part into an array of its own, and the two are joined; the result is exactly <see cref="ToBlocks(ReadOnlySpan{AddressRange{T}}, ReadOnlySpan{AddressRange{T}})"/>'s.
/// </summary>
internal static partial class BulkAlgebra<T>
{
    /// <summary>Fewer ranges than this (both lists together) are decomposed on the calling thread alone.</summary>
    internal const int TwoThreadMinimum = 1 << 16;

    /// <summary>How many candidate addresses the search for one that neither list covers tries before giving up.</summary>
    private const int GapSearchSteps = 4096;

    /// <summary>
    /// As <see cref="ToBlocks(ReadOnlySpan{AddressRange{T}}, ReadOnlySpan{AddressRange{T}})"/>, the work shared with a second thread when the lists
    /// are long and can be cut.
    /// </summary>
    public static CidrBlock<T>[] ToBlocksOnTwoThreads(ReadOnlyMemory<AddressRange<T>> left, ReadOnlyMemory<AddressRange<T>> right, int minimum = TwoThreadMinimum)
    {
        if (left.Length + right.Length < minimum || !TryCut(left.Span, right.Span, out int leftCut, out int rightCut))
        {
            return ToBlocks(left.Span, right.Span);
        }

        ReadOnlyMemory<AddressRange<T>> lowLeft = left[..leftCut], lowRight = right[..rightCut], highLeft = left[leftCut..], highRight = right[rightCut..];
        if (!IsVectorIPv4)
        {
            return ExactOnTwoThreads(lowLeft, lowRight, highLeft, highRight);
        }

        CidrBlock<T>[] low = [], high = [];
        int lowCount = 0, highCount = 0;
        SecondThread.Run(
            () => high = DecomposeUnion(highLeft.Span, highRight.Span, out highCount),
            () => low = DecomposeUnion(lowLeft.Span, lowRight.Span, out lowCount));
        CidrBlock<T>[] blocks = GC.AllocateUninitializedArray<CidrBlock<T>>(lowCount + highCount);
        low.AsSpan(0, lowCount).CopyTo(blocks);
        high.AsSpan(0, highCount).CopyTo(blocks.AsSpan(lowCount));
        return blocks;
    }

    /// <summary>
    /// The two parts' blocks counted on two threads, then written on two threads into one array of exactly their number:
    /// no part is held beside the whole (IPv6 blocks are 32 bytes each, as many as the lines of a random list).
    /// </summary>
    private static CidrBlock<T>[] ExactOnTwoThreads(
        ReadOnlyMemory<AddressRange<T>> lowLeft,
        ReadOnlyMemory<AddressRange<T>> lowRight,
        ReadOnlyMemory<AddressRange<T>> highLeft,
        ReadOnlyMemory<AddressRange<T>> highRight)
    {
        int lowCount = 0, highCount = 0;
        SecondThread.Run(
            () => highCount = RangeAlgebra<T>.UnionBlocks(highLeft.Span, highRight.Span, []),
            () => lowCount = RangeAlgebra<T>.UnionBlocks(lowLeft.Span, lowRight.Span, []));
        CidrBlock<T>[] blocks = GC.AllocateUninitializedArray<CidrBlock<T>>(lowCount + highCount);
        SecondThread.Run(
            () => RangeAlgebra<T>.UnionBlocks(highLeft.Span, highRight.Span, blocks.AsSpan(lowCount)),
            () => RangeAlgebra<T>.UnionBlocks(lowLeft.Span, lowRight.Span, blocks.AsSpan(0, lowCount)));
        return blocks;
    }

    /// <summary>
    /// Finds an address that neither list covers, near the middle of both taken together; the ranges below it are
    /// <c>left[..leftCut]</c> and <c>right[..rightCut]</c>, those above it the rest. False when the search finds none
    /// within <see cref="GapSearchSteps"/> steps (one list covers what the other leaves open, over and over) or reaches the top of the space.
    /// </summary>
    internal static bool TryCut(ReadOnlySpan<AddressRange<T>> left, ReadOnlySpan<AddressRange<T>> right, out int leftCut, out int rightCut)
    {
        leftCut = rightCut = 0;
        if (left.IsEmpty || right.IsEmpty)
        {
            return false;
        }

        (int l, int r) = MiddleByStart(left, right);
        T candidate = l == 0 ? right[r - 1].End : r == 0 ? left[l - 1].End : T.Max(left[l - 1].End, right[r - 1].End);
        for (int step = 0; step < GapSearchSteps && candidate != T.AllBitsSet; step++)
        {
            candidate += T.One; // the address after the end of a range: the first that range does not cover
            l = FirstEndingAtOrAfter(left, candidate);
            if (l < left.Length && left[l].Start <= candidate)
            {
                candidate = left[l].End;
                continue;
            }

            r = FirstEndingAtOrAfter(right, candidate);
            if (r < right.Length && right[r].Start <= candidate)
            {
                candidate = right[r].End;
                continue;
            }

            (leftCut, rightCut) = (l, r);
            return l + r > 0 && l + r < left.Length + right.Length;
        }

        return false;
    }

    /// <summary>How many of each list's ranges come first when both are merged by start, for half of all their ranges (both at least one in total).</summary>
    private static (int Left, int Right) MiddleByStart(ReadOnlySpan<AddressRange<T>> left, ReadOnlySpan<AddressRange<T>> right)
    {
        int half = (left.Length + right.Length) / 2;
        int low = Math.Max(0, half - right.Length), high = Math.Min(half, left.Length);
        while (low < high)
        {
            int l = (low + high) / 2; // l < half, so right[half - l - 1] exists
            if (left[l].Start < right[half - l - 1].Start)
            {
                low = l + 1;
            }
            else
            {
                high = l;
            }
        }

        return (low, half - low);
    }

    /// <summary>The index of the first merged range that ends at or after <paramref name="address"/> (ends rise with starts in merged ranges).</summary>
    private static int FirstEndingAtOrAfter(ReadOnlySpan<AddressRange<T>> merged, T address)
    {
        int low = 0, high = merged.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (merged[middle].End < address)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
