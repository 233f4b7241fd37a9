using System.Runtime.CompilerServices;
using FirewallRules.IO;

namespace FirewallRules.Cidr;

/// <summary>
/// Reads prefix lists (one prefix per line; blank lines, <c>#</c> comments and trailing comments allowed)
/// from UTF-8 chunks straight into numeric ranges, without a string or an <see cref="System.Net.IPAddress"/>
/// per line, line by line through the strict parser. Errors carry the line and column. The bulk path
/// (<c>Bulk/BulkListReader</c>) reads the common lines of long lists its own way into a reader of this kind and hands it
/// every other line.
/// </summary>
internal sealed class PrefixListReader
{
    /// <summary>The longest line read (1 MiB): a prefix with a comment, generously.</summary>
    internal const int MaxLineBytes = 1 << 20;

    private readonly PrefixParseOptions _options;
    private readonly int _capacityHint;
    private AddressRange<uint>[] _v4 = [];
    private readonly BlockBuffer<UInt128> _v6;
    private int _v4Count;
    private int _line;
    private bool _started;

    public PrefixListReader(PrefixParseOptions options, int capacityHint = 256)
    {
        _options = options;
        _capacityHint = Math.Max(16, capacityHint);
        _v6 = new BlockBuffer<UInt128>(_capacityHint);
    }

    /// <summary>Prefixes read so far (before aggregation).</summary>
    public int IPv4Read => _v4Count;

    /// <inheritdoc cref="IPv4Read"/>
    public int IPv6Read => _v6.Count;

    /// <summary>The IPv4 ranges read, the first <see cref="IPv4Count"/> of them (for the bulk path, which adds its own).</summary>
    internal ref AddressRange<uint>[] IPv4Ranges => ref _v4;

    /// <inheritdoc cref="IPv4Ranges"/>
    internal ref int IPv4Count => ref _v4Count;

    /// <summary>The IPv6 blocks read (IPv6 lists are long and rarely merge: a block takes 24 bytes, a range 32).</summary>
    internal BlockBuffer<UInt128> IPv6Blocks => _v6;

    /// <summary>The lines read so far (a reader of the bulk path counts the ones it reads itself here too).</summary>
    internal ref int Line => ref _line;

    /// <summary>Marks the reader as past the start of the text (a reader of the second half of a file: no byte order mark there).</summary>
    internal void SkipStart() => _started = true;

    /// <summary>
    /// Moves the <paramref name="filled"/> - <paramref name="consumed"/> bytes left over to the front of
    /// <paramref name="buffer"/>; returns how many there are.
    /// </summary>
    internal int Keep(ref byte[] buffer, int filled, int consumed)
    {
        int left = filled - consumed;
        buffer.AsSpan(consumed, left).CopyTo(buffer);
        if (left == buffer.Length)
        {
            // One line longer than the buffer (a long comment): grow rather than fail, up to a bound, so that a
            // stream without line ends (/dev/zero) is an error rather than all the memory there is.
            if (buffer.Length >= MaxLineBytes)
            {
                throw new PrefixFormatException($"a line is longer than {MaxLineBytes} bytes: this is not a prefix list", _line + 1, 0);
            }

            Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineBytes));
        }

        return left;
    }

    /// <summary>
    /// Parses the complete lines in <paramref name="data"/> and returns the bytes consumed; with
    /// <paramref name="final"/> the last line needs no newline and everything is consumed.
    /// </summary>
    /// <exception cref="PrefixFormatException">A line is not a prefix, a blank line or a comment.</exception>
    public int Feed(ReadOnlySpan<byte> data, bool final)
    {
        if (!TryStart(data, final, out int position))
        {
            return 0;
        }

        while (position < data.Length)
        {
            if (!TryReadLine(data, ref position, final))
            {
                break;
            }
        }

        return Math.Min(position, data.Length);
    }

    /// <summary>
    /// Steps over a UTF-8 byte order mark at the start of the text; <paramref name="position"/> is where the first line
    /// starts (0 after the start). False when the text is too short yet to tell.
    /// </summary>
    internal bool TryStart(ReadOnlySpan<byte> data, bool final, out int position)
    {
        position = 0;
        if (_started)
        {
            return true;
        }

        if (data.Length < 3 && !final)
        {
            return false; // too little to tell whether a byte order mark starts the text
        }

        _started = true;
        if (data.StartsWith("\uFEFF"u8))
        {
            position = 3; // a UTF-8 byte order mark is not part of the first line
        }

        return true;
    }

    /// <summary>
    /// Reads the line at <paramref name="position"/> through the strict parser and steps past it; false, consuming
    /// nothing, when the data does not end it yet (<paramref name="final"/> false and no newline).
    /// </summary>
    /// <exception cref="PrefixFormatException">The line is not a prefix, a blank line or a comment.</exception>
    internal bool TryReadLine(ReadOnlySpan<byte> data, ref int position, bool final)
    {
        int newline = data[position..].IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (!final)
            {
                return false;
            }

            newline = data.Length - position;
        }

        AddLine(data.Slice(position, newline));
        position += newline + 1;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddLine(ReadOnlySpan<byte> line)
    {
        _line++;
        int end = line.Length;
        if (end > 0 && line[end - 1] == '\r')
        {
            end--;
        }

        // Most lines are a prefix and nothing else: try that first. A blank, a comment or stray text
        // cannot parse as a prefix, so those lines still get the careful reading below.
        if (AddressText.TryParse(line[..end], _options, out ParsedPrefix parsed) == PrefixError.None)
        {
            Add(parsed);
            return;
        }

        int start = 0;
        while (start < end && IsBlank(line[start]))
        {
            start++;
        }

        if (start == end || line[start] == '#')
        {
            return;
        }

        int tokenEnd = start;
        while (tokenEnd < end && !IsBlank(line[tokenEnd]) && line[tokenEnd] != '#')
        {
            tokenEnd++;
        }

        int rest = tokenEnd;
        while (rest < end && IsBlank(line[rest]))
        {
            rest++;
        }

        if (rest < end && line[rest] != '#')
        {
            throw new PrefixFormatException(
                $"unexpected text after the prefix: \"{TerminalText.Escape(System.Text.Encoding.UTF8.GetString(line[rest..end]))}\" (one prefix per line)", _line, rest + 1);
        }

        ReadOnlySpan<byte> token = line[start..tokenEnd];
        PrefixError error = AddressText.TryParse(token, _options, out parsed);
        if (error != PrefixError.None)
        {
            throw new PrefixFormatException(AddressText.Describe(error, token, parsed), AddressText.Advise(error), _line, start + parsed.ErrorOffset + 1);
        }

        Add(parsed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(in ParsedPrefix parsed)
    {
        if (parsed.IsIPv6)
        {
            _v6.Add(new CidrBlock<UInt128>(parsed.V6, parsed.Length));
        }
        else
        {
            Append(ref _v4, ref _v4Count, new AddressRange<uint>(parsed.V4, parsed.V4 | AddressBits<uint>.HostMask(parsed.Length)));
        }
    }

    /// <summary>Adds a range to a family's buffer, growing it when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Append<T>(ref AddressRange<T>[] ranges, ref int count, AddressRange<T> range)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T>
    {
        if (count == ranges.Length)
        {
            Grow(ref ranges);
        }

        ranges[count++] = range;
    }

    /// <summary>Aggregates what was read. The reader must not be used afterwards.</summary>
    public PrefixSet ToPrefixSet()
    {
        CidrBlock<uint>[] v4 = RangeAlgebra<uint>.Collapse(_v4.AsSpan(0, _v4Count));
        _v4 = [];
        ArraySegment<CidrBlock<UInt128>> v6 = CollapseIPv6(_v6);
        return new PrefixSet(v4, v6);
    }

    /// <summary>
    /// Sorts and collapses the blocks where they were read; a short list is copied to an array of its own when most of its
    /// array would be left empty (a set may be kept long), a long one keeps its array, whose unfilled places were never touched.
    /// </summary>
    internal static ArraySegment<CidrBlock<UInt128>> CollapseIPv6(BlockBuffer<UInt128> buffer)
    {
        ArraySegment<CidrBlock<UInt128>> blocks = buffer.Blocks;
        buffer.Clear();
        return Trim(blocks[..BlockCollapse<UInt128>.SortAndCollapse(blocks)]);
    }

    /// <summary>The blocks in an array of their own when they are few (at most 4,096) and fill less than half of theirs.</summary>
    internal static ArraySegment<CidrBlock<UInt128>> Trim(ArraySegment<CidrBlock<UInt128>> blocks) =>
        blocks.Count <= 4096 && blocks.Count * 2 < blocks.Array!.Length ? blocks.ToArray() : blocks;

    // A family's first prefix sizes its buffer for the whole input: doubling up to a million
    // IPv6 ranges would copy 64 MB. Memory that the hint over-estimates is never touched.
    internal void Grow<T>(ref AddressRange<T>[] ranges)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T> =>
        Array.Resize(ref ranges, ranges.Length == 0 ? _capacityHint : ranges.Length * 2);

    private static bool IsBlank(byte c) => c is (byte)' ' or (byte)'\t';

    internal static int EstimateLines(Stream stream) => stream.CanSeek ? EstimateLines(stream.Length) : 1024;

    internal static int EstimateLines(long bytes) => (int)Math.Clamp(bytes / 14, 16, int.MaxValue / 2);

    internal static int BufferSize(Stream stream) =>
        stream.CanSeek ? (int)Math.Clamp(stream.Length + 1, 4096, 1 << 20) : 1 << 16;
}
