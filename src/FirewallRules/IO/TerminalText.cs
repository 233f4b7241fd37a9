using System.Buffers;
using System.Globalization;
using System.Text;

namespace FirewallRules.IO;

/// <summary>
/// Text from a feed or an input file, made safe to quote in a message that reaches a terminal or a log:
/// every character that could act instead of showing becomes a <c>\uXXXX</c> escape, and long text is cut.
/// </summary>
/// <remarks>
/// Escaped: C0 and C1 controls (ESC, so no CSI or OSC sequence; NUL; NEL), DEL, Unicode format characters
/// (bidi overrides and isolates, zero-width characters), the line and paragraph separators, and surrogates
/// that are not half of a pair, and U+FFFD (bytes that were not UTF-8). Everything else, quotes and non-ASCII letters included, shows as it is.
/// </remarks>
internal static class TerminalText
{
    /// <summary>How much of a value a message quotes, in UTF-16 code units, unless told otherwise.</summary>
    public const int DefaultMaxLength = 64;

    /// <summary>
    /// <paramref name="text"/> cut to <paramref name="maxLength"/> (ending in <c>...</c> when cut), with every
    /// character that could act on a terminal escaped.
    /// </summary>
    public static string Escape(string text, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<char> shown = text.Length > maxLength ? text.AsSpan(0, Math.Max(0, maxLength - 3)) : text;
        var escaped = new StringBuilder(shown.Length + 3);
        while (!shown.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf16(shown, out Rune rune, out int consumed);
            ReadOnlySpan<char> character = shown[..consumed];
            if (status == OperationStatus.Done && IsShown(rune))
            {
                escaped.Append(character);
            }
            else
            {
                // Each UTF-16 code unit of the character, as JSON writes it.
                foreach (char unit in character)
                {
                    escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)unit:X4}");
                }
            }

            shown = shown[consumed..];
        }

        return text.Length > maxLength ? escaped.Append("...").ToString() : escaped.ToString();
    }

    /// <summary><paramref name="text"/> whole, with every character that could act on a terminal escaped: for a path or a message.</summary>
    public static string EscapeWhole(string text) => Escape(text, int.MaxValue);

    // U+FFFD is what reading put in place of bytes that were not UTF-8: escaped, so the message says so rather than showing a glyph.
    private static bool IsShown(Rune rune) => rune != Rune.ReplacementChar && Rune.GetUnicodeCategory(rune) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate);
}
