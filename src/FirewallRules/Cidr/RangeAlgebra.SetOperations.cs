namespace FirewallRules.Cidr;

/// <summary>Set operations on sorted, disjoint blocks: union, intersection, difference, look-up and counting, through merged ranges.</summary>
internal static partial class RangeAlgebra<T>
{
    /// <summary>Turns sorted disjoint blocks back into merged ranges (adjacent blocks join).</summary>
    public static AddressRange<T>[] ToRanges(ReadOnlySpan<CidrBlock<T>> blocks)
    {
        var ranges = new AddressRange<T>[blocks.Length];
        int write = 0;
        foreach (CidrBlock<T> block in blocks)
        {
            T last = block.Last;
            if (write > 0 && ranges[write - 1].End != T.AllBitsSet && ranges[write - 1].End + T.One == block.Address)
            {
                ranges[write - 1].End = last;
            }
            else
            {
                ranges[write++] = new AddressRange<T>(block.Address, last);
            }
        }

        return ranges[..write];
    }

    public static CidrBlock<T>[] Union(ReadOnlySpan<CidrBlock<T>> left, ReadOnlySpan<CidrBlock<T>> right)
    {
        if (left.IsEmpty)
        {
            return right.ToArray();
        }

        if (right.IsEmpty)
        {
            return left.ToArray();
        }

        // Both as merged ranges, whose union the list reader's two halves take too.
        return ToBlocks(ToRanges(left), ToRanges(right));
    }

    public static CidrBlock<T>[] Intersect(ReadOnlySpan<CidrBlock<T>> left, ReadOnlySpan<CidrBlock<T>> right)
    {
        AddressRange<T>[] a = ToRanges(left), b = ToRanges(right);
        var result = new List<AddressRange<T>>();
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            T start = T.Max(a[i].Start, b[j].Start);
            T end = T.Min(a[i].End, b[j].End);
            if (start <= end)
            {
                result.Add(new AddressRange<T>(start, end));
            }

            // Advance whichever range ends first; the other may still overlap the next one.
            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return ToBlocks(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result));
    }

    public static CidrBlock<T>[] Except(ReadOnlySpan<CidrBlock<T>> left, ReadOnlySpan<CidrBlock<T>> right)
    {
        AddressRange<T>[] a = ToRanges(left), b = ToRanges(right);
        var result = new List<AddressRange<T>>();
        int j = 0;
        foreach (AddressRange<T> range in a)
        {
            T start = range.Start;
            bool exhausted = false;
            // Skip subtrahends that end before this range starts.
            while (j < b.Length && b[j].End < start)
            {
                j++;
            }

            int k = j;
            while (k < b.Length && b[k].Start <= range.End)
            {
                if (b[k].Start > start)
                {
                    result.Add(new AddressRange<T>(start, b[k].Start - T.One));
                }

                if (b[k].End >= range.End)
                {
                    exhausted = true;
                    break;
                }

                start = b[k].End + T.One;
                k++;
            }

            if (!exhausted)
            {
                result.Add(new AddressRange<T>(start, range.End));
            }
        }

        return ToBlocks(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result));
    }

    /// <summary>Index of the block containing <paramref name="address"/>, or -1; blocks must be sorted and disjoint.</summary>
    public static int IndexOf(ReadOnlySpan<CidrBlock<T>> blocks, T address)
    {
        int lo = 0, hi = blocks.Length - 1, candidate = -1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (blocks[mid].Address <= address)
            {
                candidate = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return candidate >= 0 && address <= blocks[candidate].Last ? candidate : -1;
    }

    /// <summary>Whether every address of <paramref name="block"/> is in <paramref name="blocks"/>, a set's minimal cover.</summary>
    /// <remarks>
    /// A block the set covers lies within one block of its minimal cover: the cover's blocks are the largest aligned
    /// blocks inside the set's ranges, and two aligned blocks are nested or apart. So one look-up answers.
    /// </remarks>
    public static bool Covers(ReadOnlySpan<CidrBlock<T>> blocks, CidrBlock<T> block)
    {
        int index = IndexOf(blocks, block.Address);
        return index >= 0 && block.Last <= blocks[index].Last;
    }

    /// <summary>Total addresses in disjoint blocks.</summary>
    /// <exception cref="OverflowException">The blocks cover the whole IPv6 space: 2^128 addresses do not fit in <see cref="UInt128"/>.</exception>
    /// <remarks>
    /// Counted by length, then summed once per length: 128-bit arithmetic is a call per operation, and a million blocks
    /// of a few lengths need a million increments and a few sums.
    /// </remarks>
    public static UInt128 CountAddresses(ReadOnlySpan<CidrBlock<T>> blocks)
    {
        Span<int> blocksOfLength = stackalloc int[AddressBits<T>.Width + 1]; // zeroed: the project does not skip locals' initialisation
        foreach (CidrBlock<T> block in blocks)
        {
            blocksOfLength[block.Length]++;
        }

        UInt128 total = UInt128.Zero;
        for (int length = 0; length < blocksOfLength.Length; length++)
        {
            if (blocksOfLength[length] > 0)
            {
                UInt128 size = checked(UInt128.CreateTruncating(AddressBits<T>.SizeMinusOne(length)) + UInt128.One);
                total = checked(total + ((UInt128)blocksOfLength[length] * size));
            }
        }

        return total;
    }
}
