using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The one way the Helm values are read (<see cref="HelmValues"/>, <see cref="HelmFeatures"/>, <see cref="HelmChartParts"/>,
/// <see cref="HelmComponents"/>): by a key's path, in the shape the chart's templates want there. A value of another shape is
/// refused in one line naming the file, the line, the key and the shape (<c>values.yaml:2: datadog.site: must be a single
/// value, not a list</c>), as <see cref="AgentSettings.WrongType"/> refuses a wrong single value, since the chart would
/// fail on it or render something else than the plan reads (<c>datadog: eu1</c> where <c>datadog.site</c> is read,
/// <c>datadog.env</c> as a map, <c>agents.customAgentConfig</c> as a list). A null or a key left out is no value, as Helm reads it.
/// </summary>
internal static class HelmNodes
{
    /// <summary>The node at <paramref name="path"/> (<c>datadog.logs.enabled</c>), of any shape; null when a key on the way is left out or null.</summary>
    /// <exception cref="AgentConfigurationException">A value on the way is not a map.</exception>
    public static YamlNode? Find(YamlMappingNode root, string path, string file)
    {
        YamlNode? node = root;
        string[] parts = path.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            if (node is not YamlMappingNode map)
            {
                return node is null || IsNull(node, file) ? null : throw Shape(node, string.Join('.', parts[..i]), "a map", file);
            }

            node = YamlSettings.Child(map, parts[i], file);
        }

        return node;
    }

    /// <summary>The single value at <paramref name="path"/> (which may be YAML's null); null when it is left out.</summary>
    /// <exception cref="AgentConfigurationException">A list or a map is there.</exception>
    public static YamlScalarNode? Scalar(YamlMappingNode root, string path, string file) => Find(root, path, file) switch
    {
        null => null,
        YamlScalarNode scalar => scalar,
        YamlNode other => throw Shape(other, path, "a single value", file),
    };

    /// <summary>The map at <paramref name="path"/>; null when it is left out or null. <paramref name="what"/> says what the map holds, for the message.</summary>
    /// <exception cref="AgentConfigurationException">A value or a list is there.</exception>
    public static YamlMappingNode? Map(YamlMappingNode root, string path, string file, string? what = null) => Find(root, path, file) switch
    {
        YamlMappingNode map => map,
        YamlNode other when !IsNull(other, file) => throw Shape(other, path, what is null ? "a map" : $"a map ({what})", file),
        _ => null,
    };

    /// <summary>
    /// The entries of the list of maps at <paramref name="path"/> (<c>datadog.env</c>, <c>datadog.envFrom</c>, a component's
    /// <c>ports</c>), each with its key (<c>datadog.env[0]</c>); none when the list is left out or null.
    /// </summary>
    /// <param name="root">The values.</param>
    /// <param name="path">The list's key.</param>
    /// <param name="file">The values' file name, for messages.</param>
    /// <param name="fields">What each entry holds, for the messages: <c>name and value</c>.</param>
    /// <param name="entry">What one entry must be, for the message: <c>a map of name and value</c>.</param>
    /// <exception cref="AgentConfigurationException">A map or a value is there, or an entry is not a map.</exception>
    public static IReadOnlyList<(YamlMappingNode Entry, string Key)> Entries(YamlMappingNode root, string path, string file, string fields, string entry)
    {
        YamlSequenceNode? list = Find(root, path, file) switch
        {
            YamlSequenceNode sequence => sequence,
            YamlNode other when !IsNull(other, file) => throw Shape(other, path, $"a list of {fields} entries", file),
            _ => null,
        };
        return [.. (list?.Children ?? []).Select((node, i) =>
            node is YamlMappingNode map ? (map, $"{path}[{i}]") : throw Shape(node, $"{path}[{i}]", entry, file))];
    }

    /// <summary>The single value of <paramref name="field"/> in an entry (an env entry's <c>name</c>, a port's <c>containerPort</c>); null when left out.</summary>
    /// <exception cref="AgentConfigurationException">A list or a map is there.</exception>
    public static YamlScalarNode? Field(YamlMappingNode entry, string key, string field, string file) => YamlSettings.Child(entry, field, file) switch
    {
        null => null,
        YamlScalarNode scalar => scalar,
        YamlNode other => throw Shape(other, $"{key}.{field}", "a single value", file),
    };

    /// <summary>The refusal of <paramref name="node"/> at <paramref name="key"/>, which must be <paramref name="expected"/>.</summary>
    public static AgentConfigurationException Shape(YamlNode node, string key, string expected, string file) =>
        AgentSettings.WrongType(YamlSettings.ValueOf(node, file), key, expected);

    private static bool IsNull(YamlNode node, string file) => node is YamlScalarNode && YamlSettings.ValueOf(node, file).IsNull;
}
