namespace FirewallRules.Emitters;

/// <summary>The values a <see cref="FormatSetting"/> takes.</summary>
internal enum SettingKind
{
    /// <summary>A whole number within the setting's range.</summary>
    Number,

    /// <summary>On when given.</summary>
    Switch,

    /// <summary>A name the setting's rule accepts.</summary>
    Text,
}
