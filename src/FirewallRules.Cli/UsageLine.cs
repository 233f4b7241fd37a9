using System.CommandLine;
using System.CommandLine.Parsing;

namespace FirewallRules.Cli;

/// <summary>
/// The one line a command line that cannot run gets (exit 2, as every usage error), decided once for the run and for the tests
/// that walk the command tree. System.CommandLine reports usage errors as 1 and in several lines; here: no command at all, the
/// parser's first error, an option given again at the end without its value (the parser keeps the first value and says
/// nothing), and <c>--version</c> with anything else. A word read from a response file (<c>@FILE</c>) is never quoted: the line
/// names the file instead, since such a file may hold what a command line should not show (a webhook's token, say).
/// </summary>
internal static class UsageLine
{
    /// <summary>The usage line for <paramref name="parsed"/>, the parse of <paramref name="args"/>; null when the command line can run.</summary>
    public static string? Of(ParseResult parsed, IReadOnlyList<string> args)
    {
        Command root = parsed.RootCommandResult.Command;
        if (args.Count == 0)
        {
            // `fwrules` alone did nothing a script could rely on: one line saying what it takes and where the rest is.
            return $"fwrules: a command is required: {string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}. See 'fwrules --help'.";
        }

        bool version = parsed.RootCommandResult.Children.Any(c => c is OptionResult { Option: VersionOption });
        string? sentence = parsed.UnmatchedTokens is [string token, ..] ? Unrecognized(parsed, token)
            // --version prints with an option beside it (`--version --help`), or says so in the parser's words (`--help --version`).
            : version && parsed.Tokens.Count > 1 ? $"--version stands alone, not with {parsed.Tokens.First(t => t.Value != "--version").Value}"
            : parsed.Errors is [ParseError error, ..] ? Reworded(error, parsed)
            : Unfinished(parsed);
        if (sentence is null)
        {
            return null;
        }

        sentence = NamingResponseFiles(sentence.TrimEnd(), parsed, args);
        Command command = parsed.CommandResult.Command;
        return Line(sentence, command == root ? "fwrules" : $"fwrules {command.Name}");
    }

    /// <summary>
    /// The usage line for a command line refused before it is parsed: <paramref name="sentence"/> says why its response files
    /// cannot be read (<see cref="ResponseFiles"/>); the help named is the verb's when the line starts with one.
    /// </summary>
    public static string Refused(string sentence, RootCommand root) =>
        Line(sentence, root.Subcommands is [Command verb] ? $"fwrules {verb.Name}" : "fwrules");

    private static string Line(string sentence, string verb) =>
        $"fwrules: {sentence}{(sentence.EndsWith('.') || sentence.EndsWith('?') ? string.Empty : ".")} See '{verb} --help'.";

    /// <summary>
    /// An option that takes a value given again without one at the end of the line, where the parser has the value of an earlier
    /// use of it (<c>--format iptables --format</c>, <c>-s logs -s</c>) and says nothing; null when none. (Before another word,
    /// the parser takes that word as its value, and the option's own check refuses it.)
    /// </summary>
    private static string? Unfinished(ParseResult parsed)
    {
        // The spellings of the options that take a value, of the verb and of the commands above it (--quiet is the root's).
        HashSet<string> taking = [];
        for (SymbolResult? at = parsed.CommandResult; at is CommandResult command; at = command.Parent)
        {
            taking.UnionWith(command.Command.Options.Where(o => o.Arity.MinimumNumberOfValues > 0).SelectMany(o => o.Aliases.Prepend(o.Name)));
        }

        IReadOnlyList<Token> tokens = parsed.Tokens;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.Option && taking.Contains(tokens[i].Value)
                && (i + 1 == tokens.Count || tokens[i + 1].Type != TokenType.Argument))
            {
                return $"{tokens[i].Value} needs a value each time it is given";
            }
        }

        return null;
    }

    // An unknown word is the root cause of whatever else failed (the words after it, a required option it misspelled): it alone is
    // named, with the nearest word the verb knows.
    private static string Unrecognized(ParseResult parsed, string token)
    {
        bool option = token.StartsWith('-');
        Command command = parsed.CommandResult.Command;
        IEnumerable<string> known = option ? Suggestions.OptionNames(parsed.CommandResult) : command.Subcommands.Select(c => c.Name);
        string kind = option ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
        return Suggestions.Unrecognized(kind, token, known);
    }

    /// <summary>A required option left out, in the tool's words: what is missing and what it takes; other errors as they are.</summary>
    private static string Reworded(ParseError error, ParseResult parsed)
    {
        Option? missing = parsed.CommandResult.Command.Options.FirstOrDefault(option =>
            option.Required && error.Message.Contains($"'{option.Name}'", StringComparison.Ordinal));
        if (missing is null)
        {
            return error.Message;
        }

        // The description's first sentence says what the option takes, when it is short enough for one line.
        string first = (missing.Description ?? string.Empty).Split(". ")[0].TrimEnd('.');
        string what = first.Length is > 1 and <= 160
            ? $": {(char.IsLower(first[1]) ? char.ToLowerInvariant(first[0]) : first[0])}{first[1..]}"
            : string.Empty;
        return $"{parsed.CommandResult.Command.Name} needs {missing.Name} {missing.HelpName ?? "VALUE"}{what}.";
    }

    /// <summary>
    /// <paramref name="sentence"/>, or when it quotes a word read from a response file (a value or unknown word the command line
    /// itself does not hold), what went wrong named by the file and the option, never by the word.
    /// </summary>
    private static string NamingResponseFiles(string sentence, ParseResult parsed, IReadOnlyList<string> args)
    {
        // A response file's @NAME is replaced by its words: one left among the tokens was no file.
        string[] files = [.. args.Where(arg => arg.Length > 1 && arg[0] == '@' && !parsed.Tokens.Any(t => t.Value == arg)).Distinct()];
        bool quotes = files.Length > 0 && parsed.Tokens
            .Where(t => t.Type == TokenType.Argument && t.Value.Trim().Length > 0 && !args.Contains(t.Value))
            .Any(t => sentence.Contains(t.Value.Trim(), StringComparison.Ordinal));
        if (!quotes)
        {
            return sentence;
        }

        string named = $"{(files.Length == 1 ? "response file" : "response files")} {string.Join(", ", files)}";
        return parsed.UnmatchedTokens is [string unknown, ..] && !args.Contains(unknown)
            ? $"an unrecognized {(unknown.StartsWith('-') ? "option" : "word")} in {named} (its words are not shown)"
            : parsed.Errors is [{ SymbolResult: var at }, ..] && (at as OptionResult ?? at?.Parent as OptionResult) is { } option
            ? $"{option.Option.Name} as {named} gives it is refused (its words are not shown)"
            : $"a word of {named} is refused (its words are not shown)";
    }
}
