using System.Numerics;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// The sort and merge of a file's two halves (<see cref="BulkListReader"/>), octet by octet across both: an octet that is
/// dense in both halves together is merged through one bitmap of both, into the first half's place. Merged apart, each
/// half of a dense list holds many more ranges than the whole (half a million lines of /24s and /32s over nine octets
/// merge into 250,000 ranges a half, 20,000 together), and every one of them was then merged again with the other half's.
/// </summary>
internal static partial class DenseBuckets
{
    /// <summary>
    /// Splits ranges by the first octet of their start, in place: bucket <c>b</c> is then <c>data[offsets[b]..offsets[b + 1]]</c>
    /// in the 257 offsets returned, also when every range has the same first octet.
    /// </summary>
    public static int[] Split(Span<AddressRange<uint>> data)
    {
        int[] offsets = new int[257];
        if (!data.IsEmpty && !RadixSorter<uint>.SplitByFirstDigit(data, offsets))
        {
            int octet = (int)(data[0].Start >> 24);
            offsets.AsSpan(0, octet + 1).Clear();
            offsets.AsSpan(octet + 1).Fill(data.Length);
        }

        return offsets;
    }

    /// <summary>
    /// The first octet from which about half of both halves' ranges start (1 to 255): <see cref="SortAndMergeBoth"/>'s parts
    /// below and from it can run on two threads.
    /// </summary>
    public static int Middle(int[] leftOffsets, int[] rightOffsets)
    {
        int half = (leftOffsets[256] + rightOffsets[256]) / 2, middle = 1;
        while (middle < 255 && leftOffsets[middle] + rightOffsets[middle] < half)
        {
            middle++;
        }

        return middle;
    }

    /// <summary>
    /// Sorts and merges the octets <paramref name="from"/> up to <paramref name="to"/> of two halves split by <see cref="Split"/>;
    /// the merged ranges of each half are written from its <c>offsets[from]</c> on, and how many each holds is returned. An
    /// octet dense in both together goes through one bitmap into the left half's place, and the right half keeps none of it.
    /// </summary>
    public static (int Left, int Right) SortAndMergeBoth(
        Span<AddressRange<uint>> left, int[] leftOffsets, Span<AddressRange<uint>> right, int[] rightOffsets, int from, int to)
    {
        Span<AddressRange<uint>> leftPart = left[leftOffsets[from]..leftOffsets[to]], rightPart = right[rightOffsets[from]..rightOffsets[to]];
        var space = new Workspace(Math.Max(leftPart.Length, rightPart.Length));
        var leftMerger = new VectorMerge.RangeMerger(leftPart);
        var rightMerger = new VectorMerge.RangeMerger(rightPart);
        for (int b = from; b < to; b++)
        {
            Span<AddressRange<uint>> l = left[leftOffsets[b]..leftOffsets[b + 1]], r = right[rightOffsets[b]..rightOffsets[b + 1]];
            if (l.IsEmpty || r.IsEmpty || l.Length + r.Length < MinimumRanges)
            {
                MergeBucket(l, ref leftMerger, ref space);
                MergeBucket(r, ref rightMerger, ref space);
                continue;
            }

            // Each bucket is measured once: a pair that is not dense together is merged apart with the same measures.
            (Extent leftExtent, Extent rightExtent) = (Measure(l), Measure(r));
            if (!TryMergeBothByBitmap(l, r, leftExtent.With(rightExtent), space.Bitmap, ref leftMerger))
            {
                MergeBucket(l, leftExtent, ref leftMerger, ref space);
                MergeBucket(r, rightExtent, ref rightMerger, ref space);
            }
        }

        return (leftMerger.Finish(), rightMerger.Finish());
    }

    /// <summary>
    /// Merges two buckets of one octet through one bitmap into <paramref name="merger"/>, which writes over the first; false,
    /// adding nothing, when together they are not dense (<see cref="TryPlan(Extent, int, out Plan)"/>), their long ranges fill
    /// too many words, or they merge into more ranges than the first holds.
    /// </summary>
    private static bool TryMergeBothByBitmap(
        ReadOnlySpan<AddressRange<uint>> first, ReadOnlySpan<AddressRange<uint>> second, Extent both, ulong[] bitmap, ref VectorMerge.RangeMerger merger)
    {
        if (!TryPlan(both, first.Length + second.Length, out Plan plan))
        {
            return false;
        }

        Span<ulong> words = bitmap.AsSpan(0, (plan.Bits + 63) / 64);
        words.Clear();
        int budget = first.Length + second.Length;
        if (!TrySetRanges(first, plan, words, ref budget) || !TrySetRanges(second, plan, words, ref budget) || CountRuns(words) > first.Length)
        {
            return false;
        }

        AddRuns(words, plan, ref merger);
        return true;
    }

    /// <summary>How many runs of set bits the words hold (a run may go on from one word into the next).</summary>
    private static int CountRuns(ReadOnlySpan<ulong> words)
    {
        int runs = 0;
        ulong below = 0; // the previous word's top bit, as bit 0
        foreach (ulong bits in words)
        {
            runs += BitOperations.PopCount(bits & ~((bits << 1) | below));
            below = bits >> 63;
        }

        return runs;
    }

    /// <summary>
    /// Joins two runs of merged ranges of one span, the second (at <paramref name="highStart"/>) all starting after the
    /// first's starts, into one merged run from the span's start; returns its length. Only ranges at the seam can join:
    /// the first's last range takes in those of the second it overlaps or touches.
    /// </summary>
    public static int JoinParts(Span<AddressRange<uint>> data, int lowCount, int highStart, int highCount)
    {
        int taken = 0;
        if (lowCount > 0)
        {
            AddressRange<uint> last = data[lowCount - 1];
            while (taken < highCount && (last.End == uint.MaxValue || data[highStart + taken].Start <= last.End + 1))
            {
                last = new AddressRange<uint>(last.Start, Math.Max(last.End, data[highStart + taken++].End));
            }

            data[lowCount - 1] = last;
        }

        data.Slice(highStart + taken, highCount - taken).CopyTo(data[lowCount..]);
        return lowCount + highCount - taken;
    }
}
