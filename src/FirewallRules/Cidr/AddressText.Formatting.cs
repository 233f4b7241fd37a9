using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
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
        int offset = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            ulong entry = OctetText[(int)((address >> shift) & 0xFF)];
            BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], (uint)entry);
            offset += (int)(entry >> 32);
        }

        return offset - 1; // the dot after the last octet is not part of the address
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatIPv6(UInt128 address, Span<byte> destination)
    {
        Span<ushort> words = stackalloc ushort[8];
        ulong lower = ToWords(address, words);
        int offset = 0;
        if (HasDottedTail(words))
        {
            AppendSections(words[..6], destination, ref offset);
            if (destination[offset - 1] != ':')
            {
                destination[offset++] = (byte)':';
            }

            offset += FormatIPv4((uint)lower, destination[offset..]);
        }
        else
        {
            AppendSections(words, destination, ref offset);
        }

        return offset;
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
        // All four nibbles as hex at once, most significant in the lowest byte; then the leading zero
        // digits are shifted out and four bytes written. No branch per digit, whose count varies at random.
        uint nibbles = (uint)(value >> 12) | ((uint)(value & 0x0F00) | ((uint)(value & 0xF0) << 12) | ((uint)(value & 0xF) << 24));
        uint text = nibbles + 0x30303030 + ((((nibbles + 0x06060606) >> 4) & 0x01010101) * ('a' - '0' - 10));
        int digits = (35 - BitOperations.LeadingZeroCount((uint)value | 1)) >> 2; // at least one, for zero
        BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], text >> (8 * (4 - digits)));
        offset += digits;
    }

    /// <summary>Writes a block as <c>address/length</c>; returns the bytes written (at most <see cref="MaxPrefixLength"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FormatBlock<T>(CidrBlock<T> block, Span<byte> destination)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        int offset = typeof(T) == typeof(uint)
            ? FormatIPv4(uint.CreateTruncating(block.Address), destination)
            : FormatIPv6(UInt128.CreateTruncating(block.Address), destination);
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

    public static string Format<T>(CidrBlock<T> block)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        Span<byte> buffer = stackalloc byte[MaxPrefixLength];
        return Encoding.ASCII.GetString(buffer[..FormatBlock(block, buffer)]);
    }
}
