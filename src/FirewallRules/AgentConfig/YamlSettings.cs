using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// A YAML file read into the agent's flat keys: nested maps become dotted keys, lower-cased as the agent's
/// configuration library matches them (<c>GUI_port</c> is <c>gui_port</c>). Lists and maps stay nodes for the
/// settings that hold them (<c>proxy.no_proxy</c>, <c>additional_endpoints</c>).
/// </summary>
internal static class YamlSettings
{
    /// <exception cref="AgentConfigurationException">The text is not YAML, or its top level is not a map.</exception>
    public static Dictionary<string, SettingValue> Parse(string text, string file)
    {
        YamlMappingNode? root = Load(text, file);
        var settings = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        if (root is not null)
        {
            Flatten(root, string.Empty, file, settings);
        }

        return settings;
    }

    /// <summary>The document's top-level map; null for an empty document (a template with everything commented out but comments).</summary>
    public static YamlMappingNode? Load(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // The parser's message can quote the offending text; a secret may be on that line, so only the position is kept.
            throw new AgentConfigurationException(new SettingOrigin(file, (int)ex.Start.Line), null, $"not valid YAML ({Problem(ex)})");
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode map => map,
            YamlScalarNode { Value: null or "" or "~" or "null" } => null,
            YamlNode other => throw new AgentConfigurationException(Origin(other, file), null, "the top level must be a map of settings"),
        };
    }

    public static SettingOrigin Origin(YamlNode node, string file) => new(file, (int)node.Start.Line);

    public static SettingValue ValueOf(YamlNode node, string file) => node switch
    {
        YamlScalarNode scalar => new SettingValue(IsNull(scalar) ? null : scalar.Value, null, Origin(node, file),
            scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded),
        _ => new SettingValue(null, node, Origin(node, file)),
    };

    private static void Flatten(YamlMappingNode map, string prefix, string file, Dictionary<string, SettingValue> settings)
    {
        foreach ((YamlNode keyNode, YamlNode valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: string name })
            {
                continue;
            }

            string key = prefix + name.ToLowerInvariant();
            settings[key] = ValueOf(valueNode, file);
            if (valueNode is YamlMappingNode child)
            {
                Flatten(child, key + ".", file, settings);
            }
        }
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    // "While scanning a plain scalar, found ..." without the scalar itself.
    private static string Problem(YamlException ex)
    {
        string message = ex.Message;
        int colon = message.IndexOf("):", StringComparison.Ordinal);
        string text = colon >= 0 ? message[(colon + 2)..].Trim() : message;
        int quote = text.IndexOfAny(['\'', '"']);
        return (quote > 0 ? text[..quote] : text).TrimEnd(' ', ',', '.').ToLowerInvariant() + $", column {ex.Start.Column}";
    }
}
