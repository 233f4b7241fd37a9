using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// A DatadogAgent manifest (the Datadog Operator's custom resource, <c>datadoghq.com/v2alpha1</c>), from a file or a multi-document
/// stream (<c>kubectl get datadogagent -o yaml</c>, its <c>List</c>, a Kustomize or Helm-rendered bundle), read as the Operator hands
/// it to the node Agent: the variables of the Agent's containers, in the Operator's order (<c>spec.global</c>, then each feature of
/// <see cref="OperatorFeatures"/>, then <c>spec.override.nodeAgent</c>'s <c>env</c> and its containers'), the Agent's version from the
/// override's image, its <c>datadog.yaml</c> from <c>customConfigurations</c>, the processes that run beside the core agent, and the DDOT
/// Collector's configuration. Credentials are never read.
/// </summary>
/// <remarks>
/// Source: DataDog/datadog-operator @ <c>55db53165d173041aaf6d902fd3776d0b33bf811</c>: <c>component_reconciler.go</c> (global settings,
/// then the features, then the override), <c>global/global.go</c> (<c>DD_SITE</c>, <c>DD_DD_URL</c> from <c>global.endpoint.url</c>,
/// <c>global.env</c>), <c>global/fips.go</c>, <c>override/podtemplatespec.go</c> and <c>override/container.go</c>, <c>merger/envvars.go</c>
/// (a later variable of the same name replaces the earlier one). A <c>datadoghq.com/v1alpha1</c> DatadogAgent is refused: the Operator
/// reads v2alpha1 only, and from v1.8.0 converts no v1alpha1 object (its README, "Migrating from v1alpha1 to v2alpha1").
/// </remarks>
internal static class DatadogAgentManifest
{
    /// <summary>The one version of the DatadogAgent resource the Operator reads.</summary>
    public const string ApiVersion = "datadoghq.com/v2alpha1";

    private const string Kind = "DatadogAgent";

    /// <exception cref="AgentConfigurationException">No DatadogAgent, several, a v1alpha1 one, or a value of the wrong shape.</exception>
    public static DatadogAgentReading Read(string text, string file)
    {
        IReadOnlyList<YamlMappingNode> objects = KubernetesObjects(text, file);
        YamlMappingNode agent = TheAgent(objects, file);
        var spec = new ManifestValues(agent, file);
        var environment = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        var notes = new PlanNotes();
        SettingValue? version = OperatorOverride.ImageVersion(spec, notes);
        // The process checks run in the core agent from Agent 7.60 (feature/utils/utils.go ShouldRunProcessChecksInCoreAgent), and by default.
        bool processChecksInCore = version?.Text is not string tag || Intakes.AgentVersions.Read(tag, out _) is not Version read
            || Intakes.AgentVersionRules.OperatorProcessChecksInCoreAgent.AppliesTo(read);
        OperatorSettings.Global(spec, environment, notes);
        OperatorSettings.Features(spec, environment, notes, processChecksInCore);
        OperatorOverride.NodeAgent(spec, environment, notes, processChecksInCore);
        OperatorOverride.Annotations(spec, notes, spec.Text("global.site") ?? Site.US1.Domain);
        return new DatadogAgentReading(environment, version, notes)
        {
            AgentConfig = OperatorOverride.CustomConfig(spec, "datadog.yaml", notes, objects),
            Components = [.. new[] { ("system-probe.yaml", AgentComponents.SystemProbeSections), ("security-agent.yaml", AgentComponents.SecurityAgentSections) }
                .Select(c => (Settings: OperatorOverride.CustomConfig(spec, c.Item1, notes, objects), Sections: c.Item2)).Where(c => c.Settings is not null)
                .Select(c => (c.Settings!, c.Sections))],
            Running = OperatorSettings.Running(spec),
            Collector = CollectorSources.Operator(spec, objects, notes),
            Namespace = AgentNamespace(agent, file),
        };
    }

    // The DatadogAgent's own namespace, which the Kubernetes API requires to be a DNS label: refused in one line otherwise.
    private static string? AgentNamespace(YamlMappingNode agent, string file) => HelmNodes.Scalar(agent, "metadata.namespace", file) switch
    {
        { Value: null or "" } or null => null,
        { Value: string ns } when Names.NameRules.IsDnsLabel(ns) => ns,
        { } other => throw new AgentConfigurationException(YamlSettings.Origin(other, file), "metadata.namespace",
            $"must be a namespace name the Kubernetes API takes: {Names.NameRules.DnsLabelRule}"),
    };

    /// <summary>
    /// What a Kubernetes manifest is, when <paramref name="text"/> holds one (a document with a top-level <c>apiVersion</c> and <c>kind</c>):
    /// <c>a Kubernetes manifest of a ConfigMap (apiVersion v1)</c>, and whether it holds a DatadogAgent; null when it holds none.
    /// </summary>
    public static (string What, bool DatadogAgent)? Describe(string text, string file, bool lastKeyWins = false)
    {
        IReadOnlyList<YamlMappingNode> objects = KubernetesObjects(text, file, lastKeyWins);
        return objects.Count == 0 ? null : (Describe(objects), objects.Any(o => Text(o, "kind") == Kind));
    }

    private static string Describe(IReadOnlyList<YamlMappingNode> objects)
    {
        string[] kinds = [.. objects.Select(o => $"{Text(o, "kind")} (apiVersion {Text(o, "apiVersion")})").Distinct().Take(3)];
        return $"a Kubernetes manifest of {(objects.Count == 1 ? "a " : string.Empty)}{string.Join(", ", kinds)}{(objects.Count > 3 ? ", ..." : string.Empty)}";
    }

    // The documents of the stream that are Kubernetes objects, the items of a List among them.
    private static IReadOnlyList<YamlMappingNode> KubernetesObjects(string text, string file, bool lastKeyWins = false) =>
        [.. YamlSettings.LoadAll(text, file, lastKeyWins).Where(IsObject).SelectMany(o =>
            Text(o, "kind") == "List" && YamlSettings.Child(o, "items", file) is YamlSequenceNode items
            ? items.Children.OfType<YamlMappingNode>().Where(IsObject)
            : [o])];

    private static bool IsObject(YamlMappingNode document) =>
        document.Children.ContainsKey(new YamlScalarNode("apiVersion")) && document.Children.ContainsKey(new YamlScalarNode("kind"));

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) && value is YamlScalarNode { Value: string text }
            ? IO.TerminalText.EscapeWhole(text.Length > 60 ? text[..60] : text)
            : null;

    // The one DatadogAgent of the stream; none, several or a v1alpha1 one is refused in one line naming what the file holds.
    private static YamlMappingNode TheAgent(IReadOnlyList<YamlMappingNode> objects, string file)
    {
        YamlMappingNode[] agents = [.. objects.Where(o => Text(o, "kind") == Kind)];
        var origin = new SettingOrigin(file, null);
        if (agents.Length == 0)
        {
            throw new AgentConfigurationException(origin, null, objects.Count == 0
                ? "holds no Kubernetes object (apiVersion and kind): not a DatadogAgent manifest"
                : $"is {Describe(objects)}, not a DatadogAgent ({ApiVersion}): no Agent's configuration is read from it");
        }

        if (agents.Length > 1)
        {
            string names = string.Join(", ", agents.Select(a => HelmNodes.Scalar(a, "metadata.name", file)?.Value is string n ? IO.TerminalText.EscapeWhole(n) : "?"));
            throw new AgentConfigurationException(origin, null,
                $"holds {agents.Length} DatadogAgents ({names}): which one runs is not said; give a file with the one to plan");
        }

        string? version = Text(agents[0], "apiVersion");
        return version == ApiVersion ? agents[0] : throw new AgentConfigurationException(YamlSettings.Origin(agents[0], file), "apiVersion",
            version == "datadoghq.com/v1alpha1"
                ? "a datadoghq.com/v1alpha1 DatadogAgent, which the Operator no longer reads (v1.8.0 and later convert none): convert it to " +
                    $"{ApiVersion} (the Operator's docs/v2alpha1_migration.md) and give that"
                : $"{version ?? "?"} is no version of the DatadogAgent the Operator reads: use {ApiVersion}");
    }
}

/// <summary>What a DatadogAgent manifest hands the node Agent (<see cref="DatadogAgentManifest"/>).</summary>
/// <param name="Environment">The Agent's variables.</param>
/// <param name="Version">The Agent's image tag, when the override names one.</param>
/// <param name="Notes">What the plan cannot read or does not plan.</param>
internal sealed record DatadogAgentReading(Dictionary<string, SettingValue> Environment, SettingValue? Version, PlanNotes Notes)
{
    /// <summary>The Agent's <c>datadog.yaml</c> from <c>override.nodeAgent.customConfigurations</c>; null when none is given inline.</summary>
    public Dictionary<string, SettingValue>? AgentConfig { get; init; }

    /// <summary>The system probe's and the security agent's files from <c>customConfigurations</c>, each with the sections it sets.</summary>
    public IReadOnlyList<(Dictionary<string, SettingValue> Settings, string[] Sections)> Components { get; init; } = [];

    /// <summary>Which of the system probe and the security agent the Operator deploys.</summary>
    public AgentComponents Running { get; init; } = AgentComponents.All;

    /// <summary>The DDOT Collector's configuration, when the manifest turns it on; null otherwise.</summary>
    public CollectorSource? Collector { get; init; }

    /// <summary>The DatadogAgent's <c>metadata.namespace</c>, where the Operator deploys the Agent; null when the manifest names none.</summary>
    public string? Namespace { get; init; }
}
