using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// A Kubernetes deployment of the Agent, from the Helm chart's values (<see cref="HelmValues"/>) or a DatadogAgent manifest
/// (<see cref="DatadogAgentManifest"/>): the Agent's variables, its image's version, its <c>datadog.yaml</c> when the deployment gives one,
/// the processes beside the core agent, the DDOT Collector's configuration, and the notes on what the plan cannot read.
/// </summary>
/// <param name="Environment">The Agent's variables as the deployment sets them.</param>
/// <param name="Version">The Agent's image tag, when the deployment names one.</param>
internal sealed record KubernetesSource(Dictionary<string, SettingValue> Environment, SettingValue? Version)
{
    /// <summary>The Agent's <c>datadog.yaml</c> from the deployment (the chart's <c>agents.customAgentConfig</c>, the Operator's customConfigurations).</summary>
    public Dictionary<string, SettingValue>? AgentConfig { get; init; }

    /// <summary>The system probe's and the security agent's own files from the deployment, each with the sections it sets.</summary>
    public IReadOnlyList<(Dictionary<string, SettingValue> Settings, string[] Sections)> Components { get; init; } = [];

    /// <summary>Which of the system probe and the security agent run.</summary>
    public AgentComponents Running { get; init; } = AgentComponents.All;

    /// <summary>The DDOT Collector's configuration, when the deployment runs it.</summary>
    public CollectorSource? Collector { get; init; }

    /// <summary>The namespace the deployment names for the Agent (a DatadogAgent's <c>metadata.namespace</c>); null when it names none.</summary>
    public string? Namespace { get; init; }

    /// <summary>The notes on the deployment, from the Agent's final variables and its site's domain.</summary>
    public required Func<Dictionary<string, SettingValue>, string, PlanNotes> Notes { get; init; }

    /// <summary>The deployment in <paramref name="helm"/> (the chart's values) or <paramref name="manifest"/>; null when neither is given.</summary>
    /// <exception cref="AgentConfigurationException">Both are given, or either is malformed.</exception>
    public static KubernetesSource? Read(string? helm, string helmName, string? manifest, string manifestName, string? configName)
    {
        if (helm is not null && manifest is not null)
        {
            throw new AgentConfigurationException(new SettingOrigin(manifestName, null), null,
                $"a DatadogAgent manifest and the Helm chart's values ({helmName}) are two deployments of the Agent: give the one that deploys it");
        }

        return helm is not null ? Helm(helm, helmName, configName) : manifest is not null ? Manifest(manifest, manifestName) : null;
    }

    private static KubernetesSource Helm(string text, string file, string? configName)
    {
        RefuseManifest(text, file);
        (Dictionary<string, SettingValue> environment, SettingValue? version, IReadOnlyList<string> overridden) = HelmValues.Read(text, file);
        YamlMappingNode root = YamlSettings.Load(text, file) ?? new YamlMappingNode();
        var collectorNotes = new PlanNotes();
        return new KubernetesSource(environment, version)
        {
            AgentConfig = configName is null ? HelmChartParts.AgentConfig(text, file) : null,
            Collector = CollectorSources.Helm(root, file, collectorNotes),
            Notes = (final, site) =>
            {
                PlanNotes notes = HelmChartParts.Notes(new(text, file, configName, final, site) { Overridden = overridden });
                notes.AddAll(collectorNotes);
                return notes;
            },
        };
    }

    private static KubernetesSource Manifest(string text, string file)
    {
        DatadogAgentReading reading = DatadogAgentManifest.Read(text, file);
        return new KubernetesSource(reading.Environment, reading.Version)
        {
            AgentConfig = reading.AgentConfig,
            Components = reading.Components,
            Running = reading.Running,
            Collector = reading.Collector,
            Namespace = reading.Namespace,
            Notes = (_, _) => reading.Notes,
        };
    }

    /// <summary>
    /// Refuses a Kubernetes manifest given as a file it is not (the chart's values, a datadog.yaml), in one line naming what it is; a
    /// DatadogAgent's with the setting that reads it.
    /// </summary>
    /// <exception cref="AgentConfigurationException">The text is a Kubernetes manifest.</exception>
    public static void RefuseManifest(string text, string file, bool lastKeyWins = false)
    {
        if (DatadogAgentManifest.Describe(text, file, lastKeyWins) is not (string what, bool agent))
        {
            return;
        }

        throw agent
            ? new AgentConfigurationException(new SettingOrigin(file, null), null, $"is {what}, not this kind of file",
                new Advice.SettingAdvice("give it with {0}", Advice.SettingNames.Of<AgentConfigurationSources>(nameof(AgentConfigurationSources.DatadogAgentFile))))
            : new AgentConfigurationException(new SettingOrigin(file, null), null, $"is {what}, which holds no Agent configuration this tool reads");
    }
}
