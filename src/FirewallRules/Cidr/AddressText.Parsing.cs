using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>Strict parsing of one prefix from UTF-8 text.</summary>
internal static partial class AddressText
{
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
            error = ParseIPv6(address, (options & PrefixParseOptions.AnyIPv6Text) != 0, out result.V6Upper, out result.V6Lower, out result.ErrorOffset);
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

        return CheckHostBits(ref result, options);
    }

    /// <summary>Refuses a prefix with host bits set, or clears them when the options allow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PrefixError CheckHostBits(ref ParsedPrefix result, PrefixParseOptions options)
    {
        uint v4Host = AddressBits<uint>.HostMask(result.Length);
        (ulong upperHost, ulong lowerHost) = IPv6HostMask(result.Length);
        bool hostBits = result.IsIPv6
            ? ((result.V6Upper & upperHost) | (result.V6Lower & lowerHost)) != 0
            : (result.V4 & v4Host) != 0;
        if (!hostBits)
        {
            return PrefixError.None;
        }

        if ((options & PrefixParseOptions.ClearHostBits) == 0)
        {
            result.ErrorOffset = 0;
            return PrefixError.HostBitsSet;
        }

        result.V6Upper &= ~upperHost;
        result.V6Lower &= ~lowerHost;
        result.V4 &= ~v4Host;
        result.HostBitsCleared = true;
        return PrefixError.None;
    }

    /// <summary>
    /// The host bits of an IPv6 prefix of <paramref name="length"/> in the address's two halves (see <see cref="ParsedPrefix"/>):
    /// the upper one holds the first 64 bits of the length. Shifts of 64-bit halves, not of a <see cref="UInt128"/>, which
    /// are calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong Upper, ulong Lower) IPv6HostMask(int length) =>
        (length >= 64 ? 0 : ulong.MaxValue >> length,
            length <= 64 ? ulong.MaxValue : length >= 128 ? 0 : ulong.MaxValue >> (length - 64));

    /// <summary>
    /// Dotted decimal, four octets of at most three digits, none with a leading zero: <c>010</c> is 8 to
    /// some parsers and 10 to others, so it is refused (as a leading zero, however many digits follow).
    /// </summary>
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
                    return text[start] == '0' ? PrefixError.LeadingZeroInOctet : PrefixError.OctetOutOfRange;
                }
            }

            PrefixError error = i == start ? (i < text.Length && text[i] != '.' ? PrefixError.UnexpectedCharacter : PrefixError.NotAnAddress)
                : text[start] == '0' && i - start > 1 ? PrefixError.LeadingZeroInOctet
                : part > 255 ? PrefixError.OctetOutOfRange
                : PrefixError.None;
            if (error != PrefixError.None)
            {
                errorOffset = i == start ? i : start;
                return error;
            }

            value = (value << 8) | part;
            if (octet < 3)
            {
                if (i == text.Length || text[i] != '.')
                {
                    errorOffset = i;
                    return i == text.Length ? PrefixError.NotAnAddress : PrefixError.UnexpectedCharacter;
                }

                i++;
            }
        }

        errorOffset = i;
        return i == text.Length ? PrefixError.None : PrefixError.UnexpectedCharacter;
    }

    /// <summary>A prefix length: decimal, no leading zero, at most the family's width.</summary>
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
                return text[0] == '0' ? PrefixError.LeadingZeroInLength : PrefixError.LengthOutOfRange;
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

    /// <summary>
    /// An IPv6 address. Unless <paramref name="anySpelling"/>, it must also be canonical (see the class
    /// remarks), checked on the parsed parts rather than by printing, which would cost as much as the parse.
    /// </summary>
    private static PrefixError ParseIPv6(ReadOnlySpan<byte> text, bool anySpelling, out ulong upper, out ulong lower, out int errorOffset)
    {
        upper = lower = 0;
        Span<ushort> words = stackalloc ushort[8];
        var parts = new IPv6Parts { CompressAt = -1 };
        PrefixError error = ReadIPv6Groups(text, words, ref parts, out errorOffset);
        if (error != PrefixError.None)
        {
            return error;
        }

        if (parts.CompressAt >= 0 ? parts.Count > 7 : parts.Count != 8)
        {
            errorOffset = text.Length;
            return PrefixError.NotAnAddress;
        }

        int zeros = 8 - parts.Count;
        if (zeros > 0)
        {
            // "::" stands for the missing words: the groups read after it move to the end, and zeros fill the gap.
            words[parts.CompressAt..parts.Count].CopyTo(words[(parts.CompressAt + zeros)..]);
            words.Slice(parts.CompressAt, zeros).Clear();
        }

        ToAddress(words, out upper, out lower);
        if (anySpelling || IsCanonical(words, parts, zeros))
        {
            return PrefixError.None;
        }

        errorOffset = 0;
        return PrefixError.NotCanonical;
    }

    /// <summary>
    /// Canonical: lower case, no leading zeros, "::" for exactly the zero run RFC 5952 compresses, and a
    /// dotted IPv4 tail only under a prefix that embeds IPv4 (all hex is canonical for every address).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsCanonical(ReadOnlySpan<ushort> words, in IPv6Parts parts, int zeros)
    {
        if (parts.LeadingZero || parts.UpperCase || (parts.Dotted && !EmbedsIPv4(words)))
        {
            return false;
        }

        (int runStart, int runLength) = LongestZeroRun(parts.Dotted ? words[..6] : words);
        return runStart < 0 ? parts.CompressAt < 0 : parts.CompressAt == runStart && zeros == runLength;
    }

    /// <summary>
    /// Reads, from <paramref name="i"/>, an IPv6 address spelled as nearly every list spells it: all in hex and canonical
    /// (lower case, no leading zeros, "::" exactly where <see cref="LongestZeroRun"/> puts it): the list reader's fast path,
    /// one pass over a line that needs no search for where the address and the line end. True when the text from
    /// <paramref name="i"/> starts with such an address; <paramref name="i"/> then stands on the first byte it did not read,
    /// <b>which the caller must check ends the address</b> (a '/' or the line end): an address that goes on in another
    /// spelling (an upper-case digit, a dotted tail, a fifth digit, a third ':') stops the read there. False, with
    /// <paramref name="i"/> unchanged, where what was read is not such an address; <see cref="TryParse"/> then reads or
    /// reports the line.
    /// </summary>
    /// <remarks>
    /// The groups go straight into the two halves, shifted in as they come; those before "::" are set aside and moved up
    /// once at the end. Canonical "::" is checked on which groups are zero (<see cref="ZeroRuns"/>), with no word buffer.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadCanonicalIPv6(ReadOnlySpan<byte> data, ref int i, out ulong upper, out ulong lower)
    {
        upper = lower = 0;
        ulong headUpper = 0, headLower = 0;
        int at = i, count = 0, compressAt = -1, zeroGroups = 0;
        if (data[at..].StartsWith("::"u8))
        {
            compressAt = 0;
            at += 2;
        }

        while (at < data.Length && HexValues[data[at]] <= MaxLowerCaseDigit)
        {
            int start = at;
            uint group = 0, digit;
            for (int end = Math.Min(data.Length, start + 4); at < end && (digit = HexValues[data[at]]) <= MaxLowerCaseDigit; at++)
            {
                group = (group << 4) | digit; // at most four: a fifth is left where the caller looks for the end
            }

            if (count == 8 || (data[start] == '0' && at - start > 1))
            {
                return false;
            }

            upper = (upper << 16) | (lower >> 48);
            lower = (lower << 16) | group;
            zeroGroups |= (group == 0 ? 1 : 0) << count++;
            if (at == data.Length || data[at] != ':')
            {
                break; // the address ends here (a fifth digit too: no separator follows, and the caller finds no end)
            }

            if (at + 1 < data.Length && data[at + 1] == ':')
            {
                if (compressAt >= 0)
                {
                    return false; // a second "::"
                }

                (compressAt, headUpper, headLower, upper, lower) = (count, upper, lower, 0, 0);
                at += 2;
            }
            else if (++at == data.Length || HexValues[data[at]] > MaxLowerCaseDigit)
            {
                return false; // a single ':' that no group follows
            }
        }

        if (!TryCloseGap(count, compressAt, zeroGroups, headUpper, headLower, ref upper, ref lower))
        {
            return false;
        }

        i = at;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="count"/> groups with "::" after the first <paramref name="compressAt"/> of them (-1: no "::")
    /// are a whole canonical address, given which were zero (<paramref name="zeroGroups"/>, bit n for the n-th read); if
    /// so, moves the groups read before "::" (the head) above the gap, into <paramref name="upper"/> and
    /// <paramref name="lower"/>, which hold the groups read after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryCloseGap(int count, int compressAt, int zeroGroups, ulong headUpper, ulong headLower, ref ulong upper, ref ulong lower)
    {
        int zeros = 8 - count;
        if (compressAt < 0)
        {
            return zeros == 0 && ZeroRuns[zeroGroups] == 0;
        }

        // Where "::" stands, zeros fill the gap; the groups read after it (in the low bits) are the last ones.
        int headMask = (1 << compressAt) - 1;
        zeroGroups = (zeroGroups & headMask) | (((1 << zeros) - 1) << compressAt) | ((zeroGroups & ~headMask) << zeros);
        if (zeros == 0 || ZeroRuns[zeroGroups] != (compressAt | (zeros << 4)))
        {
            return false;
        }

        if (compressAt > 0)
        {
            ShiftLeft(ref headUpper, ref headLower, 16 * (8 - compressAt));
            (upper, lower) = (upper | headUpper, lower | headLower);
        }

        return true;
    }

    /// <summary>Shifts a 128-bit value held in two halves left by 1 to 127 <paramref name="bits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftLeft(ref ulong upper, ref ulong lower, int bits)
    {
        if (bits >= 64)
        {
            upper = lower << (bits - 64);
            lower = 0;
        }
        else
        {
            upper = (upper << bits) | (lower >> (64 - bits));
            lower <<= bits;
        }
    }

    /// <summary>Reads the hex groups (and a dotted IPv4 tail, as two groups) of an IPv6 address; counts them and notes where "::" stands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PrefixError ReadIPv6Groups(ReadOnlySpan<byte> text, Span<ushort> groups, ref IPv6Parts parts, out int errorOffset)
    {
        errorOffset = 0;
        int i = 0;
        if (text.StartsWith("::"u8))
        {
            parts.CompressAt = 0;
            i = 2;
        }
        else if (text[0] == ':')
        {
            return PrefixError.NotAnAddress;
        }

        while (i < text.Length)
        {
            int start = i, group = 0;
            uint digit, digits = 0;
            for (int end = Math.Min(text.Length, start + 5); i < end && (digit = HexValues[text[i]]) <= MaxAnyCaseDigit; i++)
            {
                group = (group << 4) | (int)(digit & 0xF); // five digits are read to report a group as too long
                digits |= digit;
            }

            parts.UpperCase |= digits > MaxLowerCaseDigit;

            if (i < text.Length && text[i] == '.')
            {
                return ReadIPv4Tail(text, start, groups, ref parts, out errorOffset);
            }

            if (i == start || i - start > 4 || parts.Count == 8)
            {
                errorOffset = i;
                return i < text.Length && text[i] != ':' && HexValues[text[i]] > MaxAnyCaseDigit ? PrefixError.UnexpectedCharacter : PrefixError.NotAnAddress;
            }

            groups[parts.Count++] = (ushort)group;
            parts.LeadingZero |= i - start > 1 && text[start] == '0';
            PrefixError error = i == text.Length ? PrefixError.None : ReadSeparator(text, ref i, ref parts);
            if (error != PrefixError.None)
            {
                errorOffset = i;
                return error;
            }
        }

        return PrefixError.None;
    }

    /// <summary>Steps over the ':' or "::" after a group at <paramref name="i"/>; on failure, <paramref name="i"/> is where the problem is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PrefixError ReadSeparator(ReadOnlySpan<byte> text, ref int i, ref IPv6Parts parts)
    {
        if (text[i] != ':')
        {
            return PrefixError.UnexpectedCharacter;
        }

        if (i + 1 < text.Length && text[i + 1] == ':')
        {
            if (parts.CompressAt >= 0)
            {
                return PrefixError.NotAnAddress; // a second "::"
            }

            parts.CompressAt = parts.Count;
            i += 2;
            return PrefixError.None;
        }

        i++;
        return i == text.Length ? PrefixError.NotAnAddress : PrefixError.None; // a trailing single ':' is not an address
    }

    /// <summary>A dotted IPv4 tail from <paramref name="start"/> to the end, as the last two groups.</summary>
    private static PrefixError ReadIPv4Tail(ReadOnlySpan<byte> text, int start, Span<ushort> groups, ref IPv6Parts parts, out int errorOffset)
    {
        errorOffset = start;
        if (parts.Count > 6 || (parts.CompressAt >= 0 && parts.Count > 5))
        {
            return PrefixError.NotAnAddress;
        }

        PrefixError tail = ParseIPv4(text[start..], out uint v4, out int tailOffset);
        if (tail != PrefixError.None)
        {
            errorOffset = start + tailOffset;
            return tail;
        }

        groups[parts.Count++] = (ushort)(v4 >> 16);
        groups[parts.Count++] = (ushort)v4;
        parts.Dotted = true;
        return PrefixError.None;
    }

    /// <summary>What reading an IPv6 address found besides the groups' values.</summary>
    private struct IPv6Parts
    {
        /// <summary>Groups read (a dotted tail counts as two).</summary>
        public int Count;

        /// <summary>How many groups came before "::", or -1 without one.</summary>
        public int CompressAt;

        /// <summary>Whether a group had a leading zero.</summary>
        public bool LeadingZero;

        /// <summary>Whether a group had an upper-case digit.</summary>
        public bool UpperCase;

        /// <summary>Whether the address ended in dotted IPv4.</summary>
        public bool Dotted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToAddress(ReadOnlySpan<ushort> words, out ulong upper, out ulong lower)
    {
        upper = lower = 0;
        for (int w = 0; w < 4; w++)
        {
            upper = (upper << 16) | words[w];
            lower = (lower << 16) | words[w + 4];
        }
    }

    /// <summary>The largest <see cref="HexValues"/> entry of a canonical hex digit (a decimal digit or a lower-case letter): <c>f</c>.</summary>
    private const uint MaxLowerCaseDigit = 0xF;

    /// <summary>The largest <see cref="HexValues"/> entry of any hex digit: <c>F</c>.</summary>
    private const uint MaxAnyCaseDigit = 0x1F;

    /// <summary>
    /// The value of each hex digit byte, plus 0x10 for an upper-case letter (at most <see cref="MaxAnyCaseDigit"/>), 0xFF for
    /// any other byte: <c>&lt;= MaxLowerCaseDigit</c> asks for a canonical digit, <c>&lt;= MaxAnyCaseDigit</c> for any. A lookup rather than
    /// range tests: random hex mixes digits and letters, and branching on which one a byte is mispredicts about once per group.
    /// </summary>
    private static ReadOnlySpan<byte> HexValues =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
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
}
