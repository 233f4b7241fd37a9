using System.CommandLine;
using System.CommandLine.Parsing;

namespace FirewallRules.Cli;

/// <summary>"Did you mean": the known word nearest to a mistyped one.</summary>
internal static class Suggestions
{
    /// <summary>An unknown word named, with the nearest known one when there is one: <c>unrecognized option --fromat; did you mean --format?</c></summary>
    public static string Unrecognized(string kind, string word, IEnumerable<string> known) =>
        $"unrecognized {kind} {word}{(Nearest(word, known) is string nearest ? $"; did you mean {nearest}?" : ".")}";

    /// <summary>Every spelling of the options the command of <paramref name="result"/> takes, with the recursive ones of the commands above it.</summary>
    public static IEnumerable<string> OptionNames(CommandResult result)
    {
        IEnumerable<Option> options = result.Command.Options;
        for (SymbolResult? above = result.Parent; above is CommandResult parent; above = parent.Parent)
        {
            options = options.Concat(parent.Command.Options.Where(o => o.Recursive));
        }

        return options.SelectMany(o => o.Aliases.Prepend(o.Name));
    }

    /// <summary>
    /// The candidate nearest to <paramref name="word"/> (case-insensitive edit distance, a swap of neighbours counting
    /// once), if it is near enough to be a typo: at most a third of the word's length, and at least one edit.
    /// </summary>
    public static string? Nearest(string word, IEnumerable<string> candidates)
    {
        int allowed = Math.Max(1, word.Length / 3);
        return candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary>The optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
