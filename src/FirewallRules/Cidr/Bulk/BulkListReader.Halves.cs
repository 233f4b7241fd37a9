using Microsoft.Win32.SafeHandles;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// A large file read in two halves on two threads: the second half starts at the first line after the middle, each half
/// is parsed by its own thread. IPv4 ranges are split by first octet by that thread, sorted and merged octet by octet
/// across both halves (the octets below the middle and from it on two threads), and the two merged lists become blocks in
/// one pass, itself shared by two threads when a second is free (<see cref="BulkAlgebra{T}.ToBlocksOnTwoThreads"/>); IPv6
/// blocks are read into one array both halves share, and sorted and collapsed there (<see cref="BulkAlgebra{T}.SortAndCollapse"/>). The result,
/// and any error with its line and column, is exactly what one reader from the start would give: a bad line in the first
/// half is reported before any in the second, whose line numbers continue from the first half's.
/// </summary>
internal sealed partial class BulkListReader
{
    /// <summary>The smallest file read in two halves (1 MiB, about 60,000 lines): below it a second thread saves too little.</summary>
    internal const long DefaultMinimumSplitBytes = 1 << 20;

    /// <summary>How far past the middle the start of a line is looked for: a longer line is read as one reader would.</summary>
    private const int SplitSearchBytes = 1 << 16;

    /// <summary>The second half's reader when this one read the first half; both hold sorted, merged ranges then.</summary>
    private BulkListReader? _second;

    private int _v4Merged;

    /// <summary>Where each first octet's IPv4 ranges start, once split (<see cref="SortAndMerge"/>) and before they are merged.</summary>
    private int[]? _v4Offsets;

    /// <summary>
    /// Reads a seekable file of at least <paramref name="minimumSplitBytes"/> in two halves at once; null for any other
    /// stream, or a file with no line start near its middle, which the caller reads from the start.
    /// </summary>
    internal static BulkListReader? TryReadHalves(Stream stream, PrefixParseOptions options, long minimumSplitBytes, bool askLoad = false)
    {
        if (stream is not FileStream { CanSeek: true } file || file.Length - file.Position < Math.Max(minimumSplitBytes, 2)
            || (askLoad && !SecondThread.IsFree))
        {
            return null;
        }

        SafeFileHandle handle = file.SafeFileHandle;
        long start = file.Position, end = file.Length;
        long split = LineStartAfter(handle, start + ((end - start) / 2), end);
        if (split < 0)
        {
            return null;
        }

        var first = new BulkListReader(options, PrefixListReader.EstimateLines(split - start));
        var second = new BulkListReader(options, PrefixListReader.EstimateLines(end - split));
        second._reader.SkipStart();
        var ipv6 = new SharedBlocks<UInt128>(PrefixListReader.EstimateLines(split - start), PrefixListReader.EstimateLines(end - split));
        first._reader.IPv6Blocks.Share(ipv6, downward: true);
        second._reader.IPv6Blocks.Share(ipv6, downward: false);
        PrefixFormatException? secondFailure = null;
        SecondThread.Run(
            () =>
            {
                try
                {
                    second.ReadRange(handle, split, end);
                    second.SortAndMerge();
                }
                catch (PrefixFormatException ex)
                {
                    secondFailure = ex; // reported only when the first half has no error: that one comes first in the file
                }
            },
            () =>
            {
                first.ReadRange(handle, start, split);
                first.SortAndMerge();
            });

        if (secondFailure is not null)
        {
            throw ContinueLines(secondFailure, first._reader.Line);
        }

        file.Position = end;
        first._second = second;
        return first;
    }

    /// <summary>The offset of the first line that starts after <paramref name="middle"/>, or -1 when none does within <see cref="SplitSearchBytes"/> or before the end.</summary>
    private static long LineStartAfter(SafeFileHandle file, long middle, long end)
    {
        byte[] window = new byte[(int)Math.Min(SplitSearchBytes, end - middle)];
        int read = RandomAccess.Read(file, window, middle);
        int newline = window.AsSpan(0, read).IndexOf((byte)'\n');
        return newline < 0 || middle + newline + 1 >= end ? -1 : middle + newline + 1;
    }

    /// <summary>Reads the bytes from <paramref name="start"/> to <paramref name="end"/> of a file as a whole list.</summary>
    private void ReadRange(SafeFileHandle file, long start, long end)
    {
        // 128 KiB at a time: the read lands in a buffer that stays in the core's cache for the parse.
        byte[] buffer = new byte[(int)Math.Clamp(end - start + 1, 4096, 1 << 17)];
        int filled = 0;
        for (long offset = start; ;)
        {
            int read = offset < end ? RandomAccess.Read(file, buffer.AsSpan(filled, (int)Math.Min(buffer.Length - filled, end - offset)), offset) : 0;
            offset += read;
            filled = Consume(ref buffer, filled + read, final: read == 0);
            if (read == 0)
            {
                return;
            }
        }
    }

    /// <summary>The same error, at its line counted from the start of the file: after the <paramref name="linesBefore"/> lines of the first half.</summary>
    private static PrefixFormatException ContinueLines(PrefixFormatException error, int linesBefore) =>
        new(error.Reason, error.Advice, error.Line + linesBefore, error.Column);

    /// <summary>
    /// On the thread that read them, splits the IPv4 ranges by first octet, to be sorted and merged with the other half's
    /// octet by octet (<see cref="MergeSplitHalves"/>); without vectors, sorts and merges them in place. The IPv6 blocks of
    /// both halves are sorted together, where they lie (<see cref="HalvesToPrefixSet"/>).
    /// </summary>
    private void SortAndMerge()
    {
        Span<AddressRange<uint>> ranges = _reader.IPv4Ranges.AsSpan(0, _reader.IPv4Count);
        if (VectorMerge.IsAccelerated)
        {
            _v4Offsets = DenseBuckets.Split(ranges);
        }
        else
        {
            _v4Merged = BulkAlgebra<uint>.SortAndMerge(ranges);
        }
    }

    /// <summary>
    /// Sorts and merges the IPv4 ranges of both halves, split by first octet, octet by octet across both
    /// (<see cref="DenseBuckets.SortAndMergeBoth"/>): the octets below the middle and those from it on two threads when
    /// <paramref name="twoThreads"/>, each half's two parts then joined.
    /// </summary>
    private void MergeSplitHalves(bool twoThreads)
    {
        BulkListReader second = _second!;
        AddressRange<uint>[] left = _reader.IPv4Ranges, right = second._reader.IPv4Ranges;
        int[] leftOffsets = _v4Offsets!, rightOffsets = second._v4Offsets!;
        bool split = twoThreads && leftOffsets[256] + rightOffsets[256] >= BulkAlgebra<uint>.TwoThreadMinimum;
        int middle = split ? DenseBuckets.Middle(leftOffsets, rightOffsets) : 256;
        (int Left, int Right) low = (0, 0), high = (0, 0);
        if (split)
        {
            SecondThread.Run(
                () => high = DenseBuckets.SortAndMergeBoth(left, leftOffsets, right, rightOffsets, middle, 256),
                () => low = DenseBuckets.SortAndMergeBoth(left, leftOffsets, right, rightOffsets, 0, middle));
        }
        else
        {
            low = DenseBuckets.SortAndMergeBoth(left, leftOffsets, right, rightOffsets, 0, 256);
        }

        _v4Merged = DenseBuckets.JoinParts(left, low.Left, leftOffsets[middle], high.Left);
        second._v4Merged = DenseBuckets.JoinParts(right, low.Right, rightOffsets[middle], high.Right);
    }

    /// <summary>The blocks of both halves' merged ranges, on two threads when a second is free (<see cref="SecondThread.IsFree"/>).</summary>
    private PrefixSet HalvesToPrefixSet()
    {
        PrefixListReader first = _reader, second = _second!._reader;
        bool twoThreads = SecondThread.IsFree;
        if (_v4Offsets is not null)
        {
            MergeSplitHalves(twoThreads);
        }

        CidrBlock<uint>[] v4 = ToBlocks<uint>(first.IPv4Ranges.AsMemory(0, _v4Merged), second.IPv4Ranges.AsMemory(0, _second._v4Merged), twoThreads);
        (first.IPv4Ranges, second.IPv4Ranges) = ([], []);
        ArraySegment<CidrBlock<UInt128>> v6 = BulkAlgebra<UInt128>.Join(first.IPv6Blocks, second.IPv6Blocks);
        int count = v6.Count == 0 ? 0 : BulkAlgebra<UInt128>.SortAndCollapse(v6, twoThreads);
        return new PrefixSet(v4, PrefixListReader.Trim(v6[..count]));
    }

    private static CidrBlock<T>[] ToBlocks<T>(ReadOnlyMemory<AddressRange<T>> left, ReadOnlyMemory<AddressRange<T>> right, bool twoThreads)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T> =>
        twoThreads ? BulkAlgebra<T>.ToBlocksOnTwoThreads(left, right) : BulkAlgebra<T>.ToBlocks(left.Span, right.Span);
}
