using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// One setting as a source holds it: a scalar's text (null for YAML's null), or the YAML node of a list or map, with
/// where it was written. <see cref="Quoted"/> tells a YAML string from a plain scalar, which YAML 1.1 may read as a
/// boolean (<c>yes</c>, <c>on</c>), as the agent's parser does.
/// </summary>
internal sealed record SettingValue(string? Text, YamlNode? Node, SettingOrigin Origin, bool Quoted = false)
{
    /// <summary>The name to show in a message instead of the variable it sets (a Helm value such as <c>datadog.logs.enabled</c>).</summary>
    public string? Label { get; init; }

    public bool IsNull => Text is null && Node is null;
}
