using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Emitters;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>generate</c>'s options that only some formats read, made from the settings the registry's formats declare
/// (<see cref="FormatDescription.Settings"/>) and named by <see cref="SettingFlags"/>: one option per flag, taking the
/// widest range of the settings it sets, checked by the format's own check (its options' setter), refused (exit 2) with
/// a format that does not declare it or outside that format's own range. A new setting is declared once, in its
/// format's folder (and given a flag in <see cref="SettingFlags"/>).
/// </summary>
internal sealed class PlatformOptions
{
    private readonly EmitterRegistry _registry;
    private readonly Dictionary<string, Option> _options = new(StringComparer.Ordinal);

    public PlatformOptions(EmitterRegistry registry)
    {
        _registry = registry;
        foreach (IGrouping<string, FormatSetting> flag in registry.Descriptions.SelectMany(d => d.Settings).DistinctBy(s => s.Name).GroupBy(s => s.Flag))
        {
            _options[flag.Key] = Create(flag.Key, [.. flag]);
        }
    }

    /// <summary>Every option, in the order of the formats that declare them.</summary>
    public IEnumerable<Option> All => _options.Values;

    /// <summary>Whether <paramref name="flag"/> is on the command line, not false (<c>--by-name</c>, <c>--by-name true</c>).</summary>
    public bool IsGiven(CommandResult result, string flag) =>
        _options.TryGetValue(flag, out Option? option) && result.GetResult(option) is { Implicit: false } given
            && !given.Tokens.Any(t => string.Equals(t.Value, "false", StringComparison.OrdinalIgnoreCase));

    /// <summary>Refuses an option that <paramref name="format"/> does not read, naming the formats that do, or a value outside the format's range.</summary>
    public void Check(CommandResult result, string format)
    {
        FormatDescription description = _registry.Describe(format);
        foreach ((string flag, Option option) in _options.Where(o => result.IsGiven(o.Value)))
        {
            if (description.Settings.FirstOrDefault(s => s.Flag == flag) is not FormatSetting setting)
            {
                IEnumerable<string> formats = _registry.Descriptions.Where(d => d.Settings.Any(s => s.Flag == flag)).Select(d => d.Name);
                result.AddError($"{flag} applies to {string.Join(", ", formats)}, not to {format}.");
            }
            else if (setting.Kind == SettingKind.Number && result.GetResult(option) is { Tokens: [var token] } && int.TryParse(token.Value, out int value)
                && (value < setting.Min || value > setting.Max))
            {
                result.AddError(setting.OutOfRange?.Format(SettingFlags.For) ?? $"{flag} must be between {setting.Min} and {setting.Max} for {format}.");
            }
        }
    }

    /// <summary>The values given, by the settings' names (every setting a flag sets gets its value).</summary>
    public SettingValues Bind(ParseResult parse) => Bind(parse, _registry.Descriptions.SelectMany(d => d.Settings).DistinctBy(s => s.Name), _options);

    /// <summary>The values given for <paramref name="settings"/> through <paramref name="options"/> (by flag).</summary>
    public static SettingValues Bind(ParseResult parse, IEnumerable<FormatSetting> settings, IReadOnlyDictionary<string, Option> options) => new(settings
        .Select(s => (s.Name, Value: Value(parse, s, options[s.Flag])))
        .Where(s => s.Value is not null)
        .Select(s => KeyValuePair.Create(s.Name, s.Value!)));

    /// <summary>
    /// One option for the settings a flag sets: their help in turn (or <paramref name="help"/>), the widest range; a
    /// value must pass every setting's check.
    /// </summary>
    public static Option Create(string flag, FormatSetting[] settings, string? help = null)
    {
        FormatSetting first = settings[0];
        help ??= string.Join(" ", settings.Select(s => s.Described).Distinct());
        Option option = first.Kind switch
        {
            SettingKind.Number => CommonOptions.InRange(flag, settings.Min(s => s.Min), settings.Max(s => s.Max), help),
            SettingKind.Switch => new Option<bool>(flag) { Description = help },
            SettingKind.Names => new Option<string[]?>(flag) { Description = help, HelpName = first.ValueName },
            SettingKind.Labels => new Option<Dictionary<string, string>?>(flag)
            {
                Description = help, HelpName = first.ValueName, Arity = ArgumentArity.OneOrMore, CustomParser = result => ParseLabels(flag, result),
            },
            _ => new Option<string?>(flag) { Description = help, HelpName = first.ValueName }.Requiring(name => settings.All(s => s.IsValid(name)), first.Rule),
        };
        option.Validators.Add(result => CheckValue(result, flag, settings));
        return option;
    }

    private static object? Value(ParseResult parse, FormatSetting setting, Option option) => setting.Kind switch
    {
        SettingKind.Number => parse.GetValue((Option<int?>)option),
        SettingKind.Switch => parse.GetValue((Option<bool>)option) ? true : null,
        SettingKind.Names => parse.GetValue((Option<string[]?>)option),
        SettingKind.Labels => parse.GetValue((Option<Dictionary<string, string>?>)option),
        _ => parse.GetValue((Option<string?>)option),
    };

    // The format's own check is the one check of a value: what its setter refuses is a usage error with its reason. A
    // value that does not convert (--priority x) is reported by the parser itself, in its own words.
    private static void CheckValue(OptionResult result, string flag, FormatSetting[] settings)
    {
        object? value;
        try
        {
            value = result.GetValueOrDefault<object?>();
        }
        catch (InvalidOperationException)
        {
            return;
        }

        if (value is null)
        {
            return;
        }

        foreach (FormatSetting setting in settings)
        {
            try
            {
                setting.Check(value);
            }
            catch (ArgumentException ex)
            {
                result.AddError(Reason(flag, ex));
                return;
            }
        }
    }

    // "--namespace 'X' is not a namespace name: ...", "--priority must be less than or equal to '65535'."
    private static string Reason(string option, ArgumentException refusal)
    {
        string reason = refusal.Message.Split(" (Parameter", 2)[0];
        int must = reason.IndexOf(" must ", StringComparison.Ordinal);
        return must >= 0 ? $"{option}{reason[must..]}" : $"{option} {reason}";
    }

    private static Dictionary<string, string>? ParseLabels(string flag, ArgumentResult result)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Token token in result.Tokens)
        {
            if (token.Value.Split('=', 2) is not [{ Length: > 0 } key, string value])
            {
                result.AddError($"{flag} '{token.Value}': write KEY=VALUE, e.g. app=datadog-agent");
                return null;
            }

            labels[key] = value;
        }

        return labels;
    }
}
