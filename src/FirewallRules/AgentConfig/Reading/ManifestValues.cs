using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// A DatadogAgent's <c>spec</c> read by path, each value in the shape the Operator's types want (a boolean a boolean: the Kubernetes
/// API refuses another), labelled <c>spec.&lt;path&gt;</c> in messages and notes.
/// </summary>
internal sealed class ManifestValues(YamlMappingNode agent, string file)
{
    public string File => file;

    /// <summary>The DatadogAgent object itself (its metadata and annotations).</summary>
    public YamlMappingNode Agent => agent;

    /// <summary>The single value at <paramref name="path"/>, labelled with it; null when left out or null.</summary>
    public SettingValue? Get(string path) =>
        HelmNodes.Scalar(agent, "spec." + path, file) is YamlScalarNode node && YamlSettings.ValueOf(node, file) is { IsNull: false } value
            ? value with { Label = "spec." + path }
            : null;

    /// <summary>The text at <paramref name="path"/>, trimmed; null when left out, null or blank.</summary>
    public string? Text(string path) => Get(path)?.Text?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>
    /// The boolean at <paramref name="path"/>, or <paramref name="fallback"/> when left out. As the Kubernetes API reads YAML
    /// (sigs.k8s.io/yaml, YAML 1.1): true, false, yes, no, on, off, unquoted; anything else, a quoted "true" included, is refused.
    /// </summary>
    /// <exception cref="AgentConfigurationException">The value is no boolean.</exception>
    public bool Bool(string path, bool fallback)
    {
        if (Get(path) is not SettingValue value)
        {
            return fallback;
        }

        return (value.Quoted ? null : value.Text?.Trim().ToLowerInvariant()) switch
        {
            "true" or "yes" or "on" or "y" => true,
            "false" or "no" or "off" or "n" => false,
            _ => throw AgentSettings.WrongType(value, "spec." + path, "true or false (a boolean: the Kubernetes API refuses anything else there)"),
        };
    }

    /// <summary>The port at <paramref name="path"/> (1-65535), or null when left out.</summary>
    /// <exception cref="AgentConfigurationException">The value is no port.</exception>
    public int? Port(string path) => Get(path) is not SettingValue value ? null
        : int.TryParse(value.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535
            ? port
            : throw AgentSettings.WrongType(value, "spec." + path, "a port number from 1 to 65535");

    /// <summary>The map at <paramref name="path"/>; null when left out.</summary>
    public YamlMappingNode? Map(string path) => HelmNodes.Map(agent, "spec." + path, file);

    /// <summary>The entries of the list of maps at <paramref name="path"/> (an <c>env</c> list).</summary>
    public IReadOnlyList<(YamlMappingNode Entry, string Key)> Entries(string path, string fields, string entry) =>
        HelmNodes.Entries(agent, "spec." + path, file, fields, entry);
}
