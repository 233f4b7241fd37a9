namespace FirewallRules.Emitters;

/// <summary>The values given for formats' settings (<see cref="FormatSetting"/>), by the settings' names; a setting not given has none.</summary>
/// <remarks>Immutable.</remarks>
internal sealed class SettingValues
{
    private readonly Dictionary<string, object> _values;

    /// <summary>
    /// Holds <paramref name="values"/>: an <see cref="int"/>, <see cref="bool"/>, <see cref="string"/>, names
    /// (<see cref="IReadOnlyList{T}"/> of strings) or labels (<see cref="IReadOnlyDictionary{TKey, TValue}"/>) per setting name.
    /// </summary>
    public SettingValues(IEnumerable<KeyValuePair<string, object>> values) => _values = new(values, StringComparer.Ordinal);

    /// <summary>No setting given.</summary>
    public static SettingValues None { get; } = new([]);

    /// <summary>These values with <paramref name="names"/> added to those given for the names setting <paramref name="setting"/>.</summary>
    public SettingValues WithNames(FormatSetting setting, IEnumerable<string> names) => new(_values
        .Where(pair => pair.Key != setting.Name)
        .Append(KeyValuePair.Create(setting.Name, (object)(IReadOnlyList<string>)[.. (Names(setting) ?? []).Concat(names).Distinct(StringComparer.OrdinalIgnoreCase)])));

    /// <summary>These values with <paramref name="value"/> for the number setting <paramref name="setting"/>.</summary>
    public SettingValues WithNumber(FormatSetting setting, int value) => new(_values
        .Where(pair => pair.Key != setting.Name)
        .Append(KeyValuePair.Create(setting.Name, (object)value)));

    /// <summary>The number given for <paramref name="setting"/>, or null.</summary>
    public int? Number(FormatSetting setting) => _values.TryGetValue(setting.Name, out object? value) ? (int)value : null;

    /// <summary>Whether the switch <paramref name="setting"/> was given.</summary>
    public bool Switch(FormatSetting setting) => _values.TryGetValue(setting.Name, out object? value) && (bool)value;

    /// <summary>The name given for <paramref name="setting"/>, or null.</summary>
    public string? Text(FormatSetting setting) => _values.TryGetValue(setting.Name, out object? value) ? (string)value : null;

    /// <summary>The names given for <paramref name="setting"/>, or null.</summary>
    public IReadOnlyList<string>? Names(FormatSetting setting) => _values.TryGetValue(setting.Name, out object? value) ? (IReadOnlyList<string>)value : null;

    /// <summary>The labels given for <paramref name="setting"/>, or null.</summary>
    public IReadOnlyDictionary<string, string>? Labels(FormatSetting setting) =>
        _values.TryGetValue(setting.Name, out object? value) ? (IReadOnlyDictionary<string, string>)value : null;
}
