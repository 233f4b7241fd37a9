using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// Sorts and merges IPv4 ranges in place: split by their first octet, each octet's ranges are then merged either through
/// a bitmap, when they are many in a small span, or sorted on their other octets and merged as before. Dense lists are
/// what blocklists are made of (a few hundred thousand /32s in one /12, every /24 of a /8 many times over); a bitmap of
/// their span takes each range in one step, where the sort moved each range two or three times more and the merge read
/// them all again.
/// </summary>
/// <remarks>
/// A bucket's bitmap has a bit for each block of 2^<c>g</c> addresses from its lowest start, <c>g</c> being the alignment
/// every start and every end + 1 in it shares (8 for a bucket of /24s), so a range sets whole bits and no bit is part of
/// two ranges that do not touch. Runs of set bits are then the merged ranges, found a word at a time from where bits turn
/// on and off. The bitmap is used when it is at most <see cref="MaxBits"/> bits (128 KB, within the second-level cache)
/// and has at most a word for every two ranges, as long as the ranges longer than a bit write no more words than there
/// are ranges; other buckets are sorted.
/// </remarks>
internal static partial class DenseBuckets
{
    /// <summary>The most bits a bucket's bitmap has (128 KB).</summary>
    internal const int MaxBits = 1 << 20;

    /// <summary>Fewer ranges than this in a bucket are sorted: the pass that measures them would cost more than it saves.</summary>
    internal const int MinimumRanges = 4096;

    /// <summary>How many runs of bits are collected before they are merged (4 KB, on the stack).</summary>
    private const int RunBuffer = 512;

    /// <summary>Sorts <paramref name="data"/> by start and merges it in place; returns how many merged ranges lead the span.</summary>
    public static int SortAndMerge(Span<AddressRange<uint>> data)
    {
        Span<int> offsets = stackalloc int[257];
        int buckets = 256;
        if (!RadixSorter<uint>.SplitByFirstDigit(data, offsets))
        {
            (offsets[0], offsets[1], buckets) = (0, data.Length, 1);
        }

        var space = new Workspace(data.Length);
        var merger = new VectorMerge.RangeMerger(data);
        for (int b = 0; b < buckets; b++)
        {
            // The merged ranges are written behind this bucket: each bucket holds at least as many ranges as it merges into.
            MergeBucket(data[offsets[b]..offsets[b + 1]], ref merger, ref space);
        }

        return merger.Finish();
    }

    /// <summary>Sorts and merges one bucket into <paramref name="merger"/>: through a bitmap when it is dense, else sorted.</summary>
    private static void MergeBucket(Span<AddressRange<uint>> bucket, ref VectorMerge.RangeMerger merger, ref Workspace space)
    {
        if (!bucket.IsEmpty)
        {
            MergeBucket(bucket, bucket.Length >= MinimumRanges ? Measure(bucket) : default, ref merger, ref space);
        }
    }

    /// <summary>
    /// As <see cref="MergeBucket(Span{AddressRange{uint}}, ref VectorMerge.RangeMerger, ref Workspace)"/>, with the bucket's
    /// <see cref="Measure"/> (read only from <see cref="MinimumRanges"/> ranges).
    /// </summary>
    private static void MergeBucket(Span<AddressRange<uint>> bucket, Extent extent, ref VectorMerge.RangeMerger merger, ref Workspace space)
    {
        if (bucket.Length >= MinimumRanges && TryPlan(extent, bucket.Length, out Plan plan) && TryMergeByBitmap(bucket, plan, space.Bitmap, ref merger))
        {
            return;
        }

        RadixSorter<uint>.SortBelowFirstDigit(bucket, space.Scratch);
        merger.AddSorted(bucket);
    }

    /// <summary>A thread's scratch space for the sort and its bitmap, each allocated when first used.</summary>
    private struct Workspace(int ranges)
    {
        private AddressRange<uint>[]? _scratch;
        private ulong[]? _bitmap;

        public AddressRange<uint>[] Scratch => _scratch ??= RadixSorter<uint>.NewScratch<AddressRange<uint>>(ranges);

        public ulong[] Bitmap => _bitmap ??= new ulong[MaxBits / 64];
    }

    /// <summary>A bucket's bitmap: bit <c>k</c> stands for the 2^<see cref="Shift"/> addresses from <see cref="Base"/> + k·2^<see cref="Shift"/>.</summary>
    internal readonly record struct Plan(uint Base, int Shift, int Bits);

    /// <summary>
    /// Measures a bucket: its lowest start, its highest end and the alignment all its starts and ends + 1 share, two ranges
    /// at a time in a vector; false when its bitmap would be too large or too sparse (see the remarks on <see cref="DenseBuckets"/>).
    /// </summary>
    internal static bool TryPlan(ReadOnlySpan<AddressRange<uint>> bucket, out Plan plan) => TryPlan(Measure(bucket), bucket.Length, out plan);

    /// <summary>A plan from a <see cref="Measure"/> of <paramref name="ranges"/> ranges (of one bucket, or of two buckets together).</summary>
    private static bool TryPlan(Extent extent, int ranges, out Plan plan)
    {
        int shift = Math.Min(BitOperations.TrailingZeroCount(extent.Alignment), 31);
        ulong bits = ((ulong)(extent.End - extent.Start) >> shift) + 1;
        plan = new Plan(extent.Start, shift, (int)Math.Min(bits, MaxBits));
        return bits <= MaxBits && bits / 64 <= (ulong)ranges / 2;
    }

    /// <summary>The lowest start, the highest end, and the bits of every start and end + 1 OR-ed together (alike low zeros: the alignment).</summary>
    private readonly record struct Extent(uint Start, uint End, uint Alignment)
    {
        public Extent With(Extent other) => new(Math.Min(Start, other.Start), Math.Max(End, other.End), Alignment | other.Alignment);
    }

    /// <summary>The <see cref="Extent"/> of a non-empty bucket, two ranges at a time in a vector.</summary>
    private static Extent Measure(ReadOnlySpan<AddressRange<uint>> bucket)
    {
        // Lanes 0 and 2 hold starts, 1 and 3 ends; the alignment takes each end + 1 (0 for the top of the space, aligned to anything).
        Vector128<uint> low = Vector128<uint>.AllBitsSet, high = Vector128<uint>.Zero, alignment = Vector128<uint>.Zero;
        Vector128<uint> endPlusOne = Vector128.Create(0u, 1u, 0u, 1u);
        ref AddressRange<uint> first = ref MemoryMarshal.GetReference(bucket);
        int pairs = bucket.Length / 2;
        for (int i = 0; i < pairs; i++)
        {
            Vector128<uint> two = Vector128.LoadUnsafe(ref Unsafe.As<AddressRange<uint>, uint>(ref first), (nuint)i * 4);
            (low, high, alignment) = (Vector128.Min(low, two), Vector128.Max(high, two), alignment | (two + endPlusOne));
        }

        if (bucket.Length % 2 == 1)
        {
            AddressRange<uint> last = bucket[^1];
            Vector128<uint> one = Vector128.Create(last.Start, last.End, last.Start, last.End);
            (low, high, alignment) = (Vector128.Min(low, one), Vector128.Max(high, one), alignment | (one + endPlusOne));
        }

        return new Extent(Math.Min(low[0], low[2]), Math.Max(high[1], high[3]), alignment[0] | alignment[1] | alignment[2] | alignment[3]);
    }

    /// <summary>
    /// Sets the bucket's ranges in the bitmap, then adds its runs of set bits to <paramref name="merger"/> in order; false,
    /// adding nothing, when its ranges would fill more words than it has ranges (many long ranges over one another).
    /// </summary>
    internal static bool TryMergeByBitmap(ReadOnlySpan<AddressRange<uint>> bucket, Plan plan, ulong[] bitmap, ref VectorMerge.RangeMerger merger)
    {
        Span<ulong> words = bitmap.AsSpan(0, (plan.Bits + 63) / 64);
        words.Clear();
        int budget = bucket.Length;
        if (!TrySetRanges(bucket, plan, words, ref budget))
        {
            return false;
        }

        AddRuns(words, plan, ref merger);
        return true;
    }

    /// <summary>
    /// Sets the bits of a bucket's ranges; false when the ranges longer than a bit would write more words than
    /// <paramref name="budget"/> (which they spend).
    /// </summary>
    private static bool TrySetRanges(ReadOnlySpan<AddressRange<uint>> bucket, Plan plan, Span<ulong> words, ref int budget)
    {
        ref ulong word = ref MemoryMarshal.GetReference(words);
        (uint start, int shift) = (plan.Base, plan.Shift);
        bool longer = false; // whether any range is more than a bit: those are set in a second pass, so this loop makes no call
        foreach (ref readonly AddressRange<uint> range in bucket)
        {
            uint first = (range.Start - start) >> shift, last = (range.End - start) >> shift;
            Unsafe.Add(ref word, first >> 6) |= 1UL << (int)first; // a shift counts modulo 64: the bit within its word
            longer |= first != last;
        }

        return !longer || TrySetLongerRanges(bucket, plan, words, ref budget);
    }

    /// <summary>Sets the bits of the ranges longer than a bit; false when they would write more words than <paramref name="budget"/>.</summary>
    private static bool TrySetLongerRanges(ReadOnlySpan<AddressRange<uint>> bucket, Plan plan, Span<ulong> words, ref int budget)
    {
        foreach (ref readonly AddressRange<uint> range in bucket)
        {
            uint first = (range.Start - plan.Base) >> plan.Shift, last = (range.End - plan.Base) >> plan.Shift;
            if (first != last && (budget -= SetBits(words, first, last)) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sets bits <paramref name="first"/> to <paramref name="last"/>, both included; returns how many words that wrote.</summary>
    internal static int SetBits(Span<ulong> words, uint first, uint last)
    {
        int from = (int)(first >> 6), to = (int)(last >> 6);
        ulong head = ~0UL << (int)first, tail = ~0UL >> (63 - (int)(last & 63));
        if (from == to)
        {
            words[from] |= head & tail;
            return 1;
        }

        words[from] |= head;
        words[(from + 1)..to].Fill(~0UL);
        words[to] |= tail;
        return to - from + 1;
    }

    /// <summary>
    /// Adds each run of set bits as a range: a run starts at a set bit whose lower neighbour is clear and ends at a set bit
    /// whose upper neighbour is clear, so the starts and ends of a word are found with two shifts, and a run still open at
    /// a word's top is closed by the first end in a later word. The ranges are handed on <see cref="RunBuffer"/> at a time.
    /// </summary>
    internal static void AddRuns(ReadOnlySpan<ulong> words, Plan plan, ref VectorMerge.RangeMerger merger)
    {
        Span<AddressRange<uint>> runs = stackalloc AddressRange<uint>[RunBuffer];
        int count = 0;
        ulong below = 0; // the previous word's top bit, as bit 0
        long open = -1; // the first bit of a run that goes on past the word before, or -1
        for (int w = 0; w < words.Length; w++)
        {
            ulong bits = words[w];
            if (bits == 0)
            {
                below = 0; // no run is open here: one open at the last word's top would have ended there
                continue;
            }

            ulong above = w + 1 < words.Length ? words[w + 1] << 63 : 0;
            ulong starts = bits & ~((bits << 1) | below), ends = bits & ~((bits >> 1) | above);
            below = bits >> 63;
            for (long at = (long)w << 6; ends != 0; ends &= ends - 1)
            {
                if (open < 0)
                {
                    open = at + BitOperations.TrailingZeroCount(starts);
                    starts &= starts - 1;
                }

                runs[count++] = Range(plan, open, at + BitOperations.TrailingZeroCount(ends));
                open = -1;
                if (count == RunBuffer)
                {
                    merger.AddSorted(runs);
                    count = 0;
                }
            }

            if (starts != 0)
            {
                open = ((long)w << 6) + BitOperations.TrailingZeroCount(starts); // the last run of the word goes on into the next
            }
        }

        merger.AddSorted(runs[..count]);
    }

    /// <summary>The addresses of bits <paramref name="first"/> to <paramref name="last"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static AddressRange<uint> Range(Plan plan, long first, long last) =>
        new((uint)(plan.Base + ((ulong)first << plan.Shift)), (uint)(plan.Base + ((ulong)(last + 1) << plan.Shift) - 1));
}
