using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// The list reader's two ways to read a canonical dotted quad (four decimal octets, none above 255, no leading zero) at
/// the start of a line with at least 16 bytes after it: sixteen bytes at once where the processor can shuffle bytes
/// (<see cref="ReadVector"/>), one byte at a time elsewhere (<see cref="ReadScalar"/>). Both return the position after
/// the address's last digit, or -1; a line the one accepts, with the same length and line end after it, the other
/// accepts with the same address.
/// </summary>
/// <remarks>
/// Octets of one to three digits make a branch per digit that a list of mixed addresses mispredicts often, where a
/// fifth of the reader's samples sat (perf annotate). The vector way has one well-predicted branch: it finds
/// the dots and the digits as bit masks, looks up where the dots stand and where the address ends (one of 81 shapes,
/// hashed), and with that picks the shuffle that lines the digits up as hundreds, tens and units for two multiply-adds.
/// </remarks>
internal static class DottedQuad
{
    /// <summary>Whether <see cref="ReadVector"/> runs here (x86 with SSSE3; other processors read a byte at a time).</summary>
    public static bool IsVectorised => Ssse3.IsSupported;

    /// <summary>
    /// Hashes the shape of an address (a bit for each dot and one for the byte after its last digit) to 0–255 with no
    /// two of the 81 shapes of a dotted quad alike: <c>(shape * HashFactor) &gt;&gt; 24</c>. Found by trying odd factors.
    /// </summary>
    private const uint HashFactor = 0x86E5B70D;

    /// <summary>By hash, the one shape of a dotted quad with that hash (0 where none has it).</summary>
    private static readonly ushort[] Shapes = BuildShapes();

    /// <summary>
    /// By hash, the shuffle that puts octet k's hundreds, tens and units in bytes 4k to 4k + 2 (a missing digit, and byte
    /// 4k + 3, as zero).
    /// </summary>
    private static readonly byte[] Shuffles = BuildShuffles();

    /// <summary>The tables <see cref="ReadVector"/> looks in, fetched once before a loop of reads.</summary>
    public static Lookup Tables => new(ref MemoryMarshal.GetArrayDataReference(Shapes), ref MemoryMarshal.GetArrayDataReference(Shuffles));

    /// <summary>
    /// Reads a dotted quad from the 16 bytes at <paramref name="i"/>, all of which must be readable: the position after
    /// it, or -1 when those bytes do not start with one (the address then goes on, or is not one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadVector(ref byte text, int i, out uint address, Lookup tables)
    {
        Vector128<byte> chars = Vector128.LoadUnsafe(ref text, (nuint)i);
        Vector128<byte> values = chars - Vector128.Create((byte)'0');
        uint digits = Vector128.LessThan(values, Vector128.Create((byte)10)).ExtractMostSignificantBits();
        uint dots = Vector128.Equals(chars, Vector128.Create((byte)'.')).ExtractMostSignificantBits();
        uint zeros = Vector128.Equals(values, Vector128<byte>.Zero).ExtractMostSignificantBits();

        // The address is the digits and dots from the start; its shape is one of the 81 of a dotted quad (three dots,
        // octets of one to three digits) when the table holds it at its hash, and no octet may start with a zero and go on.
        int length = BitOperations.TrailingZeroCount(~(digits | dots));
        uint inside = dots & ((1u << length) - 1);
        uint shape = inside | (1u << length);
        uint hash = (shape * HashFactor) >> 24;
        if (Unsafe.Add(ref tables.Shapes, hash) != shape || (((inside << 1) | 1u) & zeros & (digits >> 1)) != 0)
        {
            address = 0;
            return -1;
        }

        Vector128<byte> lined = Ssse3.Shuffle(values, Vector128.LoadUnsafe(ref tables.Shuffles, hash * 16));
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

    /// <summary>
    /// <see cref="Shapes"/> and <see cref="Shuffles"/> as references: a static array read in a loop costs, at every
    /// line, a check that its class is initialised (a call the compiler keeps registers free for) and a bounds check.
    /// </summary>
    public readonly ref struct Lookup(ref ushort shapes, ref byte shuffles)
    {
        /// <summary>The first of the 256 entries of <see cref="DottedQuad.Shapes"/>.</summary>
        public readonly ref ushort Shapes = ref shapes;

        /// <summary>The first of the 4,096 bytes of <see cref="DottedQuad.Shuffles"/>.</summary>
        public readonly ref byte Shuffles = ref shuffles;
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

    private static ushort[] BuildShapes()
    {
        ushort[] shapes = new ushort[256];
        for (int pattern = 0; pattern < 81; pattern++)
        {
            uint shape = Shape(pattern);
            shapes[(shape * HashFactor) >> 24] = (ushort)shape;
        }

        return shapes;
    }

    private static byte[] BuildShuffles()
    {
        byte[] shuffles = new byte[256 * 16];
        for (int b = 0; b < shuffles.Length; b++)
        {
            shuffles[b] = 0x80; // a shuffle index with the top bit set makes a zero
        }

        for (int pattern = 0; pattern < 81; pattern++)
        {
            int at = (int)((Shape(pattern) * HashFactor) >> 24) * 16;
            for (int octet = 0, start = 0; octet < 4; start += Digits(pattern, octet++) + 1)
            {
                int digits = Digits(pattern, octet);
                for (int d = 0; d < digits; d++)
                {
                    shuffles[at + (4 * octet) + 3 - digits + d] = (byte)(start + d);
                }
            }
        }

        return shuffles;
    }

    /// <summary>The shape of the dotted quads whose octets have <see cref="Digits"/> digits: a bit after each octet.</summary>
    private static uint Shape(int pattern)
    {
        uint shape = 0;
        for (int octet = 0, start = 0; octet < 4; start += Digits(pattern, octet++) + 1)
        {
            shape |= 1u << (start + Digits(pattern, octet)); // the dot after the octet, or the byte after the last one
        }

        return shape;
    }

    /// <summary>How many digits octet <paramref name="octet"/> (0–3) has in pattern <paramref name="pattern"/> (0–80, base 3).</summary>
    private static int Digits(int pattern, int octet) => (pattern / (octet switch { 0 => 1, 1 => 3, 2 => 9, _ => 27 }) % 3) + 1;
}
