namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// Blocks collapsed where they were read (<see cref="BlockCollapse{T}"/>), for the IPv6 lines of a file read in two halves:
/// both halves' blocks lie in one run of an array (<see cref="SharedBlocks{T}"/>), sorted on two threads and collapsed in
/// place, so a million IPv6 lines take 24 MB, read, sorted and aggregated.
/// </summary>
internal static partial class BulkAlgebra<T>
{
    /// <summary>
    /// The blocks two readers of a file's halves read, as one run: where they lie when both stayed in their parts of
    /// the shared array, else (one part filled up) copied into an array of their own.
    /// </summary>
    public static ArraySegment<CidrBlock<T>> Join(BlockBuffer<T> first, BlockBuffer<T> second)
    {
        ArraySegment<CidrBlock<T>> low = first.Blocks, high = second.Blocks;
        first.Clear();
        second.Clear();
        if (low.Count == 0 || high.Count == 0)
        {
            return low.Count == 0 ? high : low;
        }

        if (low.Array == high.Array && low.Offset + low.Count == high.Offset)
        {
            return new ArraySegment<CidrBlock<T>>(low.Array!, low.Offset, low.Count + high.Count);
        }

        CidrBlock<T>[] joined = GC.AllocateUninitializedArray<CidrBlock<T>>(low.Count + high.Count);
        low.AsSpan().CopyTo(joined);
        high.AsSpan().CopyTo(joined.AsSpan(low.Count));
        return joined;
    }

    /// <summary>
    /// Sorts the blocks and collapses them in place (<see cref="BlockCollapse{T}.SortAndCollapse"/>); returns how many lead
    /// the run. A long run is split by the first digit of the address on this thread and its two halves of the buckets
    /// sorted on two, when <paramref name="twoThreads"/>.
    /// </summary>
    public static int SortAndCollapse(ArraySegment<CidrBlock<T>> blocks, bool twoThreads)
    {
        int[] offsets = new int[257];
        if (!twoThreads || blocks.Count < TwoThreadMinimum || !RadixSorter<T>.SplitByFirstDigit(blocks.AsSpan(), offsets))
        {
            return BlockCollapse<T>.SortAndCollapse(blocks);
        }

        int middle = 1;
        while (middle < 256 && offsets[middle] < blocks.Count / 2)
        {
            middle++;
        }

        SecondThread.Run(() => SortBuckets(blocks, offsets, middle, 256), () => SortBuckets(blocks, offsets, 0, middle));
        return BlockCollapse<T>.CollapseSorted(blocks);
    }

    /// <summary>Sorts the buckets from <paramref name="from"/> up to <paramref name="to"/> of blocks split by their first digit.</summary>
    private static void SortBuckets(ArraySegment<CidrBlock<T>> blocks, int[] offsets, int from, int to)
    {
        CidrBlock<T>[]? scratch = null;
        for (int b = from; b < to; b++)
        {
            Span<CidrBlock<T>> bucket = blocks.AsSpan(offsets[b], offsets[b + 1] - offsets[b]);
            if (bucket.Length > 1)
            {
                RadixSorter<T>.SortBelowFirstDigit(bucket, scratch ??= RadixSorter<T>.NewScratch<CidrBlock<T>>(blocks.Count));
            }
        }
    }
}
