using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FirewallRules.Cidr;

/// <summary>
/// The list reader's two ways to read a canonical dotted quad (four decimal octets, none above 255, no leading zero) at
/// the start of a line with at least 16 bytes after it: sixteen bytes at once where the processor can shuffle bytes
/// (<see cref="ReadVector"/>), one byte at a time elsewhere (<see cref="ReadScalar"/>). Both return the position after
/// the address's last digit, or -1; a line the one accepts, with the same length and line end after it, the other
/// accepts with the same address.
/// </summary>
/// <remarks>
/// Octets of one to three digits make a branch per digit that a list of mixed addresses mispredicts several times a line,
/// which was most of the reader's time (issue 32). The vector way has one well-predicted branch: it finds the dots and the
/// digits as bit masks, takes the four octets' digit counts from where the dots stand, and with those picks one of the
/// 81 shuffles that line the digits up as hundreds, tens and units for two multiply-adds.
/// </remarks>
internal static class DottedQuad
{
    /// <summary>Whether <see cref="ReadVector"/> runs here (x86 with SSSE3; other processors read a byte at a time).</summary>
    public static bool IsVectorised => Ssse3.IsSupported;

    /// <summary>
    /// For each digit count of the four octets (two bits each, count − 1, first octet lowest), the shuffle that puts
    /// octet k's hundreds, tens and units in bytes 4k to 4k + 2 (a missing digit, and byte 4k + 3, as zero).
    /// </summary>
    private static readonly byte[] Shuffles = BuildShuffles();

    /// <summary>
    /// Reads a dotted quad from the 16 bytes at <paramref name="i"/>, all of which must be readable: the position after
    /// it, or -1 when those bytes do not start with one (the address then goes on, or is not one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadVector(ref byte text, int i, out uint address)
    {
        Vector128<byte> chars = Vector128.LoadUnsafe(ref text, (nuint)i);
        Vector128<byte> values = chars - Vector128.Create((byte)'0');
        uint digits = Vector128.LessThan(values, Vector128.Create((byte)10)).ExtractMostSignificantBits();
        uint dots = Vector128.Equals(chars, Vector128.Create((byte)'.')).ExtractMostSignificantBits();
        uint zeros = Vector128.Equals(values, Vector128<byte>.Zero).ExtractMostSignificantBits();

        // The address is the digits and dots from the start (all sixteen bytes would be one too long to be one).
        int length = BitOperations.TrailingZeroCount(~(digits | dots));
        uint inside = dots & ((1u << length) - 1);
        int first = BitOperations.TrailingZeroCount(inside);
        inside &= inside - 1;
        int second = BitOperations.TrailingZeroCount(inside);
        inside &= inside - 1;
        int third = BitOperations.TrailingZeroCount(inside);
        inside &= inside - 1;

        // Three dots and four octets of one to three digits (a missing dot counts as at 32, which makes a count too
        // large), and no octet that starts with a zero and goes on.
        uint counts = (uint)(first - 1) | ((uint)(second - first - 2) << 2) | ((uint)(third - second - 2) << 4) | ((uint)(length - third - 2) << 6);
        uint starts = 1u | ((dots & ((1u << length) - 1)) << 1);
        bool wrong = (inside | (starts & zeros & (digits >> 1))) != 0
            | (uint)(first - 1) > 2 | (uint)(second - first - 2) > 2 | (uint)(third - second - 2) > 2 | (uint)(length - third - 2) > 2;
        if (wrong)
        {
            address = 0;
            return -1;
        }

        Vector128<byte> shuffle = Vector128.LoadUnsafe(ref Shuffles[0], (nuint)(counts * 16));
        Vector128<byte> lined = Ssse3.Shuffle(values, shuffle);
        Vector128<short> tens = Ssse3.MultiplyAddAdjacent(lined, Vector128.Create((sbyte)100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0));
        Vector128<int> octets = Sse2.MultiplyAddAdjacent(tens, Vector128<short>.One);
        if (Vector128.GreaterThanAny(octets, Vector128.Create(255)))
        {
            address = 0;
            return -1;
        }

        // The first octet is the most significant byte.
        Vector128<byte> order = Vector128.Create((byte)12, 8, 4, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
        address = Ssse3.Shuffle(octets.AsByte(), order).AsUInt32().ToScalar();
        return i + length;
    }

    /// <summary>As <see cref="ReadVector"/>, a byte at a time; stops after a third digit even where a fourth follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadScalar(ref byte text, int i, out uint address)
    {
        address = 0;
        for (int octet = 0; ; octet++)
        {
            uint part = ReadOctet(ref text, ref i);
            if (part > 255)
            {
                return -1;
            }

            address = (address << 8) | part;
            if (octet == 3)
            {
                return i;
            }

            if (Unsafe.Add(ref text, i++) != '.')
            {
                return -1;
            }
        }
    }

    /// <summary>A decimal octet without a leading zero at <paramref name="i"/>, which then stands after it; more than 255 when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadOctet(ref byte text, ref int i)
    {
        uint part = (uint)(Unsafe.Add(ref text, i++) - '0'), digit;
        if (part > 9)
        {
            return uint.MaxValue;
        }

        if (part != 0 && (digit = (uint)(Unsafe.Add(ref text, i) - '0')) <= 9)
        {
            // A zero stands alone (a leading zero is an error the careful way reports); otherwise up to three digits.
            part = (part * 10) + digit;
            if ((digit = (uint)(Unsafe.Add(ref text, ++i) - '0')) <= 9)
            {
                part = (part * 10) + digit;
                i++;
            }
        }

        return part;
    }

    private static byte[] BuildShuffles()
    {
        byte[] table = new byte[256 * 16];
        for (int counts = 0; counts < 256; counts++)
        {
            Span<byte> shuffle = table.AsSpan(counts * 16, 16);
            shuffle.Fill(0x80); // a shuffle index with the top bit set makes a zero
            for (int octet = 0, start = 0; octet < 4; octet++)
            {
                int digits = ((counts >> (2 * octet)) & 3) + 1;
                for (int d = 0; d < digits && digits <= 3; d++)
                {
                    shuffle[(4 * octet) + 3 - digits + d] = (byte)(start + d);
                }

                start += digits + 1;
            }
        }

        return table;
    }
}
