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

    /// <summary>Names, one per use (repeatable), each accepted by the setting's check.</summary>
    Names,

    /// <summary>Labels, one <c>KEY=VALUE</c> per use (repeatable), accepted together by the setting's check.</summary>
    Labels,
}
