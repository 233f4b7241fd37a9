using System.CommandLine;
using System.CommandLine.Parsing;

namespace FirewallRules.Cli;

/// <summary>
/// Options that take one of a fixed set of words, read case-insensitively; a word not in the set is a usage error that
/// lists the set and suggests the nearest.
/// </summary>
internal static class Choices
{
    /// <summary>An enum's values by their names in lower case, words joined by '-' (<c>egress</c>, <c>same-region</c>, <c>ipv4</c>).</summary>
    public static IReadOnlyDictionary<string, T> Of<T>()
        where T : struct, Enum => Of(Enum.GetValues<T>());

    /// <summary>Some of an enum's values, named as <see cref="Of{T}()"/> names them.</summary>
    public static IReadOnlyDictionary<string, T> Of<T>(params T[] values)
        where T : struct, Enum => values.ToDictionary(Word, StringComparer.OrdinalIgnoreCase);

    /// <summary>How the command line spells an enum value: <c>PeeredVpc</c> is <c>peered-vpc</c>, <c>IPv4</c> is <c>ipv4</c>.</summary>
    public static string Word<T>(T value)
        where T : struct, Enum
    {
        string name = value.ToString();
        var word = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsAsciiLetterUpper(name[i]) && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1])))
            {
                word.Append('-');
            }

            word.Append(char.ToLowerInvariant(name[i]));
        }

        return word.ToString();
    }

    /// <summary>Words mapped to themselves.</summary>
    public static IReadOnlyDictionary<string, string> Of(IEnumerable<string> words) =>
        words.ToDictionary(word => word, StringComparer.OrdinalIgnoreCase);

    /// <summary>An option taking one word of <paramref name="choices"/>.</summary>
    public static Option<T> Single<T>(string name, string[] aliases, IReadOnlyDictionary<string, T> choices, string description) =>
        Completing(new Option<T>(name, aliases)
        {
            Description = description,
            CustomParser = result => Read(result, result.Tokens[0].Value, choices),
            Arity = ArgumentArity.ExactlyOne,
            HelpName = Label(choices),
        }, choices.Keys);

    /// <summary>An option taking one word of <paramref name="choices"/>, or nothing (null).</summary>
    public static Option<T?> Optional<T>(string name, string[] aliases, IReadOnlyDictionary<string, T> choices, string description)
        where T : struct =>
        Completing(new Option<T?>(name, aliases)
        {
            Description = description,
            CustomParser = result => Read(result, result.Tokens[0].Value, choices),
            Arity = ArgumentArity.ExactlyOne,
            HelpName = Label(choices),
        }, choices.Keys);

    /// <summary>An option taking words of <paramref name="choices"/>, repeated or several per token.</summary>
    public static Option<T[]> Several<T>(string name, string[] aliases, IReadOnlyDictionary<string, T> choices, string description) =>
        Completing(new Option<T[]>(name, aliases)
        {
            Description = description,
            CustomParser = result => [.. result.Tokens.Select(token => Read(result, token.Value, choices))],
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
            HelpName = Label(choices),
        }, choices.Keys);

    /// <summary>The value of <paramref name="word"/>, or a usage error naming the choices.</summary>
    private static T Read<T>(ArgumentResult result, string word, IReadOnlyDictionary<string, T> choices)
    {
        if (choices.TryGetValue(word, out T? value))
        {
            return value;
        }

        string option = result.Parent is OptionResult parent ? parent.Option.Name : "the value";
        string suggestion = Suggestions.Nearest(word, choices.Keys) is string nearest ? $" Did you mean '{nearest}'?" : string.Empty;
        result.AddError($"'{word}' is not a value of {option}: use one of {string.Join(", ", choices.Keys)}.{suggestion}");
        return default!;
    }

    /// <summary>The words <paramref name="option"/> takes as its completions, in place of its type's: a shell, and the tests that walk every choice, read them.</summary>
    private static Option<T> Completing<T>(Option<T> option, IEnumerable<string> words)
    {
        option.CompletionSources.Clear();
        option.CompletionSources.Add([.. words]);
        return option;
    }

    private static string Label<T>(IReadOnlyDictionary<string, T> choices) =>
        choices.Count <= 4 ? string.Join('|', choices.Keys) : "VALUE";
}
