using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Names;

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

    /// <inheritdoc cref="NearestName.Find"/>
    public static string? Nearest(string word, IEnumerable<string> candidates) => NearestName.Find(word, candidates);
}
