using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>The agent version a user or a chart writes (<c>--agent-version</c>, an image tag) read into the defaults it runs with.</summary>
internal static class AgentVersionSetting
{
    /// <summary>Parses <c>7.60.0</c> (or <c>7.60</c>, <c>7</c>; an image tag's suffix such as <c>-jmx</c> is dropped).</summary>
    /// <exception cref="AgentConfigurationException">It is not a version of Agent 6 or 7.</exception>
    public static AgentDefaults Parse(string text, SettingOrigin origin, string? name)
    {
        // A floating image tag (latest, 7, 7-jmx) runs whatever release is newest: planned as the newest this tool knows, its
        // versioned hosts for any version; 6 runs the last Agent 6.
        Version version = AgentVersions.Read(text, out bool exact)
            ?? throw new AgentConfigurationException(origin, name, ShownValue.For(name ?? "version", text) is { } shown
                ? $"must be an Agent version such as 7.60.0, not '{shown}'"
                : "must be an Agent version such as 7.60.0");
        return AgentVersions.IsRead(version)
            ? new AgentDefaults(version, exact && origin != SettingOrigin.Default)
            : throw new AgentConfigurationException(origin, name,
                $"Agent {version.Major} is not read: datadog.yaml and its DD_* variables are Agent 6 and 7's (Agent 5 used datadog.conf; see 'fwrules ports --agent datadog-v5')");
    }
}
