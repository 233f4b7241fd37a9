using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace FirewallRules.Cidr;

/// <summary>Canonical text of addresses and prefixes, written straight into UTF-8 buffers.</summary>
internal static partial class AddressText
{
    /// <summary>
    /// Writes an IPv4 address in dotted decimal; returns the bytes written (at most 15). Writes whole
    /// table entries, so <paramref name="destination"/> needs room for 16 bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FormatIPv4(uint address, Span<byte> destination)
    {
        // One length check, then the four entries stored without one each.
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 16);
        ref byte text = ref MemoryMarshal.GetReference(destination);
        ref ulong octets = ref MemoryMarshal.GetArrayDataReference(OctetText);
        ulong first = Unsafe.Add(ref octets, address >> 24), second = Unsafe.Add(ref octets, (address >> 16) & 0xFF);
        ulong third = Unsafe.Add(ref octets, (address >> 8) & 0xFF), fourth = Unsafe.Add(ref octets, address & 0xFF);
        Unsafe.WriteUnaligned(ref text, (uint)first);
        int offset = (int)(first >> 32);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, offset), (uint)second);
        offset += (int)(second >> 32);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, offset), (uint)third);
        offset += (int)(third >> 32);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, offset), (uint)fourth);
        return offset + (int)(fourth >> 32) - 1; // the dot after the last octet is not part of the address
    }

    /// <summary>
    /// For each octet value, its digits and a dot (little-endian, low 32 bits) and how many bytes that is
    /// (high 32 bits). A lookup rather than divisions: octets of one, two and three digits come in random
    /// order, and branching on which it is mispredicts about once per address.
    /// </summary>
    private static readonly ulong[] OctetText = CreateOctetText();

    private static ulong[] CreateOctetText()
    {
        var table = new ulong[256];
        for (int octet = 0; octet < table.Length; octet++)
        {
            string text = octet.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";
            ulong packed = 0;
            for (int i = text.Length - 1; i >= 0; i--)
            {
                packed = (packed << 8) | text[i];
            }

            table[octet] = packed | ((ulong)text.Length << 32);
        }

        return table;
    }

    /// <summary>
    /// Writes an IPv6 address as we print it (see the class remarks), which is exactly what
    /// <see cref="System.Net.IPAddress.ToString"/> writes; returns the bytes
    /// written (at most 45). Writes whole words, so <paramref name="destination"/> needs room for 48 bytes.
    /// </summary>
    /// <remarks>
    /// The address stays in its two 64-bit halves: which groups are zero comes from a few bit operations on each half and
    /// the "::" from <see cref="ZeroRuns"/>, and each group is written with its ':' in one store (<see cref="AppendGroup"/>),
    /// the last ':' taken back. Only the rare address with a dotted tail goes through the groups one by one.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatIPv6(UInt128 address, Span<byte> destination)
    {
        ulong upper = (ulong)(address >> 64), lower = (ulong)address;
        if (HasDottedTail(upper, lower))
        {
            return FormatIPv6WithDottedTail(address, destination);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 48);
        ref byte text = ref MemoryMarshal.GetReference(destination);
        int run = ZeroRuns[ZeroGroups(upper) | (ZeroGroups(lower) << 4)];
        int start = run == 0 ? 8 : run & 0xF, end = run == 0 ? 8 : start + (run >> 4), offset = 0;
        for (int group = 0; group < start; group++)
        {
            offset += AppendGroup(Group(upper, lower, group), ref Unsafe.Add(ref text, offset));
        }

        if (run != 0)
        {
            // "::" is the ':' written after the last group before the run, and one more; two where no group comes before.
            Unsafe.Add(ref text, offset) = (byte)':';
            offset += start == 0 ? 1 : 0;
            Unsafe.Add(ref text, offset++) = (byte)':';
        }

        for (int group = end; group < 8; group++)
        {
            offset += AppendGroup(Group(upper, lower, group), ref Unsafe.Add(ref text, offset));
        }

        return run != 0 && end == 8 ? offset : offset - 1; // the ':' after the last group is not part of the address
    }

    /// <summary>
    /// Whether we print the last 32 bits as dotted IPv4, as the runtime does (IPv6AddressHelper): under the prefixes of
    /// <see cref="EmbedsIPv4"/>, except that the first three keep a tail below 0.1.0.0 in hex (<c>::1</c>, not
    /// <c>::0.0.0.1</c>). On the address's two halves: groups 4 and 5 are the upper half of <paramref name="lower"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasDottedTail(ulong upper, ulong lower)
    {
        uint middle = (uint)(lower >> 32); // groups 4 and 5
        return middle == 0x5EFE || (upper == 0 && (ushort)(lower >> 16) != 0 && (middle == 0 || middle == 0xFFFF || middle == 0xFFFF_0000));
    }

    /// <summary>Bit g set for each of the four 16-bit groups of <paramref name="half"/> that is zero, g counted from the most significant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ZeroGroups(ulong half)
    {
        // The top bit of each group set where the group is zero (no carry crosses a group); then the four top bits
        // gathered by one multiplication into bits 60 to 63, most significant group lowest, with nothing else landing there.
        ulong zero = ~((((half & 0x7FFF_7FFF_7FFF_7FFF) + 0x7FFF_7FFF_7FFF_7FFF) | half) & 0x8000_8000_8000_8000) & 0x8000_8000_8000_8000;
        return (int)(((zero >> 15) * ((1UL << 12) | (1UL << 29) | (1UL << 46) | (1UL << 63))) >> 60);
    }

    /// <summary>The 16-bit group <paramref name="group"/> (0 the most significant) of an address in two halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Group(ulong upper, ulong lower, int group) => (ushort)((group < 4 ? upper : lower) >> (48 - (16 * (group & 3))));

    /// <summary>Writes a group in hex and a ':' after it in one 8-byte store; returns how many of those bytes count (2 to 5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AppendGroup(uint value, ref byte destination)
    {
        (uint text, int digits) = HexDigits(value);
        Unsafe.WriteUnaligned(ref destination, text | ((ulong)':' << (8 * digits)));
        return digits + 1;
    }

    /// <summary>The hex digits of a group, most significant in the lowest byte, without leading zeros (one for zero), and how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Text, int Digits) HexDigits(uint value)
    {
        // All four nibbles as hex at once, most significant in the lowest byte; then the leading zero digits are
        // shifted out. No branch per digit, whose count varies at random.
        uint nibbles = (value >> 12) | ((value & 0x0F00) | ((value & 0xF0) << 12) | ((value & 0xF) << 24));
        uint text = nibbles + 0x30303030 + ((((nibbles + 0x06060606) >> 4) & 0x01010101) * ('a' - '0' - 10));
        int digits = (35 - BitOperations.LeadingZeroCount(value | 1)) >> 2; // at least one, for zero
        return (text >> (8 * (4 - digits)), digits);
    }

    /// <summary>As <see cref="FormatIPv6"/>, for an address printed with a dotted IPv4 tail.</summary>
    private static int FormatIPv6WithDottedTail(UInt128 address, Span<byte> destination)
    {
        Span<ushort> words = stackalloc ushort[8];
        ulong lower = ToWords(address, words);
        int offset = 0;
        AppendSections(words[..6], destination, ref offset);
        if (destination[offset - 1] != ':')
        {
            destination[offset++] = (byte)':';
        }

        return offset + FormatIPv4((uint)lower, destination[offset..]);
    }

    /// <summary>Writes an IPv6 address all in hex (RFC 5952 section 4, without section 5's dotted tail); returns the bytes written.</summary>
    public static int FormatIPv6Hex(UInt128 address, Span<byte> destination)
    {
        Span<ushort> words = stackalloc ushort[8];
        ToWords(address, words);
        int offset = 0;
        AppendSections(words, destination, ref offset);
        return offset;
    }

    /// <summary>Splits an address into its eight 16-bit groups; returns its lower 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToWords(UInt128 address, Span<ushort> words)
    {
        // Words taken from two 64-bit halves: shifting a UInt128 costs several instructions and a branch.
        ulong upper = (ulong)(address >> 64), lower = (ulong)address;
        for (int w = 0; w < 4; w++)
        {
            words[w] = (ushort)(upper >> (48 - (16 * w)));
            words[w + 4] = (ushort)(lower >> (48 - (16 * w)));
        }

        return lower;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AppendSections(ReadOnlySpan<ushort> words, Span<byte> destination, ref int offset)
    {
        (int bestStart, int bestLength) = LongestZeroRun(words);
        int resume = 0;
        if (bestStart >= 0)
        {
            for (int w = 0; w < bestStart; w++)
            {
                AppendHex(words[w], destination, ref offset);
                destination[offset++] = (byte)':';
            }

            // "::" is the separator before the run plus the one after it.
            if (bestStart == 0)
            {
                destination[offset++] = (byte)':';
            }

            destination[offset++] = (byte)':';
            resume = bestStart + bestLength;
            if (resume == words.Length)
            {
                return;
            }
        }

        for (int w = resume; w < words.Length; w++)
        {
            if (w > resume)
            {
                destination[offset++] = (byte)':';
            }

            AppendHex(words[w], destination, ref offset);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AppendHex(ushort value, Span<byte> destination, ref int offset)
    {
        (uint text, int digits) = HexDigits(value);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], text);
        offset += digits;
    }

    // A block's address in its family's text form; the type test is a constant for each T, so this inlines to one call.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FormatAddress<T>(T address, Span<byte> destination)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T> =>
        typeof(T) == typeof(uint) ? FormatIPv4(uint.CreateTruncating(address), destination) : FormatIPv6(UInt128.CreateTruncating(address), destination);

    /// <summary>Writes a block as <c>address/length</c>; returns the bytes written (at most <see cref="MaxPrefixLength"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FormatBlock<T>(CidrBlock<T> block, Span<byte> destination)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        int offset = FormatAddress(block.Address, destination);
        destination[offset++] = (byte)'/';
        int length = block.Length;
        if (length >= 100)
        {
            destination[offset++] = (byte)('0' + (length / 100));
            length %= 100;
            destination[offset++] = (byte)('0' + (length / 10));
        }
        else if (length >= 10)
        {
            destination[offset++] = (byte)('0' + (length / 10));
        }

        destination[offset++] = (byte)('0' + (length % 10));
        return offset;
    }

    /// <summary>Bytes a line of <see cref="FormatLine"/> may touch: the longest address (45), then one 8-byte store.</summary>
    internal const int MaxLineWrite = 53;

    /// <summary>
    /// Writes a block as <c>address/length</c> and <c>\n</c>, as one line of a list; returns the bytes written (at most
    /// <see cref="MaxPrefixLength"/> + 1). Writes whole words, so <paramref name="destination"/> needs room for
    /// <see cref="MaxLineWrite"/> bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FormatLine<T>(CidrBlock<T> block, Span<byte> destination)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        int offset = FormatAddress(block.Address, destination);
        ulong end = LineEnds[block.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(destination[offset..], end);
        return offset + (int)(end >> 56);
    }

    /// <summary>For each prefix length, <c>/length\n</c> (little-endian, low bytes) and how many bytes that is (top byte).</summary>
    private static readonly ulong[] LineEnds = CreateLineEnds();

    private static ulong[] CreateLineEnds()
    {
        var table = new ulong[129];
        for (int length = 0; length < table.Length; length++)
        {
            string text = "/" + length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n";
            ulong packed = 0;
            for (int i = text.Length - 1; i >= 0; i--)
            {
                packed = (packed << 8) | text[i];
            }

            table[length] = packed | ((ulong)text.Length << 56);
        }

        return table;
    }

    public static string Format<T>(CidrBlock<T> block)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        Span<byte> buffer = stackalloc byte[MaxPrefixLength];
        return Encoding.ASCII.GetString(buffer[..FormatBlock(block, buffer)]);
    }
}
