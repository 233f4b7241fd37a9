using System.Text;
using FirewallRules.Advice;
using FirewallRules.IO;

namespace FirewallRules.Cidr;

/// <summary>Reasons a person can act on, for text that is not a prefix.</summary>
internal static partial class AddressText
{
    /// <summary>A reason a person can act on, for the token that failed to parse.</summary>
    public static string Describe(PrefixError error, ReadOnlySpan<byte> token, in ParsedPrefix parsed)
    {
        // The token is input text: quoted with anything that could act on a terminal escaped.
        string text = TerminalText.Escape(Encoding.UTF8.GetString(token));
        switch (error)
        {
            case PrefixError.Empty:
                return "empty prefix";
            case PrefixError.TooLong:
                return $"\"{text}\" is not a prefix: longer than any IPv4 or IPv6 prefix can be";
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
                // Suggest the spelling the text was closer to: with a dotted tail or all in hex.
                Span<byte> buffer = stackalloc byte[MaxPrefixLength];
                int written = token.IndexOf((byte)'.') >= 0 ? FormatIPv6(parsed.V6, buffer) : FormatIPv6Hex(parsed.V6, buffer);
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

    /// <summary>
    /// The setting that resolves <paramref name="error"/>, if one does: host bits are cleared by
    /// <see cref="PrefixParseOptions.ClearHostBits"/>, and any IPv6 spelling is read with <see cref="PrefixParseOptions.AnyIPv6Text"/>.
    /// </summary>
    public static SettingAdvice? Advise(PrefixError error) => error switch
    {
        PrefixError.HostBitsSet => ClearHostBits,
        PrefixError.NotCanonical => AnyIPv6Text,
        _ => null,
    };

    private static readonly SettingAdvice ClearHostBits =
        new("{0} clears them", $"{nameof(PrefixParseOptions)}.{nameof(PrefixParseOptions.ClearHostBits)}");

    private static readonly SettingAdvice AnyIPv6Text =
        new("{0} reads any spelling", $"{nameof(PrefixParseOptions)}.{nameof(PrefixParseOptions.AnyIPv6Text)}");

    private static string DescribeByte(byte c) => c is >= 0x20 and < 0x7F ? ((char)c).ToString() : $"\\x{c:X2}";
}
