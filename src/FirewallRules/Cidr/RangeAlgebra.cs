using System.Numerics;
using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>
/// The exact core of the engine: ranges in, minimal prefix blocks out. Everything works on sorted,
/// disjoint, non-adjacent ("merged") ranges, because those describe an address set uniquely.
/// </summary>
internal static partial class RangeAlgebra<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>Sorts, merges and decomposes <paramref name="ranges"/> into the minimal sorted list of blocks covering them.</summary>
    /// <remarks><paramref name="ranges"/> is overwritten.</remarks>
    public static CidrBlock<T>[] Collapse(Span<AddressRange<T>> ranges)
    {
        if (ranges.IsEmpty)
        {
            return []; // an absent family is not sorted, which would compile the sorter for nothing
        }

        return ToBlocks(ranges[..SortAndMerge(ranges)]);
    }

    /// <summary>Sorts <paramref name="ranges"/> and merges them in place; returns how many merged ranges lead the span.</summary>
    public static int SortAndMerge(Span<AddressRange<T>> ranges)
    {
        if (ranges.IsEmpty)
        {
            return 0;
        }

        RadixSorter<T>.Sort(ranges);
        return MergeSorted(ranges);
    }

    /// <summary>
    /// The minimal sorted list of blocks covering two lists of merged ranges (each as <see cref="MergeSorted"/> leaves
    /// it), such as the two halves of a file read on two threads: merged on the fly, with no third list of ranges.
    /// </summary>
    public static CidrBlock<T>[] ToBlocks(ReadOnlySpan<AddressRange<T>> left, ReadOnlySpan<AddressRange<T>> right)
    {
        if (left.IsEmpty || right.IsEmpty)
        {
            return ToBlocks(left.IsEmpty ? right : left);
        }

        return DecomposeUnion(left, right, out _); // written into an array of exactly the count
    }

    /// <summary>
    /// As <see cref="Decompose"/>, for the union of two lists of merged ranges (not both empty), taken in order of start,
    /// in one pass: counted first, then written into an array of exactly that length (<paramref name="count"/> long), so
    /// that a long list's blocks are never held twice.
    /// </summary>
    internal static CidrBlock<T>[] DecomposeUnion(ReadOnlySpan<AddressRange<T>> left, ReadOnlySpan<AddressRange<T>> right, out int count)
    {
        CidrBlock<T>[] blocks = GC.AllocateUninitializedArray<CidrBlock<T>>(UnionBlocks(left, right, []));
        count = UnionBlocks(left, right, blocks);
        return blocks;
    }

    /// <summary>
    /// Writes the blocks of the union of two lists of merged ranges (not both empty) to <paramref name="blocks"/>, unless it
    /// is empty; returns how many there are (one loop for counting and writing, as <see cref="Decompose"/>).
    /// </summary>
    internal static int UnionBlocks(ReadOnlySpan<AddressRange<T>> left, ReadOnlySpan<AddressRange<T>> right, Span<CidrBlock<T>> blocks)
    {
        int count = 0, l = 0, r = 0;
        AddressRange<T> first = right.IsEmpty || (!left.IsEmpty && left[0].Start <= right[0].Start) ? left[l++] : right[r++];
        T start = first.Start, end = first.End;
        while (l < left.Length && r < right.Length && end != T.AllBitsSet)
        {
            // Which list comes next is chosen without a branch: the two halves' ranges interleave at random.
            AddressRange<T> a = left[l], b = right[r];
            uint fromLeft = a.Start <= b.Start ? 1u : 0u;
            l += (int)fromLeft;
            r += (int)(fromLeft ^ 1);
            T nextStart = Pick(fromLeft, a.Start, b.Start);
            if (nextStart > end + T.One)
            {
                count = DecomposeOne(new AddressRange<T>(start, end), blocks, count);
                start = nextStart;
            }

            end = T.Max(end, Pick(fromLeft, a.End, b.End)); // a range that does not join ends after the current one
        }

        foreach (AddressRange<T> next in l < left.Length ? left[l..] : right[r..])
        {
            if (end == T.AllBitsSet)
            {
                break; // the current range reaches the top of the space: it holds everything that follows
            }

            if (next.Start > end + T.One)
            {
                count = DecomposeOne(new AddressRange<T>(start, end), blocks, count);
                start = next.Start;
            }

            end = T.Max(end, next.End);
        }

        return DecomposeOne(new AddressRange<T>(start, end), blocks, count);
    }

    /// <summary>
    /// <paramref name="ifOne"/> when <paramref name="bit"/> is 1, <paramref name="ifZero"/> when it is 0, chosen with a
    /// mask: the compiler keeps branches for conditional moves in loops, and in these loops the choice is a coin toss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Pick(uint bit, T ifOne, T ifZero)
    {
        T mask = T.Zero - T.CreateTruncating(bit);
        return (ifOne & mask) | (ifZero & ~mask);
    }

    /// <summary>
    /// Writes the blocks of each of <paramref name="merged"/> from <paramref name="count"/> on, growing <paramref name="blocks"/> as needed;
    /// returns the count after them.
    /// </summary>
    internal static int EmitAll(ReadOnlySpan<AddressRange<T>> merged, ref CidrBlock<T>[] blocks, int count)
    {
        foreach (AddressRange<T> range in merged)
        {
            count = Emit(range, ref blocks, count);
        }

        return count;
    }

    /// <summary>Writes the blocks of one merged range from <paramref name="count"/> on, growing <paramref name="blocks"/> first when it may not hold them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Emit(AddressRange<T> range, ref CidrBlock<T>[] blocks, int count)
    {
        if (blocks.Length - count < MaxBlocksPerRange)
        {
            Array.Resize(ref blocks, (blocks.Length * 2) + MaxBlocksPerRange);
        }

        return DecomposeOne(range, blocks, count);
    }

    /// <summary>More than the blocks one range decomposes into: at most two of each length.</summary>
    internal static int MaxBlocksPerRange => 2 * AddressBits<T>.Width;

    /// <summary>Merges overlapping and adjacent ranges of a start-sorted span in place; returns how many remain.</summary>
    /// <remarks>
    /// Whether the next range joins the current one is a coin toss in a list of neighbouring prefixes, so the loop has no
    /// branch on it: the current range is written every time and the write position only moves on when a range does not
    /// join. The bulk path merges IPv4 ranges in vector registers instead, where the compiler cannot turn the choices
    /// back into branches.
    /// </remarks>
    public static int MergeSorted(Span<AddressRange<T>> sorted)
    {
        if (sorted.IsEmpty)
        {
            return 0;
        }

        // The current range in two locals rather than a struct, which would live in memory: writing its halves and
        // reading it whole stalls every line.
        int write = 0;
        T start = sorted[0].Start, end = sorted[0].End;
        for (int i = 1; i < sorted.Length; i++)
        {
            if (end == T.AllBitsSet)
            {
                break; // the current range reaches the top of the space: it holds everything that follows
            }

            AddressRange<T> next = sorted[i];
            sorted[write] = new AddressRange<T>(start, end); // write < i: nothing unread is overwritten
            uint joins = next.Start <= end + T.One ? 1u : 0u;
            write += (int)(joins ^ 1);
            start = Pick(joins, start, next.Start);
            end = Pick(next.End > end ? 1u : 0u, next.End, end); // a range that does not join ends later
        }

        sorted[write++] = new AddressRange<T>(start, end);
        return write;
    }

    /// <summary>
    /// Decomposes merged ranges into blocks, each as large as alignment allows. Greedy largest-aligned
    /// blocks are the minimal prefix cover of a range, and merged ranges never share a block.
    /// </summary>
    public static CidrBlock<T>[] ToBlocks(ReadOnlySpan<AddressRange<T>> merged)
    {
        var blocks = new CidrBlock<T>[Decompose(merged, [])];
        Decompose(merged, blocks);
        return blocks;
    }

    /// <summary>Writes the blocks of <paramref name="merged"/> to <paramref name="blocks"/>, unless it is empty; returns how many there are.</summary>
    /// <remarks>One method for counting and writing: the two passes need the same loop, compiled once.</remarks>
    private static int Decompose(ReadOnlySpan<AddressRange<T>> merged, Span<CidrBlock<T>> blocks)
    {
        int count = 0;
        foreach (AddressRange<T> range in merged)
        {
            count = DecomposeOne(range, blocks, count);
        }

        return count;
    }

    /// <summary>Writes the blocks of one merged range from <paramref name="count"/> on, unless <paramref name="blocks"/> is empty; returns the count after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int DecomposeOne(AddressRange<T> range, Span<CidrBlock<T>> blocks, int count)
    {
        bool write = !blocks.IsEmpty;
        if (IsOneBlock(range, out int blockLength))
        {
            if (write)
            {
                blocks[count] = new CidrBlock<T>(range.Start, blockLength);
            }

            return count + 1;
        }

        T start = range.Start;
        while (true)
        {
            int length = AddressBits<T>.LargestBlockLength(start, range.End);
            if (write)
            {
                blocks[count] = new CidrBlock<T>(start, length);
            }

            count++;
            T last = start | AddressBits<T>.HostMask(length);
            if (last == range.End)
            {
                return count;
            }

            start = last + T.One;
        }
    }

    /// <summary>
    /// Whether the range is exactly one aligned block, and its prefix length: the usual case, since most
    /// prefixes merge with nothing. Answered with a few bit operations, without the search for the
    /// largest block, whose branches on 128-bit values mispredict on a random mix of lengths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsOneBlock(AddressRange<T> range, out int length)
    {
        T span = range.End - range.Start; // a block spans 2^k - 1: low bits all set (all of them for the whole space)
        length = AddressBits<T>.Width - int.CreateTruncating(T.PopCount(span));
        return (span & (span + T.One)) == T.Zero && (range.Start & span) == T.Zero;
    }
}
