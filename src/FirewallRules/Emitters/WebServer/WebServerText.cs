using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.WebServer;

/// <summary>
/// The web server outputs' comments: <c>#</c> lines of free text kept on one line, whose end is never a backslash (Apache
/// continues a line that ends in one, comment or not, so the next directive would become part of the comment).
/// </summary>
internal static class WebServerText
{
    /// <summary>Writes the provenance and then <paramref name="lines"/> as <c>#</c> comments, when comments are on.</summary>
    public static void Header(TextWriter output, EmitterOptions options, RuleSet rules, IEnumerable<string> lines)
    {
        if (options.Comments)
        {
            Comments(output, [.. rules.Describe(), .. lines]);
        }
    }

    /// <summary>Writes each line as a <c>#</c> comment, made single-line, with no backslash at its end.</summary>
    public static void Comments(TextWriter output, IEnumerable<string> lines) =>
        CommentText.Write(output, "#", lines.Select(line => CommentText.SingleLine(line).TrimEnd('\\', ' ')));

    /// <summary>The prefixes in groups of at most <paramref name="size"/>, in the set's order (IPv4, then IPv6), for directives that take several.</summary>
    public static IEnumerable<Range> Chunks(PrefixSet prefixes, int size)
    {
        for (int start = 0; start < prefixes.Count; start += size)
        {
            yield return start..Math.Min(start + size, prefixes.Count);
        }
    }
}
