using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// The list reader's canonical IPv6 address read from a window of at least <see cref="Window"/> readable bytes: the same
/// addresses as <see cref="CommonLines.TryReadCanonicalIPv6"/>, found without a branch per digit. Three vector compares
/// find the hex digits, the colons and the zeros of 48 bytes as bit masks; the masks say where the address ends, where
/// each group starts and how long it is, whether any group is longer than four digits or starts with a zero and goes on,
/// and where "::" stands. Each group's value then comes from one four-byte load (<see cref="GroupValue"/>).
/// </summary>
/// <remarks>
/// A random IPv6 line is mostly four-digit groups: read a digit at a time it cost about 800 instructions a line, the
/// half of aggregating a million of them. Anything the masks do not accept (upper case, a dotted tail, a third colon,
/// a fifth digit, more than eight groups) returns -1 and is read the careful way, so what is read here is exactly what the
/// careful way reads.
/// </remarks>
internal static class HexGroups
{
    /// <summary>The bytes that must be readable from the address's start: three vectors, and a four-byte load from any of their bytes.</summary>
    public const int Window = 64;

    /// <summary>Whether the vector read runs here (vectors of 16 bytes in hardware); elsewhere the reader reads a digit at a time.</summary>
    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    /// <summary>
    /// Reads a canonical IPv6 address (lower case, no leading zeros, "::" where RFC 5952 puts it, all in hex) from
    /// <paramref name="i"/>: the position of the first byte after it, which the caller checks ends the address, or -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Read(ref byte text, int i, out ulong upper, out ulong lower)
    {
        (upper, lower) = (0, 0);
        (ulong hex, ulong colons, ulong zeros) = Classify(ref Unsafe.Add(ref text, i));
        int length = BitOperations.TrailingZeroCount(~(hex | colons) | (1UL << 48));
        ulong inside = (1UL << length) - 1;
        (hex, colons, zeros) = (hex & inside, colons & inside, zeros & inside);
        ulong starts = hex & ~(hex << 1), doubles = colons & (colons >> 1);
        ulong lone = colons & ~(doubles | (doubles << 1)); // a ':' that is not half of "::"
        bool bad = length is 0 or > 39
            || (doubles & (doubles - 1)) != 0 // a third colon, or a second "::"
            || (lone & (1UL | (1UL << (length - 1)))) != 0 // an address that starts or ends with one ':'
            || (hex & (hex >> 1) & (hex >> 2) & (hex >> 3) & (hex >> 4)) != 0 // a fifth digit
            || (starts & zeros & (hex >> 1)) != 0 // a group that starts with a zero and goes on
            || BitOperations.PopCount(starts) > 8;
        if (bad)
        {
            return -1;
        }

        ulong head = doubles == 0 ? starts : starts & (doubles - 1);
        int compressAt = doubles == 0 ? -1 : BitOperations.PopCount(head), count = BitOperations.PopCount(starts), zeroGroups = 0;
        (ulong headUpper, ulong headLower) = ShiftIn(ref Unsafe.Add(ref text, i), head, hex, 0, ref zeroGroups);
        (upper, lower) = ShiftIn(ref Unsafe.Add(ref text, i), starts & ~head, hex, BitOperations.PopCount(head), ref zeroGroups);
        if (compressAt < 0)
        {
            (upper, lower) = (headUpper, headLower);
            (headUpper, headLower) = (0, 0);
        }

        return CommonLines.TryCloseGap(count, compressAt, zeroGroups, headUpper, headLower, ref upper, ref lower) ? i + length : -1;
    }

    /// <summary>The hex digits (lower case), the colons and the zeros of the 48 bytes from <paramref name="text"/>, a bit a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Hex, ulong Colons, ulong Zeros) Classify(ref byte text)
    {
        (uint hex0, uint colons0, uint zeros0) = Classify(Vector128.LoadUnsafe(ref text));
        (uint hex1, uint colons1, uint zeros1) = Classify(Vector128.LoadUnsafe(ref text, 16));
        (uint hex2, uint colons2, uint zeros2) = Classify(Vector128.LoadUnsafe(ref text, 32));
        return (hex0 | ((ulong)hex1 << 16) | ((ulong)hex2 << 32), colons0 | ((ulong)colons1 << 16) | ((ulong)colons2 << 32),
            zeros0 | ((ulong)zeros1 << 16) | ((ulong)zeros2 << 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Hex, uint Colons, uint Zeros) Classify(Vector128<byte> chars)
    {
        Vector128<byte> digits = Vector128.LessThan(chars - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
        Vector128<byte> letters = Vector128.LessThan(chars - Vector128.Create((byte)'a'), Vector128.Create((byte)6));
        return ((digits | letters).ExtractMostSignificantBits(), Vector128.Equals(chars, Vector128.Create((byte)':')).ExtractMostSignificantBits(),
            Vector128.Equals(chars, Vector128.Create((byte)'0')).ExtractMostSignificantBits());
    }

    /// <summary>
    /// The groups that start at the bits of <paramref name="starts"/>, shifted into a 128-bit value in two halves in
    /// order; sets bit n of <paramref name="zeroGroups"/> for each that is zero, n counted from <paramref name="first"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Upper, ulong Lower) ShiftIn(ref byte text, ulong starts, ulong hex, int first, ref int zeroGroups)
    {
        ulong upper = 0, lower = 0;
        for (int n = first; starts != 0; n++, starts &= starts - 1)
        {
            int start = BitOperations.TrailingZeroCount(starts);
            uint group = GroupValue(ref Unsafe.Add(ref text, start), BitOperations.TrailingZeroCount(~(hex >> start)));
            upper = (upper << 16) | (lower >> 48);
            lower = (lower << 16) | group;
            zeroGroups |= (group == 0 ? 1 : 0) << n;
        }

        return (upper, lower);
    }

    /// <summary>The value of the <paramref name="digits"/> (1 to 4) lower-case hex digits at <paramref name="text"/>, from one four-byte load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint GroupValue(ref byte text, int digits)
    {
        uint bytes = Unsafe.ReadUnaligned<uint>(ref text);
        bytes = BitConverter.IsLittleEndian ? bytes : BinaryPrimitives.ReverseEndianness(bytes);
        bytes &= (uint)((1UL << (8 * digits)) - 1); // the group's digits, the first in the lowest byte
        // '0' to '9' are 0x30 to 0x39 and 'a' to 'f' 0x61 to 0x66: the low nibble, plus 9 where bit 6 (a letter) is set.
        uint nibbles = (bytes & 0x0F0F_0F0F) + (9 * ((bytes >> 6) & 0x0101_0101));
        uint swapped = BinaryPrimitives.ReverseEndianness(nibbles); // the first digit in the highest byte
        uint pairs = swapped | (swapped >> 4);
        return ((pairs & 0xFF) | ((pairs >> 8) & 0xFF00)) >> (4 * (4 - digits));
    }
}
