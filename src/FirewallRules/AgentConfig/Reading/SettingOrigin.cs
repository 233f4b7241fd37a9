namespace FirewallRules.AgentConfig;

/// <summary>Where a setting's value came from: a file and line, or the agent's default.</summary>
internal readonly record struct SettingOrigin(string File, int? Line)
{
    public static SettingOrigin Default { get; } = new("the agent's default", null);

    public override string ToString() => Line is int line ? $"{File}:{line}" : File;
}
