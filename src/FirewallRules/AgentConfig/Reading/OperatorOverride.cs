using FirewallRules.Intakes;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What a DatadogAgent's <c>spec.override</c> changes for the node Agent, applied after the features as the Operator applies it
/// (<c>component_reconciler.go</c>; <c>override/podtemplatespec.go</c>, <c>override/container.go</c>, DataDog/datadog-operator @
/// <c>55db53165d173041aaf6d902fd3776d0b33bf811</c>): its variables, then each container's; the image, whose tag is the Agent's version;
/// its configuration files; the host network. The Cluster Agent's external metrics variables, which the plan reads as the Helm path does.
/// </summary>
internal static partial class OperatorOverride
{
    private const string Node = "override.nodeAgent";

    // The Operator's container names (api/datadoghq/common AgentContainerName) and the chart's key for the same container, whose own
    // variables the plan reads as the Helm path reads them (HelmValues.Reads).
    private static readonly (string Container, string Owner)[] Containers =
    [
        ("agent", "agents.containers.agent"), ("trace-agent", "agents.containers.traceAgent"), ("process-agent", "agents.containers.processAgent"),
        ("system-probe", "agents.containers.systemProbe"), ("security-agent", "agents.containers.securityAgent"),
    ];

    /// <summary>The node Agent's and its containers' variables, the Cluster Agent's external metrics ones, and what the plan notes of the override.</summary>
    public static void NodeAgent(ManifestValues spec, Dictionary<string, SettingValue> environment, PlanNotes notes, bool processChecksInCore)
    {
        OperatorSettings.Env(spec, $"{Node}.env", environment, notes, _ => true);
        foreach ((string container, string owner) in Containers)
        {
            OperatorSettings.Env(spec, $"{Node}.containers.{container}.env", environment, notes, HelmValues.Reads(owner, processChecksInCore));
        }

        OperatorSettings.Env(spec, "override.clusterAgent.env", environment, notes, HelmValues.IsExternalMetrics);
        OperatorSettings.Env(spec, "override.clusterAgent.containers.cluster-agent.env", environment, notes, HelmValues.IsExternalMetrics);
        if (spec.Bool($"{Node}.disabled", false))
        {
            notes.Add($"spec.{Node}.disabled: the Operator deploys no node Agent, so no pod sends or listens as this plan says; it is what the node Agents would need.");
        }

        if (spec.Bool("override.clusterAgent.disabled", false))
        {
            notes.Add("spec.override.clusterAgent.disabled: the Operator deploys no Cluster Agent, yet sets DD_CLUSTER_AGENT_ENABLED on the node Agents " +
                "(component/agent/default.go): they look for one on 5005/tcp and get no cluster metadata; the API server is not planned.");
        }

        if (OperatorSettings.HostNetwork(spec))
        {
            notes.Add(AgentNoteKind.HostNetwork, $"spec.{Node}.hostNetwork puts the Agent's pods on the host's network, where NetworkPolicy and " +
                "CiliumNetworkPolicy (kubernetes, cilium, calico) do not apply: use a host firewall format (nftables, iptables) on the nodes instead.");
        }

        if (spec.Entries($"{Node}.envFrom", "configMapRef and secretRef", "a map (configMapRef or secretRef)").Count > 0)
        {
            notes.Add($"spec.{Node}.envFrom loads variables from a ConfigMap or a Secret, which the plan cannot read: a DD_* variable there changes what " +
                "the Agent contacts; give those variables as an environment file beside the manifest to plan them.");
        }
    }

    /// <summary>
    /// The node Agent's image tag, labelled with its path, as the Operator assembles the image (pkg/images AssembleImage and fromImageConfig):
    /// the tag of <c>image.name</c> when it holds one (<c>gcr.io/datadoghq/agent:7.64.2</c>, <c>imageHasTag</c>: <c>.+:[\w][\w.-]{0,127}$</c>),
    /// <c>image.tag</c> ignored then; else <c>image.tag</c>; null when the override names neither, and the Operator deploys its own default Agent.
    /// An image pinned by digest (<c>agent@sha256:...</c>) names no release: null, the newest this tool knows planned, and a note says so.
    /// </summary>
    public static SettingValue? ImageVersion(ManifestValues spec, PlanNotes notes)
    {
        if (spec.Get($"{Node}.image.name") is { Text: string name } value && ImageHasTag().IsMatch(name))
        {
            if (name.Contains('@', StringComparison.Ordinal))
            {
                notes.Add($"spec.{Node}.image.name pins the Agent's image by digest, which names no release: planned as Agent {AgentVersions.NewestText}, the newest " +
                    "this tool knows; give the release the digest is of as the Agent's version to plan that release's defaults.");
                return null;
            }

            return value with { Text = name[(name.LastIndexOf(':') + 1)..] };
        }

        return spec.Get($"{Node}.image.tag") is { Text: { Length: > 0 } } tag ? tag : null;
    }

    // The Operator's imageHasTag (pkg/images/images.go), after distribution's reference grammar: a tag ends the name. Go's \w is ASCII and its $
    // the end of the text, so both are spelled out.
    [System.Text.RegularExpressions.GeneratedRegex(@".+:[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}\z")]
    private static partial System.Text.RegularExpressions.Regex ImageHasTag();

    /// <summary>
    /// The file <paramref name="name"/> of <c>override.nodeAgent.customConfigurations</c>, read as settings: given inline (<c>configData</c>),
    /// or from a ConfigMap of the stream (<paramref name="objects"/>) in the DatadogAgent's namespace, its key that <c>items</c> mounts at that
    /// name, else the key of that name (the Operator mounts the file by its name, <c>override/global.go</c>); null when there is none, or
    /// the stream does not hold the ConfigMap (noted).
    /// </summary>
    public static Dictionary<string, SettingValue>? CustomConfig(ManifestValues spec, string name, PlanNotes notes, IReadOnlyList<YamlMappingNode> objects)
    {
        // The files are keyed by their names, dots included: read by key, not by path.
        string path = $"spec.{Node}.customConfigurations";
        if (spec.Map($"{Node}.customConfigurations") is not { } files || YamlSettings.Child(files, name, spec.File) is not { } node)
        {
            return null;
        }

        YamlMappingNode custom = node as YamlMappingNode ?? throw HelmNodes.Shape(node, $"{path}.{name}", "a map (configData or configMap)", spec.File);
        if (YamlSettings.Child(custom, "configData", spec.File) is YamlScalarNode { Value: string data })
        {
            return YamlSettings.Parse(data, $"{spec.File}: {path}.{name}.configData");
        }

        if (YamlSettings.Child(custom, "configMap", spec.File) is null)
        {
            return null;
        }

        string configMap = HelmNodes.Scalar(custom, "configMap.name", spec.File)?.Value?.Trim() ?? string.Empty;
        if (CollectorSources.MountedData(spec, objects, configMap, out string why) is { } mounted)
        {
            string key = HelmNodes.Entries(custom, "configMap.items", spec.File, "key and path", "a map of key and path")
                .Where(i => HelmNodes.Field(i.Entry, i.Key, "path", spec.File)?.Value == name)
                .Select(i => HelmNodes.Field(i.Entry, i.Key, "key", spec.File)?.Value).OfType<string>().FirstOrDefault() ?? name;
            return YamlSettings.Child(mounted, key, spec.File) is YamlScalarNode { Value: string text }
                ? YamlSettings.Parse(text, $"{spec.File}: ConfigMap {IO.TerminalText.EscapeWhole(configMap)}, {IO.TerminalText.EscapeWhole(key)}")
                : throw new AgentConfigurationException(new SettingOrigin(spec.File, null), $"ConfigMap {IO.TerminalText.EscapeWhole(configMap)}",
                    $"holds no {IO.TerminalText.EscapeWhole(key)}, which the DatadogAgent mounts as {name}");
        }

        notes.Add($"{path}.{name} mounts the Agent's {name} from the ConfigMap {why}: give the file itself beside the manifest " +
            $"({(name == "datadog.yaml" ? "--agent-config" : "--agent-dir")}) to plan it.");
        return null;
    }

    // The annotations that turn on the node Agent's and the Cluster Agent's private action runners (feature/utils/utils.go).
    private static readonly string[] RunnerAnnotations =
        ["agent.datadoghq.com/private-action-runner-enabled", "cluster-agent.datadoghq.com/private-action-runner-enabled"];

    /// <summary>What the DatadogAgent's annotations turn on that the plan does not hold: the private action runners, the host profiler.</summary>
    public static void Annotations(ManifestValues spec, PlanNotes notes, string site)
    {
        string[] runners = [.. RunnerAnnotations.Where(a => Annotation(spec, a))];
        if (runners.Length > 0)
        {
            notes.Add($"metadata.annotations {string.Join(" and ", runners)}: the private action runner polls Datadog for workflow and app actions and runs " +
                $"each against the service it names. Datadog's docs (Use Private Actions) list {site} and {IntakeCatalog.RemoteConfiguration.Host(site)} (443/tcp): " +
                $"{site} is not planned; " +
                "allow it, and the services its actions reach (actions_allowlist), by hand.");
        }

        if (Annotation(spec, "agent.datadoghq.com/host-profiler-enabled"))
        {
            notes.Add("metadata.annotations agent.datadoghq.com/host-profiler-enabled runs the host profiler beside the Agent: what it sends is not planned; " +
                "allow it by hand.");
        }
    }

    // An annotation set to "true" (annotation keys hold dots: read by key, not by path).
    private static bool Annotation(ManifestValues spec, string key) =>
        HelmNodes.Map(spec.Agent, "metadata.annotations", spec.File) is { } annotations
            && YamlSettings.Child(annotations, key, spec.File) is YamlScalarNode { Value: "true" };
}
