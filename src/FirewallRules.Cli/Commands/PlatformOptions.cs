using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Emitters;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>generate</c>'s options that only some formats read, made from the settings the registry's formats declare
/// (<see cref="FormatDescription.Settings"/>) and named by <see cref="SettingFlags"/>: one option per flag, taking the
/// widest range of the settings it sets, refused (exit 2) with a format that does not declare it or outside that
/// format's own range. A new setting is declared once, in its format's folder (and given a flag in <see cref="SettingFlags"/>).
/// </summary>
internal sealed class PlatformOptions
{
    private readonly EmitterRegistry _registry;
    private readonly Dictionary<string, Option> _options = new(StringComparer.Ordinal);

    public PlatformOptions(EmitterRegistry registry)
    {
        _registry = registry;
        foreach (IGrouping<string, FormatSetting> flag in registry.Descriptions.SelectMany(d => d.Settings).DistinctBy(s => s.Name).GroupBy(s => SettingFlags.For(s.Name)))
        {
            _options[flag.Key] = Create(flag.Key, [.. flag]);
        }
    }

    /// <summary>Every option, in the order of the formats that declare them.</summary>
    public IEnumerable<Option> All => _options.Values;

    /// <summary>The option that sets <paramref name="setting"/> (as the library names it), for the options that read it alongside.</summary>
    public Option<T> For<T>(string setting) => (Option<T>)_options[SettingFlags.For(setting)];

    /// <summary>Refuses an option that <paramref name="format"/> does not read, naming the formats that do, or a value outside the format's range.</summary>
    public void Check(CommandResult result, string format)
    {
        FormatDescription description = _registry.Describe(format);
        foreach ((string flag, Option option) in _options.Where(o => result.IsGiven(o.Value)))
        {
            if (description.Settings.FirstOrDefault(s => SettingFlags.For(s.Name) == flag) is not FormatSetting setting)
            {
                IEnumerable<string> formats = _registry.Descriptions.Where(d => d.Settings.Any(s => SettingFlags.For(s.Name) == flag)).Select(d => d.Name);
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
    public SettingValues Bind(ParseResult parse) => new(_registry.Descriptions.SelectMany(d => d.Settings).DistinctBy(s => s.Name)
        .Select(s => (s.Name, Value: Value(parse, s)))
        .Where(s => s.Value is not null)
        .Select(s => KeyValuePair.Create(s.Name, s.Value!)));

    private object? Value(ParseResult parse, FormatSetting setting)
    {
        Option option = _options[SettingFlags.For(setting.Name)];
        return setting.Kind switch
        {
            SettingKind.Number => parse.GetValue((Option<int?>)option),
            SettingKind.Switch => parse.GetValue((Option<bool>)option) ? true : null,
            _ => parse.GetValue((Option<string?>)option),
        };
    }

    // One option for the settings a flag sets: their help in turn, the widest range; a name must suit them all.
    private static Option Create(string flag, FormatSetting[] settings)
    {
        FormatSetting first = settings[0];
        string help = string.Join(" ", settings.Select(s => s.Help).Distinct());
        return first.Kind switch
        {
            SettingKind.Number => CommonOptions.InRange(flag, settings.Min(s => s.Min), settings.Max(s => s.Max), help),
            SettingKind.Switch => new Option<bool>(flag) { Description = help },
            _ => new Option<string?>(flag) { Description = help, HelpName = first.ValueName }.Requiring(name => settings.All(s => s.IsValid(name)), first.Rule),
        };
    }
}
