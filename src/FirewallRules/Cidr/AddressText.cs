using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using FirewallRules.Advice;

namespace FirewallRules.Cidr;

/// <summary>
/// Strict prefix parsing and canonical formatting on UTF-8 spans. Canonical IPv6 text is what
/// <see cref="System.Net.IPAddress.ToString"/> prints (RFC 5952 compression, lower case, and dotted
/// IPv4 tails in the same cases as the runtime), so a prefix read here prints back the same through
/// <see cref="System.Net.IPNetwork"/>.
/// </summary>
internal static class AddressText
{
    /// <summary>Longest valid prefix text: <c>ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128</c>.</summary>
    public const int MaxPrefixLength = 49;

    /// <summary>Parses one prefix; the token must hold nothing else (no spaces, no comment).</summary>
    /// <remarks>Inlined into the list reader's optimised loop; other callers parse a few prefixes and need no JIT work up front.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PrefixError TryParse(ReadOnlySpan<byte> token, PrefixParseOptions options, out ParsedPrefix result)
    {
        result = default;
        if (token.IsEmpty)
        {
            return PrefixError.Empty;
        }

        if (token.Length > MaxPrefixLength)
        {
            return PrefixError.TooLong;
        }

        int slash = token.IndexOf((byte)'/');
        ReadOnlySpan<byte> address = slash < 0 ? token : token[..slash];
        PrefixError error;
        int width;
        if (address.IndexOf((byte)':') >= 0)
        {
            result.IsIPv6 = true;
            width = 128;
            error = ParseIPv6(address, out result.V6, out result.ErrorOffset);
        }
        else
        {
            width = 32;
            error = ParseIPv4(address, out result.V4, out result.ErrorOffset);
        }

        if (error != PrefixError.None)
        {
            return error;
        }

        if (slash < 0)
        {
            result.Length = width;
            return PrefixError.None;
        }

        error = ParseLength(token[(slash + 1)..], width, out result.Length, out int lengthError);
        if (error != PrefixError.None)
        {
            result.ErrorOffset = slash + 1 + lengthError;
            return error;
        }

        bool hostBits = result.IsIPv6
            ? (result.V6 & AddressBits<UInt128>.HostMask(result.Length)) != UInt128.Zero
            : (result.V4 & AddressBits<uint>.HostMask(result.Length)) != 0;
        if (hostBits)
        {
            if ((options & PrefixParseOptions.ClearHostBits) == 0)
            {
                result.ErrorOffset = 0;
                return PrefixError.HostBitsSet;
            }

            result.V6 &= AddressBits<UInt128>.NetworkMask(result.Length);
            result.V4 &= AddressBits<uint>.NetworkMask(result.Length);
            result.HostBitsCleared = true;
        }

        return PrefixError.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PrefixError ParseIPv4(ReadOnlySpan<byte> text, out uint value, out int errorOffset)
    {
        value = 0;
        int i = 0;
        for (int octet = 0; octet < 4; octet++)
        {
            int start = i;
            uint part = 0;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                part = (part * 10) + (uint)(text[i] - '0');
                i++;
                if (i - start > 3)
                {
                    errorOffset = start;
                    return PrefixError.OctetOutOfRange;
                }
            }

            if (i == start)
            {
                errorOffset = i;
                return i < text.Length && text[i] != '.' ? PrefixError.UnexpectedCharacter : PrefixError.NotAnAddress;
            }

            if (text[start] == '0' && i - start > 1)
            {
                errorOffset = start;
                return PrefixError.LeadingZeroInOctet;
            }

            if (part > 255)
            {
                errorOffset = start;
                return PrefixError.OctetOutOfRange;
            }

            value = (value << 8) | part;
            if (octet < 3)
            {
                if (i == text.Length)
                {
                    errorOffset = i;
                    return PrefixError.NotAnAddress;
                }

                if (text[i] != '.')
                {
                    errorOffset = i;
                    return PrefixError.UnexpectedCharacter;
                }

                i++;
            }
        }

        errorOffset = i;
        return i == text.Length ? PrefixError.None : PrefixError.UnexpectedCharacter;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PrefixError ParseLength(ReadOnlySpan<byte> text, int width, out int length, out int errorOffset)
    {
        length = 0;
        errorOffset = 0;
        if (text.IsEmpty)
        {
            return PrefixError.MissingLength;
        }

        int i = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            if (i == 3)
            {
                return PrefixError.LengthOutOfRange;
            }

            length = (length * 10) + (text[i] - '0');
            i++;
        }

        if (i < text.Length)
        {
            errorOffset = i;
            return i == 0 ? PrefixError.MissingLength : PrefixError.UnexpectedCharacter;
        }

        if (text[0] == '0' && i > 1)
        {
            return PrefixError.LeadingZeroInLength;
        }

        return length > width ? PrefixError.LengthOutOfRange : PrefixError.None;
    }

    private static PrefixError ParseIPv6(ReadOnlySpan<byte> text, out UInt128 value, out int errorOffset)
    {
        value = UInt128.Zero;
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0, compressAt = -1, i = 0;
        bool leadingZero = false, dotted = false;
        errorOffset = 0;

        if (text.StartsWith("::"u8))
        {
            compressAt = 0;
            i = 2;
        }
        else if (text[0] == ':')
        {
            return PrefixError.NotAnAddress;
        }

        while (i < text.Length)
        {
            int start = i;
            int group = 0;
            uint digit;
            for (int end = Math.Min(text.Length, start + 5); i < end && (digit = HexValues[text[i]]) <= 0xF; i++)
            {
                group = (group << 4) | (int)digit; // five digits are read to report a group as too long
            }

            if (i < text.Length && text[i] == '.')
            {
                // A dotted IPv4 tail fills the last two groups.
                if (count > 6 || (compressAt >= 0 && count > 5))
                {
                    errorOffset = start;
                    return PrefixError.NotAnAddress;
                }

                PrefixError tail = ParseIPv4(text[start..], out uint v4, out int tailOffset);
                if (tail != PrefixError.None)
                {
                    errorOffset = start + tailOffset;
                    return tail;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                dotted = true;
                break;
            }

            if (i == start || i - start > 4 || count == 8)
            {
                errorOffset = i;
                return i < text.Length && text[i] != ':' && HexValues[text[i]] > 0xF ? PrefixError.UnexpectedCharacter : PrefixError.NotAnAddress;
            }

            groups[count++] = (ushort)group;
            leadingZero |= i - start > 1 && text[start] == '0';
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ':')
            {
                errorOffset = i;
                return PrefixError.UnexpectedCharacter;
            }

            if (i + 1 < text.Length && text[i + 1] == ':')
            {
                if (compressAt >= 0)
                {
                    errorOffset = i;
                    return PrefixError.NotAnAddress; // a second "::"
                }

                compressAt = count;
                i += 2;
                continue;
            }

            i++;
            if (i == text.Length)
            {
                errorOffset = i;
                return PrefixError.NotAnAddress; // a trailing single ':'
            }
        }

        if (compressAt >= 0 ? count > 7 : count != 8)
        {
            errorOffset = text.Length;
            return PrefixError.NotAnAddress;
        }

        int zeros = 8 - count;
        Span<ushort> words = stackalloc ushort[8];
        for (int g = 0, k = 0; g < 8; g++)
        {
            words[g] = compressAt >= 0 && g >= compressAt && g < compressAt + zeros ? (ushort)0 : groups[k++];
        }

        value = ToAddress(words);

        // Canonical means it prints back the same: lower case, no leading zeros, a dotted tail exactly
        // where the runtime prints one, and "::" for exactly the zero run that printing compresses.
        // Checked on the parts rather than by printing, which would cost as much as the parse. Anything
        // else is reported with the form to use instead.
        bool embedded = HasEmbeddedIPv4(words);
        (int runStart, int runLength) = LongestZeroRun(embedded ? words[..6] : words);
        bool compressedAsPrinted = runStart < 0 ? compressAt < 0 : compressAt == runStart && zeros == runLength;
        if (leadingZero || dotted != embedded || !compressedAsPrinted || text.ContainsAnyInRange((byte)'A', (byte)'F'))
        {
            errorOffset = 0;
            return PrefixError.NotCanonical;
        }

        return PrefixError.None;
    }

    /// <summary>
    /// The value of each hex digit byte, 0xFF for any other byte. A lookup rather than range tests: random
    /// hex mixes digits and letters, and branching on which one a byte is mispredicts about once per group.
    /// </summary>
    private static ReadOnlySpan<byte> HexValues =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];

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
    /// Writes an IPv6 address exactly as <see cref="System.Net.IPAddress.ToString"/> does; returns the bytes
    /// written (at most 45). Writes whole words, so <paramref name="destination"/> needs room for 48 bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatIPv6(UInt128 address, Span<byte> destination)
    {
        // Words taken from two 64-bit halves: shifting a UInt128 costs several instructions and a branch.
        Span<ushort> words = stackalloc ushort[8];
        ulong upper = (ulong)(address >> 64), lower = (ulong)address;
        for (int w = 0; w < 4; w++)
        {
            words[w] = (ushort)(upper >> (48 - (16 * w)));
            words[w + 4] = (ushort)(lower >> (48 - (16 * w)));
        }

        int offset = 0;
        if (HasEmbeddedIPv4(words))
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

    // The runtime prints the last 32 bits as dotted IPv4 for ::a.b.c.d, ::ffff:a.b.c.d,
    // ::ffff:0:a.b.c.d (SIIT) and ISATAP (x:x:x:x:0:5efe:a.b.c.d); see IPv6AddressHelper.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasEmbeddedIPv4(ReadOnlySpan<ushort> words)
    {
        if (words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0 && words[6] != 0)
        {
            if (words[4] == 0 && (words[5] == 0 || words[5] == 0xFFFF))
            {
                return true;
            }

            if (words[4] == 0xFFFF && words[5] == 0)
            {
                return true;
            }
        }

        return words[4] == 0 && words[5] == 0x5EFE;
    }

    /// <summary>The run of zero words that printing writes as "::": the longest of two or more, the first on a tie; start -1 if none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<ushort> words)
    {
        int bestStart = -1, bestLength = 1, runStart = -1;
        for (int w = 0; w <= words.Length; w++)
        {
            if (w < words.Length && words[w] == 0)
            {
                if (runStart < 0)
                {
                    runStart = w;
                }
            }
            else if (runStart >= 0)
            {
                if (w - runStart > bestLength)
                {
                    bestStart = runStart;
                    bestLength = w - runStart;
                }

                runStart = -1;
            }
        }

        return (bestStart, bestLength);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt128 ToAddress(ReadOnlySpan<ushort> words)
    {
        ulong upper = 0, lower = 0;
        for (int w = 0; w < 4; w++)
        {
            upper = (upper << 16) | words[w];
            lower = (lower << 16) | words[w + 4];
        }

        return new UInt128(upper, lower);
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


    /// <summary>A reason a person can act on, for the token that failed to parse.</summary>
    public static string Describe(PrefixError error, ReadOnlySpan<byte> token, in ParsedPrefix parsed)
    {
        string text = Encoding.UTF8.GetString(token);
        switch (error)
        {
            case PrefixError.Empty:
                return "empty prefix";
            case PrefixError.TooLong:
                return $"\"{Shorten(text)}\" is not a prefix: longer than any IPv4 or IPv6 prefix can be";
            case PrefixError.UnexpectedCharacter:
                int at = Math.Min(parsed.ErrorOffset, token.Length - 1);
                return $"\"{text}\" is not a valid prefix: unexpected character '{DescribeByte(token[at])}'";
            case PrefixError.NotAnAddress:
                return $"\"{text}\" is not a valid prefix: not a complete IPv4 or IPv6 address";
            case PrefixError.LeadingZeroInOctet:
                return $"\"{text}\" is not a valid prefix: an octet has a leading zero (octal or decimal? write it without)";
            case PrefixError.OctetOutOfRange:
                return $"\"{text}\" is not a valid prefix: an octet is larger than 255";
            case PrefixError.NotCanonical:
                Span<byte> buffer = stackalloc byte[MaxPrefixLength];
                int written = FormatIPv6(parsed.V6, buffer);
                int slash = token.IndexOf((byte)'/');
                string suffix = slash < 0 ? string.Empty : Encoding.UTF8.GetString(token[slash..]);
                return $"\"{text}\" is not in canonical form: write \"{Encoding.ASCII.GetString(buffer[..written])}{suffix}\"";
            case PrefixError.MissingLength:
                return $"\"{text}\" is not a valid prefix: the prefix length after '/' is missing";
            case PrefixError.LeadingZeroInLength:
                return $"\"{text}\" is not a valid prefix: the prefix length has a leading zero";
            case PrefixError.LengthOutOfRange:
                return parsed.IsIPv6
                    ? $"\"{text}\" is not a valid prefix: the prefix length is out of range for IPv6 (0-128)"
                    : $"\"{text}\" is not a valid prefix: the prefix length is out of range for IPv4 (0-32)";
            case PrefixError.HostBitsSet:
                string network = parsed.IsIPv6
                    ? Format(new CidrBlock<UInt128>(parsed.V6 & AddressBits<UInt128>.NetworkMask(parsed.Length), parsed.Length))
                    : Format(new CidrBlock<uint>(parsed.V4 & AddressBits<uint>.NetworkMask(parsed.Length), parsed.Length));
                return $"\"{text}\" has host bits set (the network is {network})";
            default:
                return $"\"{text}\" is not a valid prefix";
        }
    }

    /// <summary>The setting that resolves <paramref name="error"/>, if one does: host bits are cleared by <see cref="PrefixParseOptions.ClearHostBits"/>.</summary>
    public static SettingAdvice? Advise(PrefixError error) => error == PrefixError.HostBitsSet ? ClearHostBits : null;

    private static readonly SettingAdvice ClearHostBits =
        new("{0} clears them", $"{nameof(PrefixParseOptions)}.{nameof(PrefixParseOptions.ClearHostBits)}");

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    private static string DescribeByte(byte c) => c is >= 0x20 and < 0x7F ? ((char)c).ToString() : $"\\x{c:X2}";
}
