using System.Globalization;
using FirewallRules.Advice;

namespace FirewallRules.Emitters;

/// <summary>
/// A setting a format takes beyond <see cref="EmitterOptions"/>, named as <see cref="SettingAdvice"/> names it
/// (<c>AwsSecurityGroupOptions.RulesPerGroup</c>, or <c>AzureNsgOptions.DenyInternetOutbound = false</c> for a switch
/// that turns a default off), with the flag that sets it on <c>fwrules</c>' command line, what it does, the values it
/// takes and what to say about one out of range: declared once, in the format's folder, and read by the command line
/// (its options, its help and the flags its refusals name) and the mirror.
/// </summary>
/// <param name="Name">The setting as the library spells it.</param>
/// <param name="Flag">The command line's option that sets it, e.g. <c>--table</c>.</param>
/// <param name="Kind">A whole number, a switch, a name, names, or labels.</param>
/// <param name="Help">What it does, with its default.</param>
internal sealed record FormatSetting(string Name, string Flag, SettingKind Kind, string Help)
{
    /// <summary>The least whole number the format takes.</summary>
    public int Min { get; init; }

    /// <summary>The greatest whole number the format takes.</summary>
    public int Max { get; init; }

    /// <summary>
    /// What to say about a number outside <see cref="Min"/> to <see cref="Max"/> where another format taking a setting of
    /// the same name allows it (<c>{0}</c>: the setting); null for the plain range.
    /// </summary>
    public SettingAdvice? OutOfRange { get; init; }

    /// <summary>
    /// The value the format uses when the flag is not given, taken from its options' defaults so that help cannot drift
    /// from the library; null for a switch, or when the value depends on other settings or the run (then
    /// <see cref="Help"/> ends with <c>Default: ...</c> in words).
    /// </summary>
    public object? Default { get; init; }

    /// <summary>What help prints: <see cref="Help"/>, then <c>Default: X.</c> when there is a <see cref="Default"/>.</summary>
    public string Described => Default is null ? Help : string.Create(CultureInfo.InvariantCulture, $"{Help} Default: {Default}.");

    /// <summary>What help calls the value, e.g. <c>N</c> or <c>TABLE</c>.</summary>
    public string ValueName { get; init; } = "N";

    /// <summary>Whether a name is one the format takes.</summary>
    public Func<string, bool> IsValid { get; init; } = _ => true;

    /// <summary>The names <see cref="IsValid"/> takes, in words.</summary>
    public string Rule { get; init; } = string.Empty;

    /// <summary>
    /// The format's own check of a value given (a name, names or labels): its options' setter, throwing
    /// <see cref="ArgumentException"/> with the reason it refuses the value; nothing beyond the kind's rules when not set.
    /// </summary>
    public Action<object> Check { get; init; } = _ => { };

    /// <summary>
    /// The advice's spelling of each name this setting answers: its own (the flag, with the value's form for labels, as
    /// <c>--pod-selector KEY=VALUE</c>) and, for a switch, the opposite value's (<c>without --no-dns</c>).
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> AdviceFlags()
    {
        yield return KeyValuePair.Create(Name, Kind == SettingKind.Labels ? $"{Flag} {ValueName}" : Flag);
        if (Kind == SettingKind.Switch)
        {
            const string Off = " = false";
            string opposite = Name.EndsWith(Off, StringComparison.Ordinal) ? $"{Name[..^Off.Length]} = true" : $"{Name}{Off}";
            yield return KeyValuePair.Create(opposite, $"without {Flag}");
        }
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, <paramref name="defaultValue"/> when not given.</summary>
    public static FormatSetting Number(string name, string flag, int min, int max, int defaultValue, string help) =>
        new(name, flag, SettingKind.Number, help) { Min = min, Max = max, Default = defaultValue };

    /// <summary>A switch: given, it sets what <paramref name="name"/> says.</summary>
    public static FormatSetting Switch(string name, string flag, string help) => new(name, flag, SettingKind.Switch, help);

    /// <summary>A name that <paramref name="isValid"/> accepts, <paramref name="rule"/> in words.</summary>
    public static FormatSetting Text(string name, string flag, string valueName, Func<string, bool> isValid, string rule, string help) =>
        new(name, flag, SettingKind.Text, help) { ValueName = valueName, IsValid = isValid, Rule = rule };

    /// <summary>A name that <paramref name="check"/> (the options' setter) accepts.</summary>
    public static FormatSetting Text(string name, string flag, string valueName, Action<string> check, string help) =>
        new(name, flag, SettingKind.Text, help) { ValueName = valueName, Check = value => check((string)value) };

    /// <summary>Names, repeatable, that <paramref name="check"/> (the options' setter) accepts.</summary>
    public static FormatSetting Names(string name, string flag, string valueName, Action<IReadOnlyList<string>> check, string help) =>
        new(name, flag, SettingKind.Names, help) { ValueName = valueName, Check = value => check((IReadOnlyList<string>)value) };

    /// <summary><c>KEY=VALUE</c> labels, repeatable, that <paramref name="check"/> (the options' setter) accepts.</summary>
    public static FormatSetting Labels(string name, string flag, Action<IReadOnlyDictionary<string, string>> check, string help) =>
        new(name, flag, SettingKind.Labels, help) { ValueName = "KEY=VALUE", Check = value => check((IReadOnlyDictionary<string, string>)value) };
}
