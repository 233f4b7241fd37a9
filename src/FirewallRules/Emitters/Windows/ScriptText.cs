namespace FirewallRules.Emitters.Windows;

/// <summary>
/// Plain text in the Windows scripts: printable ASCII only, so the file means the same in any code page
/// (Windows PowerShell 5.1 reads a file without a byte order mark as ANSI, netsh as the console's code page).
/// </summary>
internal static class ScriptText
{
    /// <summary>Whether <paramref name="c"/> is printable ASCII (space to <c>~</c>).</summary>
    public static bool IsPrintable(char c) => c is >= ' ' and <= '~';

    /// <summary><paramref name="text"/> with every character outside printable ASCII replaced by <c>?</c>.</summary>
    public static string Printable(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            span[i] = IsPrintable(source[i]) ? source[i] : '?';
        }
    });

    /// <summary>
    /// A one-line <c>#</c> comment, which both PowerShell and netsh scripts have: a line break in
    /// <paramref name="text"/> would end it and start code, so none survives.
    /// </summary>
    public static string Comment(string text) => text.Length == 0 ? "#" : "# " + Printable(text);
}
