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
    /// <param name="text">The YAML.</param>
    /// <param name="file">Its name, for messages.</param>
    /// <param name="lastKeyWins">A key set twice in one map is read as Agent 6 reads it, the last winning (<see cref="LastKeyWinsParser"/>).</param>
    public static Dictionary<string, SettingValue> Parse(string text, string file, bool lastKeyWins = false)
    {
        YamlMappingNode? root = Stream(text, file, lastKeyWins).Documents is { Count: > 0 } documents ? Root(documents[0], file) : null;
        var settings = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        if (root is not null)
        {
            Flatten(root, string.Empty, file, settings);
        }

        return settings;
    }

    /// <summary>A map of another document (the Helm chart's <c>agents.customAgentConfig</c>) read as a file of settings, its lines kept.</summary>
    public static Dictionary<string, SettingValue> Parse(YamlMappingNode map, string file)
    {
        var settings = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        Flatten(map, string.Empty, file, settings);
        return settings;
    }

    /// <summary>The document's top-level map; null for an empty document (a template with everything commented out but comments).</summary>
    public static YamlMappingNode? Load(string text, string file) => Stream(text, file).Documents is { Count: > 0 } documents ? Root(documents[0], file) : null;

    /// <summary>
    /// The top-level map of every document of a stream (kubectl's multi-document output, a Kustomize or Helm-rendered bundle), empty
    /// documents left out.
    /// </summary>
    /// <exception cref="AgentConfigurationException">The text is not YAML, or a document's top level is not a map.</exception>
    public static IReadOnlyList<YamlMappingNode> LoadAll(string text, string file, bool lastKeyWins = false) =>
        [.. Stream(text, file, lastKeyWins).Documents.Select(d => Root(d, file)).OfType<YamlMappingNode>()];

    private static YamlStream Stream(string text, string file, bool lastKeyWins = false)
    {
        // A NUL byte is no YAML character (YAML 1.2, 5.1): the agent's parser refuses it anywhere, YamlDotNet reads past one at the end or in a
        // comment. Refused as a "\0" in a value is, naming its line.
        if (text.IndexOf('\0', StringComparison.Ordinal) is int at and >= 0)
        {
            throw new AgentConfigurationException(new SettingOrigin(file, text.AsSpan(0, at).Count('\n') + 1), null,
                "holds a NUL character (\\0), which no YAML file, setting, variable or host name can carry: refused");
        }

        // Bounds first, on the parser's events: the loader below recurses and expands aliases.
        YamlBounds.Check(text, file, lastKeyWins);
        var stream = new YamlStream();
        try
        {
            if (lastKeyWins)
            {
                stream.Load(new LastKeyWinsParser(text));
            }
            else
            {
                stream.Load(new StringReader(text));
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // The parser's message can quote the offending text; a secret may be on that line, so only the position is kept.
            throw YamlBounds.Invalid(ex, file, Mark.Empty);
        }

        // A "\0" escape is YAML, but no setting, variable or host name carries a NUL: the container runtime refuses such a variable, and
        // C strings end at it.
        if (stream.Documents.SelectMany(d => d.AllNodes).OfType<YamlScalarNode>().FirstOrDefault(n => n.Value?.Contains('\0', StringComparison.Ordinal) == true)
            is { } nul)
        {
            throw new AgentConfigurationException(Origin(nul, file), null, "a value holds a NUL character (\\0), which no setting, variable or host name can carry: refused");
        }

        return stream;
    }

    private static YamlMappingNode? Root(YamlDocument document, string file) => document.RootNode switch
    {
        YamlMappingNode map => map,
        YamlScalarNode { Value: null or "" or "~" or "null" } => null,
        YamlNode other => throw new AgentConfigurationException(Origin(other, file), null, "the top level must be a map of settings"),
    };

    public static SettingOrigin Origin(YamlNode node, string file) => new(file, (int)node.Start.Line);

    public static SettingValue ValueOf(YamlNode node, string file) => node switch
    {
        // The agent's and the chart's YAML decode a !!binary value into its bytes; read as its base64 text it would name
        // something else (a version, a host) without a word.
        YamlScalarNode { Tag: { IsGlobal: true, Value: "tag:yaml.org,2002:binary" } } => throw new AgentConfigurationException(Origin(node, file), null,
            "a !!binary value is not read: write it as text"),
        YamlScalarNode scalar => new SettingValue(IsNull(scalar) ? null : scalar.Value, null, Origin(node, file),
            scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded),
        _ => new SettingValue(null, node, Origin(node, file)),
    };

    /// <summary>
    /// A map's entries as the agent's YAML library reads them: its own keys, then for a merge key (<c>&lt;&lt;: *defaults</c>,
    /// or a list of aliases) each key of the merged maps the map does not set itself, the first merged map winning.
    /// A merge is shallow: a nested map the map sets itself replaces the merged one whole.
    /// </summary>
    /// <exception cref="AgentConfigurationException">A merge key names something other than a map or a list of maps.</exception>
    public static IEnumerable<(string Name, YamlNode Value)> Entries(YamlMappingNode map, string file)
    {
        var own = new List<(string, YamlNode)>();
        var merged = new List<YamlMappingNode>();
        foreach ((YamlNode keyNode, YamlNode valueNode) in map.Children)
        {
            if (keyNode is YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain or ScalarStyle.Any })
            {
                merged.AddRange(valueNode switch
                {
                    YamlMappingNode one => [one],
                    YamlSequenceNode list when list.Children.All(item => item is YamlMappingNode) => list.Children.Cast<YamlMappingNode>(),
                    _ => throw new AgentConfigurationException(Origin(keyNode, file), null, "a merge key (<<) must name a map or a list of maps"),
                });
            }
            else if (keyNode is YamlScalarNode { Value: string name })
            {
                own.Add((name, valueNode));
            }
        }

        var set = new HashSet<string>(own.Select(entry => entry.Item1), StringComparer.Ordinal);
        foreach (YamlMappingNode source in merged)
        {
            foreach ((string name, YamlNode value) in Entries(source, file))
            {
                if (set.Add(name))
                {
                    own.Add((name, value));
                }
            }
        }

        return own;
    }

    /// <summary>The value of <paramref name="name"/> in <paramref name="map"/>, merge keys honoured; null when it is not there.</summary>
    public static YamlNode? Child(YamlMappingNode map, string name, string file, StringComparison comparison = StringComparison.Ordinal) =>
        Entries(map, file).FirstOrDefault(entry => string.Equals(entry.Name, name, comparison)).Value;

    private static void Flatten(YamlMappingNode map, string prefix, string file, Dictionary<string, SettingValue> settings)
    {
        foreach ((string name, YamlNode valueNode) in Entries(map, file))
        {
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
}
