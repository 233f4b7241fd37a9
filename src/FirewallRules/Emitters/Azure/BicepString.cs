using System.Globalization;
using System.Text;

namespace FirewallRules.Emitters.Azure;

/// <summary>Bicep strings: single-quoted, with backslash escapes and <c>${...}</c> interpolation.</summary>
internal static class BicepString
{
    /// <summary>
    /// The text as a Bicep string literal that evaluates to exactly the text: <c>\'</c>, <c>\\</c>, <c>\${</c>,
    /// <c>\n</c>, <c>\r</c>, <c>\t</c>, and <c>\u{...}</c> for other control characters.
    /// </summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('\'');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            _ = c switch
            {
                '\'' => quoted.Append("\\'"),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                '$' when i + 1 < text.Length && text[i + 1] == '{' => quoted.Append("\\$"),
                _ when char.IsControl(c) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X}}}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('\'').ToString();
    }
}
