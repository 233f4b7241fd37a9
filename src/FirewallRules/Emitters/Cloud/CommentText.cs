using System.Globalization;

namespace FirewallRules.Emitters.Cloud;

/// <summary>
/// Free text (provenance, notes) made safe for line comments (<c>#</c>, <c>//</c>), where a line break would end
/// the comment and start code, and for JSON writers, which refuse unpaired surrogates.
/// </summary>
internal static class CommentText
{
    /// <summary>The longest line made, in characters: a hard bound whatever the caller passes.</summary>
    private const int MaxLength = 1000;

    /// <summary>
    /// The text on one line: control characters and Unicode line separators become spaces, unpaired
    /// surrogates become U+FFFD. Cut to 1000 characters (ending in <c>...</c>) when longer.
    /// </summary>
    public static string SingleLine(string text) => text.Length > MaxLength ? SingleLine(string.Concat(text.AsSpan(0, MaxLength - 3), "...")) : OnOneLine(text);

    private static string OnOneLine(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                bool paired = char.IsHighSurrogate(c) ? i + 1 < source.Length && char.IsLowSurrogate(source[i + 1])
                    : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(source[i - 1]));
                span[i] = !paired ? '\uFFFD'
                    : char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator ? ' '
                    : c;
            }
        });

    /// <summary>Each line made single-line (see <see cref="SingleLine"/>).</summary>
    public static IReadOnlyList<string> SingleLines(IEnumerable<string> lines) => lines.Select(SingleLine).ToArray();

    /// <summary>Writes each line of <paramref name="lines"/> after <paramref name="marker"/>, made single-line.</summary>
    public static void Write(TextWriter output, string marker, IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            output.Write(marker);
            output.Write(line.Length == 0 ? string.Empty : " " + SingleLine(line));
            output.Write('\n');
        }
    }
}
