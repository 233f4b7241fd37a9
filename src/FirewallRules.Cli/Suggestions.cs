using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using FirewallRules.Names;

namespace FirewallRules.Cli;

/// <summary>"Did you mean": the known word nearest to a mistyped one.</summary>
internal static class Suggestions
{
    /// <summary>
    /// An unknown word named, with the nearest known one when there is one: <c>unrecognized option --fromat; did you mean --format?</c>.
    /// An unknown option of one letter (<c>-s</c>) gets no guess: every other letter is one edit away, so the nearest is chance.
    /// </summary>
    public static string Unrecognized(string kind, string word, IEnumerable<string> known) =>
        $"unrecognized {kind} {word}{(!IsShortOption(kind, word) && Nearest(word, known) is string nearest ? $"; did you mean {nearest}?" : ".")}";

    /// <summary>
    /// Every spelling of the options the command of <paramref name="result"/> takes, with the recursive ones of the commands above
    /// it; of help, only <c>--help</c> (its other spellings, <c>-?</c> and <c>/h</c>, are nobody's typo).
    /// </summary>
    public static IEnumerable<string> OptionNames(CommandResult result)
    {
        IEnumerable<Option> options = result.Command.Options;
        for (SymbolResult? above = result.Parent; above is CommandResult parent; above = parent.Parent)
        {
            options = options.Concat(parent.Command.Options.Where(o => o.Recursive));
        }

        return options.SelectMany(o => o is HelpOption ? [o.Name] : o.Aliases.Prepend(o.Name));
    }

    private static bool IsShortOption(string kind, string word) => kind == "option" && word.Length == 2 && word[0] == '-';

    /// <inheritdoc cref="NearestName.Find"/>
    public static string? Nearest(string word, IEnumerable<string> candidates) => NearestName.Find(word, candidates);
}
