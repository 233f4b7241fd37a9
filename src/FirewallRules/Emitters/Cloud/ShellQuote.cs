namespace FirewallRules.Emitters;

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
}
