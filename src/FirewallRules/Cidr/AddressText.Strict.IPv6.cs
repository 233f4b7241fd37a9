using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>Strict parsing of an IPv6 address: any spelling RFC 4291 allows, and whether it is canonical.</summary>
internal static partial class AddressText
{
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
}
