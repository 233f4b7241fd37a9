using System.Runtime.CompilerServices;
using FirewallRules.IO;

namespace FirewallRules.Cidr;

/// <summary>
/// Reads prefix lists (one prefix per line; blank lines, <c>#</c> comments and trailing comments allowed)
/// from UTF-8 chunks straight into numeric ranges, without a string or an <see cref="System.Net.IPAddress"/>
/// per line. Errors carry the line and column.
/// </summary>
internal sealed partial class PrefixListReader
{
    /// <summary>The longest line read (1 MiB): a prefix with a comment, generously.</summary>
    internal const int MaxLineBytes = 1 << 20;

    private readonly PrefixParseOptions _options;
    private readonly int _capacityHint;
    private AddressRange<uint>[] _v4 = [];
    private AddressRange<UInt128>[] _v6 = [];
    private int _v4Count;
    private int _v6Count;
    private int _line;
    private bool _started;

    public PrefixListReader(PrefixParseOptions options, int capacityHint = 256)
    {
        _options = options;
        _capacityHint = Math.Max(16, capacityHint);
    }

    /// <summary>Prefixes read so far (before aggregation).</summary>
    public int IPv4Read => _v4Count + (_second?._v4Count ?? 0);

    /// <inheritdoc cref="IPv4Read"/>
    public int IPv6Read => _v6Count + (_second?._v6Count ?? 0);

    /// <summary>
    /// Reads a whole stream synchronously (for files and stdin in the command line tool); a file of at least
    /// <see cref="DefaultMinimumSplitBytes"/> on a machine with two cores or more in two halves at once (<see cref="TryReadHalves"/>).
    /// </summary>
    public static PrefixListReader Read(Stream stream, PrefixParseOptions options) =>
        Read(stream, options, Environment.ProcessorCount > 1 ? DefaultMinimumSplitBytes : long.MaxValue);

    /// <summary>As <see cref="Read(Stream, PrefixParseOptions)"/>, reading a file of at least <paramref name="minimumSplitBytes"/> in two halves (tests lower it).</summary>
    internal static PrefixListReader Read(Stream stream, PrefixParseOptions options, long minimumSplitBytes)
    {
        if (TryReadHalves(stream, options, minimumSplitBytes) is PrefixListReader halves)
        {
            return halves;
        }

        var reader = new PrefixListReader(options, EstimateLines(stream));
        byte[] buffer = new byte[BufferSize(stream)];
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
    public static async Task<PrefixListReader> ReadAsync(Stream stream, PrefixParseOptions options, CancellationToken cancellationToken)
    {
        var reader = new PrefixListReader(options, EstimateLines(stream));
        byte[] buffer = new byte[BufferSize(stream)];
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
    private int Consume(ref byte[] buffer, int filled, bool final)
    {
        int consumed = Feed(buffer.AsSpan(0, filled), final);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Feed(ReadOnlySpan<byte> data, bool final)
    {
        int position = 0;
        if (!_started)
        {
            if (data.Length < 3 && !final)
            {
                return 0; // too little to tell whether a byte order mark starts the text
            }

            _started = true;
            if (data.StartsWith("\uFEFF"u8))
            {
                position = 3; // a UTF-8 byte order mark is not part of the first line
            }
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

            int newline = data[position..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (!final)
                {
                    break;
                }

                newline = data.Length - position;
            }

            AddLine(data.Slice(position, newline));
            position += newline + 1;
        }

        return Math.Min(position, data.Length);
    }

    /// <summary>
    /// Reads the common line, a canonical IPv4 prefix or address and nothing else, ending in <c>\n</c> or
    /// <c>\r\n</c>, in one pass. Anything else (comments, spaces, host bits, any error, a line the data does
    /// not end yet) returns false without consuming, and <see cref="AddLine"/> reads or reports it; an IPv6 line
    /// first gets <see cref="TryReadIPv6Line"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadIPv4Line(ReadOnlySpan<byte> data, ref int position)
    {
        int i = position;
        if (!AddressText.TryReadDottedQuad(data, ref i, out uint address) || !AddressText.TryReadLength(data, ref i, 32, out int length))
        {
            return false;
        }

        uint host = AddressBits<uint>.HostMask(length);
        if ((address & host) != 0 || !TryReadLineEnd(data, ref i))
        {
            return false;
        }

        Append(ref _v4, ref _v4Count, new AddressRange<uint>(address, address | host));
        position = i;
        return true;
    }

    /// <summary>As <see cref="TryReadIPv4Line"/>, for the common IPv6 line: all in hex and canonical (<see cref="AddressText.TryReadCanonicalIPv6"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadIPv6Line(ReadOnlySpan<byte> data, ref int position)
    {
        int i = position;
        if (!AddressText.TryReadCanonicalIPv6(data, ref i, out ulong upper, out ulong lower) || !AddressText.TryReadLength(data, ref i, 128, out int length))
        {
            return false;
        }

        (ulong upperHost, ulong lowerHost) = AddressText.IPv6HostMask(length);
        if (((upper & upperHost) | (lower & lowerHost)) != 0 || !TryReadLineEnd(data, ref i))
        {
            return false;
        }

        Append(ref _v6, ref _v6Count, new AddressRange<UInt128>(new UInt128(upper, lower), new UInt128(upper | upperHost, lower | lowerHost)));
        position = i;
        return true;
    }

    /// <summary>Steps over <c>\n</c> or <c>\r\n</c> at <paramref name="i"/> and counts the line (so it comes last of a fast path's checks); false if the line does not end there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadLineEnd(ReadOnlySpan<byte> data, ref int i)
    {
        int end = i < data.Length && data[i] == '\r' ? i + 1 : i;
        if (end >= data.Length || data[end] != '\n')
        {
            return false;
        }

        _line++;
        i = end + 1;
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
            (ulong upperHost, ulong lowerHost) = AddressText.IPv6HostMask(parsed.Length);
            Append(ref _v6, ref _v6Count, new AddressRange<UInt128>(parsed.V6, new UInt128(parsed.V6Upper | upperHost, parsed.V6Lower | lowerHost)));
        }
        else
        {
            Append(ref _v4, ref _v4Count, new AddressRange<uint>(parsed.V4, parsed.V4 | AddressBits<uint>.HostMask(parsed.Length)));
        }
    }

    /// <summary>Adds a range to a family's buffer, growing it when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append<T>(ref AddressRange<T>[] ranges, ref int count, AddressRange<T> range)
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
        if (_second is not null)
        {
            return HalvesToPrefixSet();
        }

        CidrBlock<uint>[] v4 = RangeAlgebra<uint>.Collapse(_v4.AsSpan(0, _v4Count));
        _v4 = [];
        CidrBlock<UInt128>[] v6 = RangeAlgebra<UInt128>.Collapse(_v6.AsSpan(0, _v6Count));
        _v6 = [];
        return new PrefixSet(v4, v6);
    }

    // A family's first prefix sizes its buffer for the whole input: doubling up to a million
    // IPv6 ranges would copy 64 MB. Memory that the hint over-estimates is never touched.
    private void Grow<T>(ref AddressRange<T>[] ranges)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T> =>
        Array.Resize(ref ranges, ranges.Length == 0 ? _capacityHint : ranges.Length * 2);

    private static bool IsBlank(byte c) => c is (byte)' ' or (byte)'\t';

    private static int EstimateLines(Stream stream) => stream.CanSeek ? EstimateLines(stream.Length) : 1024;

    private static int EstimateLines(long bytes) => (int)Math.Clamp(bytes / 14, 16, int.MaxValue / 2);

    private static int BufferSize(Stream stream) =>
        stream.CanSeek ? (int)Math.Clamp(stream.Length + 1, 4096, 1 << 20) : 1 << 16;
}
