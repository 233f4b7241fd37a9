using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>Strict parsing of one prefix from UTF-8 text: the entry point, host bits, IPv4 and the length (IPv6 in <c>AddressText.Strict.IPv6.cs</c>).</summary>
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
}
