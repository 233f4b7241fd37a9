using System.Numerics;
using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>
/// Sorts address ranges by start address with radix sorts on 8-bit digits. From the most significant
/// digit down, buckets larger than the scratch limit are split in place (American flag sort) and smaller
/// ones are scattered through scratch space, which is faster; a bucket's last three digits are then
/// sorted least significant first, and tiny buckets by insertion. Digits that every range shares cost one
/// histogram and no move, so dense inputs (all of one /8) cost no more than random ones. The extra memory
/// is at most the limit, not a second copy of the input (8 MB for a million IPv4 ranges, 32 MB for IPv6).
/// </summary>
/// <remarks>
/// The loops here run once per call, so on-stack replacement optimises them mid-loop, and ReadyToRun
/// precompiles the IPv4 ones; forcing full optimisation instead cost every start of the tool about
/// 10 ms of JIT work and made the IPv6 path no faster (whole-process runs of 1M prefixes).
/// </remarks>
internal static class RadixSorter<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>The most ranges sorted through scratch space (512 KB of IPv4 ranges, 2 MB of IPv6).</summary>
    public const int DefaultScratchLimit = 1 << 16;

    private const int SmallBucket = 48;

    /// <summary>How many swap chains <see cref="Permute"/> carries at once.</summary>
    private const int Lanes = 8;

    /// <summary>From this digit down (the last three bytes), buckets are sorted least significant digit first.</summary>
    private const int LowDigitsShift = 16;

    /// <summary>Sorts <paramref name="data"/> by <see cref="ISortKey{T}.Key"/>: the start of a range, the address of a block.</summary>
    /// <param name="data">The ranges to sort.</param>
    /// <param name="scratchLimit">The most ranges sorted through scratch space; tests lower it to reach the in-place splitting.</param>
    public static void Sort<TItem>(Span<TItem> data, int scratchLimit = DefaultScratchLimit)
        where TItem : unmanaged, ISortKey<T>
    {
        TItem[] scratch = GC.AllocateUninitializedArray<TItem>(Math.Min(data.Length, scratchLimit));
        SplitInPlace(data, scratch, AddressBits<T>.Width - 8);
    }

    /// <summary>Scratch space for <see cref="SortBelowFirstDigit"/> on parts of a list of <paramref name="length"/> ranges.</summary>
    internal static TItem[] NewScratch<TItem>(int length)
        where TItem : unmanaged, ISortKey<T> => GC.AllocateUninitializedArray<TItem>(Math.Min(length, DefaultScratchLimit));

    /// <summary>
    /// Moves the ranges into buckets by the most significant digit of their start, in place: bucket <c>b</c> is then
    /// <c>data[offsets[b]..offsets[b + 1]]</c> (<paramref name="offsets"/> is 257 long); false, moving nothing and
    /// leaving <paramref name="offsets"/> unfinished, when every range has the same digit.
    /// </summary>
    internal static bool SplitByFirstDigit<TItem>(Span<TItem> data, Span<int> offsets)
        where TItem : unmanaged, ISortKey<T>
    {
        if (Histogram(data, AddressBits<T>.Width - 8, offsets))
        {
            return false;
        }

        Span<int> next = stackalloc int[256];
        Permute(data, offsets, next, AddressBits<T>.Width - 8);
        return true;
    }

    /// <summary>Sorts ranges that share the most significant digit of their start (a bucket of <see cref="SplitByFirstDigit"/>).</summary>
    internal static void SortBelowFirstDigit<TItem>(Span<TItem> bucket, TItem[] scratch)
        where TItem : unmanaged, ISortKey<T> =>
        SplitInPlace(bucket, scratch, AddressBits<T>.Width - 16);

    // Splits `data` into buckets by moving ranges within it, until a bucket fits in `scratch`.
    private static void SplitInPlace<TItem>(Span<TItem> data, TItem[] scratch, int shift)
        where TItem : unmanaged, ISortKey<T>
    {
        Span<int> offsets = stackalloc int[257];
        Span<int> next = stackalloc int[256];
        while (true)
        {
            if (data.Length <= scratch.Length)
            {
                SortInPlace(data, scratch.AsSpan(0, data.Length), shift);
                return;
            }

            if (Histogram(data, shift, offsets))
            {
                if (shift == 0)
                {
                    return; // every key equal
                }

                shift -= 8;
                continue;
            }

            Permute(data, offsets, next, shift);
            if (shift == 0)
            {
                return;
            }

            for (int b = 0; b < 256; b++)
            {
                int start = offsets[b], end = offsets[b + 1];
                if (end - start > 1)
                {
                    SplitInPlace(data[start..end], scratch, shift - 8);
                }
            }

            return;
        }
    }

    /// <summary>
    /// Moves each range to its bucket in place. A range taken out of a bucket that is not yet filled is swapped to where
    /// its digit says, and the range that comes back is carried on, until one that belongs in the bucket comes back and
    /// fills the first open place there; every range moves once. <see cref="Lanes"/> such chains are carried at once,
    /// a new one started from the bucket as each ends: one chain's swaps each wait for the last, which in a list larger
    /// than the cache was half of the sort.
    /// </summary>
    private static void Permute<TItem>(Span<TItem> data, ReadOnlySpan<int> offsets, Span<int> next, int shift)
        where TItem : unmanaged, ISortKey<T>
    {
        offsets[..256].CopyTo(next);
        Span<TItem> carried = stackalloc TItem[Lanes];
        for (int b = 0; b < 256; b++)
        {
            // The places from next[b] to `take` are open (their ranges are carried); those from `take` on are not yet read.
            int end = offsets[b + 1], take = next[b], live = 0;
            while (live < Lanes && take < end)
            {
                carried[live++] = data[take++];
            }

            while (live > 0)
            {
                for (int lane = 0; lane < live;)
                {
                    TItem item = carried[lane];
                    int digit = Digit(item, shift);
                    if (digit != b)
                    {
                        int target = next[digit]++;
                        carried[lane++] = data[target];
                        data[target] = item;
                    }
                    else
                    {
                        data[next[b]++] = item;
                        if (take < end)
                        {
                            carried[lane++] = data[take++];
                        }
                        else
                        {
                            carried[lane] = carried[--live]; // this chain ends: the last one takes its lane
                        }
                    }
                }
            }
        }
    }

    // Sorts `data` through `scratch`, which is as long.
    private static void SortInPlace<TItem>(Span<TItem> data, Span<TItem> scratch, int shift)
        where TItem : unmanaged, ISortKey<T>
    {
        if (data.Length <= SmallBucket)
        {
            InsertionSort(data);
            return;
        }

        Span<int> offsets = stackalloc int[257];
        while (shift > LowDigitsShift && Histogram(data, shift, offsets))
        {
            shift -= 8; // every range has this digit
        }

        if (shift <= LowDigitsShift)
        {
            SortLowDigits(data, scratch, shift);
            return;
        }

        // Scattered out and copied back, so that every bucket is then sorted the same way: the copy is
        // of data already in cache, and saves a mirror-image version of this method.
        Scatter(data, scratch, shift, offsets);
        scratch.CopyTo(data);
        for (int b = 0; b < 256; b++)
        {
            int start = offsets[b], end = offsets[b + 1];
            if (end - start > 1)
            {
                SortInPlace(data[start..end], scratch[start..end], shift - 8);
            }
        }
    }

    /// <summary>
    /// Sorts on the digits at <paramref name="shift"/> and below, least significant first: a pass per
    /// digit and nothing else. Splitting further by the most significant digit instead ends in many
    /// tiny buckets whose insertion sorts mispredict about once per range.
    /// </summary>
    private static void SortLowDigits<TItem>(Span<TItem> data, Span<TItem> scratch, int shift)
        where TItem : unmanaged, ISortKey<T>
    {
        int digits = (shift / 8) + 1;
        Span<int> counts = stackalloc int[256 * ((LowDigitsShift / 8) + 1)];
        counts.Clear();
        foreach (ref readonly TItem item in data)
        {
            for (int d = 0; d < digits; d++)
            {
                counts[(d * 256) + Digit(item, d * 8)]++;
            }
        }

        Span<TItem> from = data, to = scratch;
        bool inScratch = false;
        for (int d = 0; d < digits; d++)
        {
            Span<int> next = counts.Slice(d * 256, 256);
            bool shared = false;
            for (int b = 0, start = 0; b < 256; b++)
            {
                int count = next[b];
                shared |= count == data.Length;
                next[b] = start;
                start += count;
            }

            if (shared)
            {
                continue; // every range has this digit: the pass would move nothing
            }

            foreach (ref readonly TItem item in from)
            {
                to[next[Digit(item, d * 8)]++] = item;
            }

            Span<TItem> sorted = to;
            to = from;
            from = sorted;
            inScratch = !inScratch;
        }

        if (inScratch)
        {
            from.CopyTo(data);
        }
    }

    /// <summary>
    /// Sets <c>offsets[b]</c> to the start of bucket <c>b</c> (and <c>offsets[256]</c> to the length);
    /// returns true when all keys share one digit, so nothing needs to move.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Histogram<TItem>(ReadOnlySpan<TItem> data, int shift, Span<int> offsets)
        where TItem : unmanaged, ISortKey<T>
    {
        offsets.Clear();
        foreach (ref readonly TItem item in data)
        {
            offsets[Digit(item, shift) + 1]++;
        }

        for (int b = 1; b <= 256; b++)
        {
            if (offsets[b] == data.Length)
            {
                return true;
            }

            offsets[b] += offsets[b - 1];
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter<TItem>(ReadOnlySpan<TItem> source, Span<TItem> destination, int shift, ReadOnlySpan<int> offsets)
        where TItem : unmanaged, ISortKey<T>
    {
        Span<int> next = stackalloc int[256];
        offsets[..256].CopyTo(next);
        foreach (ref readonly TItem item in source)
        {
            destination[next[Digit(item, shift)]++] = item;
        }
    }

    // A byte load rather than a shift: shifting a UInt128 is a call-sized sequence, and this is the hottest line. The byte
    // is read where the item lies, its key being its first field (ISortKey): a copy of the key to take its address cost
    // 2% of reading an IPv4 list.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digit<TItem>(in TItem item, int shift)
        where TItem : unmanaged, ISortKey<T> => BitConverter.IsLittleEndian
        ? Unsafe.Add(ref Unsafe.As<TItem, byte>(ref Unsafe.AsRef(in item)), shift >> 3)
        : (int)(uint.CreateTruncating(item.Key >>> shift) & 0xFF);

    private static void InsertionSort<TItem>(Span<TItem> data)
        where TItem : unmanaged, ISortKey<T>
    {
        for (int i = 1; i < data.Length; i++)
        {
            TItem item = data[i];
            int j = i - 1;
            while (j >= 0 && data[j].Key > item.Key)
            {
                data[j + 1] = data[j];
                j--;
            }

            data[j + 1] = item;
        }
    }
}
