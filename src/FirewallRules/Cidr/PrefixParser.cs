using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using FirewallRules.IO;

namespace FirewallRules.Cidr;

/// <summary>
/// Strict parsing of single prefixes such as <c>10.0.0.0/8</c>, <c>2600:1f18::/32</c> or a bare address.
/// </summary>
/// <remarks>
/// <para>Unlike <see cref="IPNetwork.Parse(string)"/>, which clears host bits, reads <c>010.0.0.0/8</c>
/// as octal and accepts <c>10.1/16</c>, this parser accepts only canonical text (see
/// <see cref="PrefixParseOptions"/>), which options can relax. The result is still an
/// <see cref="IPNetwork"/> for interop.</para>
/// <para>IPv4-mapped IPv6 (<c>::ffff:192.0.2.0/120</c>) stays IPv6: it is never folded into IPv4.</para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public static class PrefixParser
{
    /// <summary>Parses one prefix.</summary>
    /// <exception cref="PrefixFormatException">The text is not a valid prefix; the message says why.</exception>
    public static IPNetwork Parse(string text, PrefixParseOptions options = PrefixParseOptions.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.AsSpan(), options);
    }

    /// <inheritdoc cref="Parse(string, PrefixParseOptions)"/>
    public static IPNetwork Parse(ReadOnlySpan<char> text, PrefixParseOptions options = PrefixParseOptions.None)
    {
        if (!IsShortAscii(text, out string? error))
        {
            throw new PrefixFormatException(error);
        }

        Span<byte> utf8 = stackalloc byte[text.Length];
        Ascii.FromUtf16(text, utf8, out _);
        return Parse(utf8, options);
    }

    /// <summary>Parses one prefix from UTF-8 text.</summary>
    /// <exception cref="PrefixFormatException">The text is not a valid prefix; the message says why.</exception>
    public static IPNetwork Parse(ReadOnlySpan<byte> utf8Text, PrefixParseOptions options = PrefixParseOptions.None)
    {
        PrefixError result = AddressText.TryParse(utf8Text, options, out ParsedPrefix parsed);
        return result == PrefixError.None
            ? ToNetwork(parsed)
            : throw new PrefixFormatException(AddressText.Describe(result, utf8Text, parsed), AddressText.Advise(result));
    }

    /// <summary>Tries to parse one prefix; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, PrefixParseOptions options, out IPNetwork prefix, [NotNullWhen(false)] out string? error)
    {
        if (!IsShortAscii(text, out error))
        {
            prefix = default;
            return false;
        }

        Span<byte> utf8 = stackalloc byte[text.Length];
        Ascii.FromUtf16(text, utf8, out _);
        return TryParse(utf8, options, out prefix, out error);
    }

    /// <summary>Tries to parse one prefix from UTF-8 text; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, PrefixParseOptions options, out IPNetwork prefix, [NotNullWhen(false)] out string? error)
    {
        PrefixError result = AddressText.TryParse(utf8Text, options, out ParsedPrefix parsed);
        if (result != PrefixError.None)
        {
            prefix = default;
            error = AddressText.Describe(result, utf8Text, parsed);
            return false;
        }

        prefix = ToNetwork(parsed);
        error = null;
        return true;
    }

    // Prefixes are ASCII and short: they are transcoded on the stack, and anything else is reported as it is.
    private static bool IsShortAscii(ReadOnlySpan<char> text, [NotNullWhen(false)] out string? error)
    {
        error = text.Length > AddressText.MaxPrefixLength
            ? AddressText.Describe(PrefixError.TooLong, Encoding.UTF8.GetBytes(text.ToString()), default)
            : Ascii.IsValid(text) ? null : $"\"{TerminalText.Escape(text.ToString())}\" is not a valid prefix: it contains a character that is not ASCII";
        return error is null;
    }

    // The IPv6 half is its own method: code that touches UInt128 is compiled at run time (see ParsedPrefix), and an
    // IPv4 parse need not wait for it.
    private static IPNetwork ToNetwork(in ParsedPrefix parsed) => parsed.IsIPv6
        ? ToIPv6Network(parsed)
        : Interop.ToNetwork(new CidrBlock<uint>(parsed.V4, parsed.Length));

    private static IPNetwork ToIPv6Network(in ParsedPrefix parsed) => Interop.ToNetwork(new CidrBlock<UInt128>(parsed.V6, parsed.Length));

    /// <summary>Whether <paramref name="text"/> is a valid prefix under <paramref name="options"/>.</summary>
    public static bool IsValid(ReadOnlySpan<char> text, PrefixParseOptions options = PrefixParseOptions.None) =>
        TryParse(text, options, out _, out _);
}
