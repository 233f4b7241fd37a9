namespace FirewallRules.Emitters.Windows;

/// <summary>
/// Text that is safe in a netsh script and on a cmd.exe line: netsh has no escape for <c>"</c> inside a
/// quoted value, and cmd.exe gives meaning to <c>&amp; | &lt; &gt; ^ % ( )</c>.
/// </summary>
internal static class NetshText
{
    /// <summary>
    /// <paramref name="text"/> as the inside of a quoted value: letters, digits, space and <c>. , : / - _</c>
    /// are kept, anything else becomes <c>_</c>, and the result is cut to <paramref name="maxLength"/> characters.
    /// </summary>
    public static string Value(string text, int maxLength)
    {
        string kept = string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or ',' or ':' or '/' or '-' or '_' ? c : '_';
            }
        });
        return kept.Length <= maxLength ? kept : kept[..maxLength];
    }
}
