namespace FirewallRules.Emitters;

/// <summary>What a format's <see cref="FormatDescription.Configure"/> makes its options from.</summary>
/// <param name="Shared">The options every format takes (name, comments, families...).</param>
/// <param name="Given">The values given for the format's own settings (<see cref="FormatDescription.Settings"/>); the rest keep their defaults.</param>
internal readonly record struct ConfigureArguments(EmitterOptions Shared, SettingValues Given);
