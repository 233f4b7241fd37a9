namespace FirewallRules.Emitters.Cloud;

/// <summary>Quoting for POSIX shells (bash scripts for the AWS and Azure CLIs).</summary>
internal static class ShellQuote
{
    /// <summary>
    /// The word as one literal shell argument: unchanged when it holds only characters no shell treats
    /// specially, otherwise single-quoted (inside single quotes nothing expands; a quote is written <c>'\''</c>).
    /// </summary>
    public static string Argument(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '/' or '@' or '%' or '+' or '=' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// The text inside double quotes, for arguments that must hold single quotes (JMESPath literals): <c>$</c>,
    /// <c>`</c>, <c>\</c> and <c>"</c>, the only characters that keep a meaning there, are backslash-escaped.
    /// </summary>
    public static string DoubleQuoted(string text)
    {
        var quoted = new System.Text.StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            if (c is '$' or '`' or '\\' or '"')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }
}
