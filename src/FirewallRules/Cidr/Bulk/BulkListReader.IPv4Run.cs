using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// The list reader's tightest loop: a run of common IPv4 lines (a canonical dotted quad, an optional length, <c>\n</c> or
/// <c>\r\n</c>, nothing else), read while at least <see cref="RunWindow"/> bytes are left, so that no byte needs a
/// bounds check, with the range buffer and the line count held in locals. Where the next line starts is found by looking
/// for the newline, not by reading this one to its end: each line's reading then runs beside the next's instead of
/// before it (the address, its length and its line end were one chain of dependent loads a line). It stops, without consuming it, at the first
/// line that is anything else (IPv6, a comment, an error, a line near the end of the data), which
/// <see cref="Feed"/> reads the careful way; every line it does read, it reads as <see cref="TryReadIPv4Line"/> would.
/// </summary>
internal sealed partial class BulkListReader
{
    /// <summary>
    /// The bytes the run looks at from a line's start: the newline is looked for in 32, and the longest line it reads,
    /// <c>255.255.255.255/32\r\n</c>, is 20.
    /// </summary>
    private const int RunWindow = 32;

    /// <summary>Whether the last line read the careful way was IPv4 (or none was): an IPv6 list does not try the run on every line.</summary>
    private bool _ipv4Run = true;

    /// <summary>Reads common IPv4 lines from <paramref name="position"/>; returns the position of the first line it did not read.</summary>
    private int ReadIPv4Run(ReadOnlySpan<byte> data, int position)
    {
        ref byte text = ref MemoryMarshal.GetReference(data);
        DottedQuad.Lookup tables = DottedQuad.Tables;
        AddressRange<uint>[] ranges = _reader.IPv4Ranges;
        int count = _reader.IPv4Count, first = count; // each line read adds one range
        for (int limit = data.Length - RunWindow; position <= limit;)
        {
            int newline = NextNewline(ref text, position);
            if (ReadIPv4Line(ref text, position, out uint address, out uint host, tables) < 0)
            {
                break;
            }

            if (count == ranges.Length)
            {
                _reader.IPv4Count = count;
                _reader.Grow(ref _reader.IPv4Ranges);
                ranges = _reader.IPv4Ranges;
            }

            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(ranges), count++) = new AddressRange<uint>(address, address | host); // count < ranges.Length, just checked
            position = newline + 1; // where the line read ends: a line that is read ends at its first newline
        }

        _reader.IPv4Count = count;
        _reader.Line += count - first;
        return position;
    }

    /// <summary>The position of the first newline in the <see cref="RunWindow"/> bytes from <paramref name="i"/> (past them when there is none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextNewline(ref byte text, int i)
    {
        Vector128<byte> newline = Vector128.Create((byte)'\n');
        uint low = Vector128.Equals(Vector128.LoadUnsafe(ref text, (nuint)i), newline).ExtractMostSignificantBits();
        uint high = Vector128.Equals(Vector128.LoadUnsafe(ref text, (nuint)i + 16), newline).ExtractMostSignificantBits();
        return i + BitOperations.TrailingZeroCount(low | (high << 16) | (1UL << 32));
    }

    /// <summary>One common IPv4 line at <paramref name="i"/>, its end at most 20 bytes on: the position after its newline, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadIPv4Line(ref byte text, int i, out uint address, out uint host, DottedQuad.Lookup tables)
    {
        i = DottedQuad.IsVectorised ? DottedQuad.ReadVector(ref text, i, out address, tables) : DottedQuad.ReadScalar(ref text, i, out address);
        return ReadLineEnd(ref text, i, address, out host);
    }

    /// <summary>
    /// What follows a dotted quad on a common line: an optional length, then <c>\n</c> or <c>\r\n</c>; the position after
    /// the newline, or -1 (also when <paramref name="i"/> is -1, no address).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ReadLineEnd(ref byte text, int i, uint address, out uint host)
    {
        host = 0;
        if (i < 0)
        {
            return -1;
        }

        uint length = 32;
        if (Unsafe.Add(ref text, i) == '/')
        {
            length = (uint)(Unsafe.Add(ref text, i + 1) - '0');
            uint second = (uint)(Unsafe.Add(ref text, i + 2) - '0');
            if (length > 9)
            {
                return -1;
            }

            // A zero stands alone, as in the address; a third digit is left where the line end is looked for.
            (length, i) = length != 0 && second <= 9 ? ((length * 10) + second, i + 3) : (length, i + 2);
        }

        host = (uint)(0xFFFF_FFFFUL >> (int)Math.Min(length, 33)); // a 64-bit shift: a /32 shifts every bit out
        byte end = Unsafe.Add(ref text, i);
        if (end == '\r')
        {
            end = Unsafe.Add(ref text, ++i);
        }

        return length > 32 || (address & host) != 0 || end != '\n' ? -1 : i + 1;
    }
}
