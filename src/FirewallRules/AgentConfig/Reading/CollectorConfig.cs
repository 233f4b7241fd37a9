using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The DDOT Collector's configuration (an OpenTelemetry Collector configuration) as the collector builds its pipelines from it: the
/// receivers and exporters each pipeline of <c>service.pipelines</c> names (a component defined and named by no pipeline does not
/// start), each with its settings, <c>${env:NAME}</c> and <c>${NAME}</c> replaced from the Agent's environment (the collector's
/// <c>envprovider</c>; a variable it does not set is empty). Several files are merged in order, a later one's keys over an earlier's,
/// as the collector's resolver merges its configuration URIs.
/// </summary>
/// <remarks>
/// Sources: go.opentelemetry.io/collector (service pipelines; confmap's resolver and envprovider), and the DDOT Collector's own
/// reading of it, DataDog/datadog-agent @ <c>95fa9183822d8bd79166654d7dfb6212aa05fec1</c> <c>cmd/otel-agent/config/agent_config.go</c>.
/// </remarks>
/// <param name="Name">Where the configuration was read (a file, a chart value, a manifest's field), for messages.</param>
/// <param name="Pipelines">Each pipeline's signal (<c>traces</c>, <c>metrics</c>, <c>logs</c>), receivers and exporters.</param>
/// <param name="Receivers">The settings of each receiver a pipeline names, by its full name (<c>otlp</c>, <c>otlp/internal</c>).</param>
/// <param name="Exporters">The settings of each exporter a pipeline names (connectors, which pipelines name as exporters too, left out).</param>
internal sealed record CollectorConfig(string Name, IReadOnlyList<CollectorPipeline> Pipelines,
    IReadOnlyDictionary<string, YamlMappingNode> Receivers, IReadOnlyDictionary<string, YamlMappingNode> Exporters)
{
    /// <summary>Reads <paramref name="documents"/>, merged in order.</summary>
    /// <exception cref="AgentConfigurationException">A key has the wrong shape.</exception>
    public static CollectorConfig Read(IReadOnlyList<YamlMappingNode> documents, string name, IReadOnlyDictionary<string, SettingValue> environment)
    {
        var root = new YamlMappingNode();
        foreach (YamlMappingNode document in documents)
        {
            Merge(root, Expand(document, name));
        }

        var pipelines = new List<CollectorPipeline>();
        foreach ((string pipeline, YamlNode value) in HelmNodes.Map(root, "service.pipelines", name) is { } map ? YamlSettings.Entries(map, name) : [])
        {
            YamlMappingNode entry = value as YamlMappingNode ?? throw HelmNodes.Shape(value, $"service.pipelines.{pipeline}", "a map of receivers and exporters", name);
            pipelines.Add(new(pipeline.Split('/')[0], Names(entry, "receivers", pipeline, name), Names(entry, "exporters", pipeline, name)));
        }

        HashSet<string> connectors = HelmNodes.Map(root, "connectors", name) is { } defined ? [.. YamlSettings.Entries(defined, name).Select(e => e.Name)] : [];
        return new CollectorConfig(name, pipelines, Components(root, "receivers", pipelines.SelectMany(p => p.Receivers), name),
            Components(root, "exporters", pipelines.SelectMany(p => p.Exporters).Where(e => !connectors.Contains(e)), name))
        {
            Environment = environment,
        };
    }

    /// <summary>The Agent's environment, which <c>${env:NAME}</c> reads.</summary>
    public IReadOnlyDictionary<string, SettingValue> Environment { get; init; } = new Dictionary<string, SettingValue>();

    /// <summary>
    /// The text at <paramref name="path"/> in a component's settings, <c>${env:NAME}</c> and <c>${NAME}</c> replaced as the collector's env
    /// provider replaces them in a value; null when left out, null or empty.
    /// </summary>
    /// <exception cref="AgentConfigurationException">A list or a map is there.</exception>
    public string? Text(YamlMappingNode settings, string path) =>
        HelmNodes.Scalar(settings, path, Name) is { Value: string text } && Expanded(text, Environment).Trim() is { Length: > 0 } value ? value : null;

    /// <summary>The component's type: <c>otlphttp</c> for <c>otlphttp/gateway</c>.</summary>
    public static string TypeOf(string component) => component.Split('/')[0];

    /// <summary>The signals of the pipelines that name <paramref name="exporter"/>.</summary>
    public IEnumerable<string> SignalsOf(string exporter) => Pipelines.Where(p => p.Exporters.Contains(exporter)).Select(p => p.Signal).Distinct();

    // ${env:NAME} and ${NAME} as the collector's env provider expands them, from the Agent's environment; $$ is a literal $.
    private static string Expanded(string text, IReadOnlyDictionary<string, SettingValue> environment) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\$\$|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}", m => m.Value == "$$" ? "$"
            : environment.TryGetValue(m.Groups[1].Value, out SettingValue? value) && value.Text is string set ? set : string.Empty);

    // A configuration may be split over several files: the later's keys over the earlier's, maps merged key by key.
    private static void Merge(YamlMappingNode into, YamlMappingNode from)
    {
        foreach ((YamlNode key, YamlNode value) in from.Children)
        {
            if (into.Children.TryGetValue(key, out YamlNode? before) && before is YamlMappingNode old && value is YamlMappingNode add)
            {
                Merge(old, add);
            }
            else
            {
                into.Children[key] = value;
            }
        }
    }

    // The map with its merge keys resolved, so that Merge sees each key once.
    private static YamlMappingNode Expand(YamlMappingNode map, string name)
    {
        var expanded = new YamlMappingNode();
        foreach ((string key, YamlNode value) in YamlSettings.Entries(map, name))
        {
            expanded.Add(key, value is YamlMappingNode child ? Expand(child, name) : value);
        }

        return expanded;
    }

    private static IReadOnlyList<string> Names(YamlMappingNode pipeline, string list, string pipelineName, string name) =>
        YamlSettings.Child(pipeline, list, name) switch
        {
            null => [],
            YamlSequenceNode names => [.. names.Children.Select(n => n is YamlScalarNode { Value: string component } ? component.Trim()
                : throw HelmNodes.Shape(n, $"service.pipelines.{pipelineName}.{list}", "a list of component names", name))],
            YamlNode other => throw HelmNodes.Shape(other, $"service.pipelines.{pipelineName}.{list}", "a list of component names", name),
        };

    // The settings of each component a pipeline names (an empty one, `otlp:`, is its defaults); one named but not defined is the collector's
    // error at start, and planned with its defaults here.
    private static Dictionary<string, YamlMappingNode> Components(YamlMappingNode root, string kind, IEnumerable<string> used, string name)
    {
        YamlMappingNode? defined = HelmNodes.Map(root, kind, name);
        var components = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        foreach (string component in used.Distinct())
        {
            components[component] = (defined is null ? null : YamlSettings.Child(defined, component, name)) switch
            {
                YamlMappingNode settings => settings,
                null or YamlScalarNode { Value: null or "" or "~" or "null" } => new YamlMappingNode(),
                YamlNode other => throw HelmNodes.Shape(other, $"{kind}.{component}", "a map of settings", name),
            };
        }

        return components;
    }
}

/// <summary>One pipeline of the collector: its signal, and the receivers and exporters it names.</summary>
internal sealed record CollectorPipeline(string Signal, IReadOnlyList<string> Receivers, IReadOnlyList<string> Exporters);
