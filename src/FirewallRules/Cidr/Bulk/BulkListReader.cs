using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// The bulk path's list reader, for whole files and streams (<see cref="PrefixSet.Read"/>, <see cref="PrefixSet.Load"/>,
/// <c>fwrules aggregate</c>): the common line (a canonical address, an optional length, nothing else) is read in one
/// pass, a run of IPv4 lines in a tight loop, a large file in two halves on two threads, and the ranges are collapsed
/// with <see cref="BulkAlgebra{T}"/>. Every other line goes to the strict reader it fills
/// (<see cref="PrefixListReader"/>), which reads or reports it: results and errors are exactly the strict reader's.
/// </summary>
internal sealed partial class BulkListReader
{
    private readonly PrefixListReader _reader;

    public BulkListReader(PrefixParseOptions options, int capacityHint = 256) => _reader = new PrefixListReader(options, capacityHint);

    /// <inheritdoc cref="PrefixListReader.IPv4Read"/>
    public int IPv4Read => _reader.IPv4Read + (_second?._reader.IPv4Read ?? 0);

    /// <inheritdoc cref="PrefixListReader.IPv6Read"/>
    public int IPv6Read => _reader.IPv6Read + (_second?._reader.IPv6Read ?? 0);

    /// <summary>
    /// Reads a whole stream synchronously (for files and stdin in the command line tool); a file of at least
    /// <see cref="DefaultMinimumSplitBytes"/> in two halves at once when a second thread is free (<see cref="TryReadHalves"/>).
    /// </summary>
    public static BulkListReader Read(Stream stream, PrefixParseOptions options) =>
        Read(stream, options, Environment.ProcessorCount > 1 ? DefaultMinimumSplitBytes : long.MaxValue, askLoad: true);

    /// <summary>
    /// As <see cref="Read(Stream, PrefixParseOptions)"/>, reading a file of at least <paramref name="minimumSplitBytes"/> in
    /// two halves (tests lower it), when <paramref name="askLoad"/> only if <see cref="SecondThread.IsFree"/>.
    /// </summary>
    internal static BulkListReader Read(Stream stream, PrefixParseOptions options, long minimumSplitBytes, bool askLoad = false)
    {
        if (TryReadHalves(stream, options, minimumSplitBytes, askLoad) is BulkListReader halves)
        {
            return halves;
        }

        var reader = new BulkListReader(options, PrefixListReader.EstimateLines(stream));
        byte[] buffer = new byte[PrefixListReader.BufferSize(stream)];
        int filled = 0;
        while (true)
        {
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            filled = reader.Consume(ref buffer, filled + read, final: read == 0);
            if (read == 0)
            {
                return reader;
            }
        }
    }

    /// <summary>Reads a whole stream asynchronously.</summary>
    public static async Task<BulkListReader> ReadAsync(Stream stream, PrefixParseOptions options, CancellationToken cancellationToken)
    {
        var reader = new BulkListReader(options, PrefixListReader.EstimateLines(stream));
        byte[] buffer = new byte[PrefixListReader.BufferSize(stream)];
        int filled = 0;
        while (true)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            filled = reader.Consume(ref buffer, filled + read, final: read == 0);
            if (read == 0)
            {
                return reader;
            }
        }
    }

    /// <summary>Feeds the first <paramref name="filled"/> bytes of <paramref name="buffer"/>; returns how many are left over (moved to the front).</summary>
    private int Consume(ref byte[] buffer, int filled, bool final) => _reader.Keep(ref buffer, filled, Feed(buffer.AsSpan(0, filled), final));

    /// <inheritdoc cref="PrefixListReader.Feed"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Feed(ReadOnlySpan<byte> data, bool final)
    {
        if (!_reader.TryStart(data, final, out int position))
        {
            return 0;
        }

        while (position < data.Length)
        {
            if (_ipv4Run && (position = ReadIPv4Run(data, position)) >= data.Length)
            {
                break;
            }

            if (TryReadIPv4Line(data, ref position))
            {
                _ipv4Run = true;
                continue;
            }

            if (TryReadIPv6Line(data, ref position))
            {
                _ipv4Run = false;
                continue;
            }

            if (!_reader.TryReadLine(data, ref position, final))
            {
                break;
            }
        }

        return Math.Min(position, data.Length);
    }

    /// <summary>
    /// Reads the common line, a canonical IPv4 prefix or address and nothing else, ending in <c>\n</c> or
    /// <c>\r\n</c>, in one pass. Anything else (comments, spaces, host bits, any error, a line the data does
    /// not end yet) returns false without consuming, and the strict reader reads or reports it; an IPv6 line
    /// first gets <see cref="TryReadIPv6Line"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadIPv4Line(ReadOnlySpan<byte> data, ref int position)
    {
        int i = position;
        if (!CommonLines.TryReadDottedQuad(data, ref i, out uint address) || !CommonLines.TryReadLength(data, ref i, 32, out int length))
        {
            return false;
        }

        uint host = AddressBits<uint>.HostMask(length);
        if ((address & host) != 0 || !TryReadLineEnd(data, ref i))
        {
            return false;
        }

        _reader.Append(ref _reader.IPv4Ranges, ref _reader.IPv4Count, new AddressRange<uint>(address, address | host));
        position = i;
        return true;
    }

    /// <summary>As <see cref="TryReadIPv4Line"/>, for the common IPv6 line: all in hex and canonical (<see cref="CommonLines.TryReadCanonicalIPv6"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadIPv6Line(ReadOnlySpan<byte> data, ref int position)
    {
        int i = position;
        if (!TryReadIPv6Address(data, ref i, out ulong upper, out ulong lower) || !CommonLines.TryReadLength(data, ref i, 128, out int length))
        {
            return false;
        }

        (ulong upperHost, ulong lowerHost) = AddressText.IPv6HostMask(length);
        if (((upper & upperHost) | (lower & lowerHost)) != 0 || !TryReadLineEnd(data, ref i))
        {
            return false;
        }

        _reader.IPv6Blocks.Add(new CidrBlock<UInt128>(new UInt128(upper, lower), length));
        position = i;
        return true;
    }

    /// <summary>
    /// The address of the common IPv6 line: from vectors (<see cref="HexGroups"/>) where a window of
    /// <see cref="HexGroups.Window"/> bytes is left, otherwise a digit at a time (<see cref="CommonLines.TryReadCanonicalIPv6"/>); the same either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadIPv6Address(ReadOnlySpan<byte> data, ref int i, out ulong upper, out ulong lower)
    {
        if (!HexGroups.IsAccelerated || data.Length - i < HexGroups.Window)
        {
            return CommonLines.TryReadCanonicalIPv6(data, ref i, out upper, out lower);
        }

        int end = HexGroups.Read(ref MemoryMarshal.GetReference(data), i, out upper, out lower);
        i = end < 0 ? i : end;
        return end >= 0;
    }

    /// <summary>
    /// Steps over <c>\n</c> or <c>\r\n</c> at <paramref name="i"/> and counts the line (so it comes last of a fast path's checks); false if the line
    /// does not end there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadLineEnd(ReadOnlySpan<byte> data, ref int i)
    {
        int end = i < data.Length && data[i] == '\r' ? i + 1 : i;
        if (end >= data.Length || data[end] != '\n')
        {
            return false;
        }

        _reader.Line++;
        i = end + 1;
        return true;
    }

    /// <summary>Aggregates what was read. The reader must not be used afterwards.</summary>
    public PrefixSet ToPrefixSet()
    {
        if (_second is not null)
        {
            return HalvesToPrefixSet();
        }

        CidrBlock<uint>[] v4 = BulkAlgebra<uint>.Collapse(_reader.IPv4Ranges.AsSpan(0, _reader.IPv4Count));
        _reader.IPv4Ranges = [];
        return new PrefixSet(v4, PrefixListReader.CollapseIPv6(_reader.IPv6Blocks));
    }
}
