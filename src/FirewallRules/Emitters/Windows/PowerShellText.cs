using System.Text;

namespace FirewallRules.Emitters.Windows;

/// <summary>
/// Data in a generated PowerShell script goes only into single-quoted literals, which expand nothing
/// (double-quoted strings would expand <c>$</c>, <c>$(...)</c> and backticks).
/// </summary>
internal static class PowerShellText
{
    /// <summary>
    /// A single-quoted literal of <paramref name="text"/>. PowerShell ends such a string at <c>'</c> and also
    /// at the typographic quotes U+2018, U+2019, U+201A and U+201B; each becomes the escaped pair <c>''</c>
    /// (as <c>CodeGeneration.EscapeSingleQuotedStringContent</c> doubles them). Other characters outside
    /// printable ASCII, line breaks included, become <c>?</c>.
    /// </summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder(text.Length + 2).Append('\'');
        foreach (char c in text)
        {
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
            {
                literal.Append("''");
            }
            else
            {
                literal.Append(ScriptText.IsPrintable(c) ? c : '?');
            }
        }

        return literal.Append('\'').ToString();
    }
}
