using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The Datadog Helm chart's <c>values.yaml</c> (charts/datadog), read as the chart's templates hand it to the agent:
/// as <c>DD_*</c> variables on the agent's containers, then <c>datadog.env</c> and <c>agents.containers.agent.env</c>
/// (later entries win, as Kubernetes takes the last of duplicate names). <c>agents.image.tag</c> gives the version.
/// Secrets (<c>datadog.apiKey</c>) are never read.
/// </summary>
internal static partial class HelmValues
{
    // Chart value -> the variable the chart's templates set from it (charts/datadog/templates/_container-agent.yaml and friends).
    private static readonly (string Path, string Variable)[] Mapping =
    [
        ("datadog.site", "DD_SITE"),
        ("datadog.dd_url", "DD_DD_URL"),
        ("datadog.logs.enabled", "DD_LOGS_ENABLED"),
        ("datadog.apm.port", "DD_APM_RECEIVER_PORT"),
        ("datadog.dogstatsd.port", "DD_DOGSTATSD_PORT"),
        ("datadog.dogstatsd.nonLocalTraffic", "DD_DOGSTATSD_NON_LOCAL_TRAFFIC"),
        ("datadog.processAgent.processCollection", "DD_PROCESS_CONFIG_PROCESS_COLLECTION_ENABLED"),
        ("datadog.processAgent.containerCollection", "DD_PROCESS_CONFIG_CONTAINER_COLLECTION_ENABLED"),
        ("datadog.processAgent.processDiscovery", "DD_PROCESS_AGENT_DISCOVERY_ENABLED"),
        ("datadog.orchestratorExplorer.enabled", "DD_ORCHESTRATOR_EXPLORER_ENABLED"),
        ("clusterAgent.enabled", "DD_CLUSTER_AGENT_ENABLED"),
        ("datadog.networkMonitoring.enabled", "DD_SYSTEM_PROBE_NETWORK_ENABLED"),
        ("datadog.containerImageCollection.enabled", "DD_CONTAINER_IMAGE_ENABLED"),
        ("datadog.sbom.containerImage.enabled", "DD_SBOM_CONTAINER_IMAGE_ENABLED"),
        ("datadog.sbom.host.enabled", "DD_SBOM_HOST_ENABLED"),
        ("datadog.containerLifecycle.enabled", "DD_CONTAINER_LIFECYCLE_ENABLED"),
        ("datadog.networkPath.connectionsMonitoring.enabled", "DD_NETWORK_PATH_CONNECTIONS_MONITORING_ENABLED"),
        ("datadog.kubelet.useApiServer", "DD_KUBELET_USE_API_SERVER"),
        // The liveness probe's port (_container-agent.yaml: DD_HEALTH_PORT from agents.containers.agent.healthPort).
        ("agents.containers.agent.healthPort", "DD_HEALTH_PORT"),
    ];

    // Set after datadog.env whatever the values say (ChartSetsLater).
    private static readonly string[] SetAfterCommonEnv =
    [
        "DD_APM_ENABLED", "DD_LOGS_ENABLED", "DD_CONTAINER_LIFECYCLE_ENABLED", "DD_ORCHESTRATOR_EXPLORER_ENABLED", "DD_CONTAINER_IMAGE_ENABLED",
        "DD_COMPLIANCE_CONFIG_ENABLED", "DD_DOGSTATSD_PORT", "DD_HEALTH_PORT",
    ];

    // processes-common-envs, which the chart renders except on GKE GDC.
    private static readonly string[] ProcessCommonEnv =
        ["DD_PROCESS_CONFIG_PROCESS_COLLECTION_ENABLED", "DD_PROCESS_CONFIG_CONTAINER_COLLECTION_ENABLED", "DD_PROCESS_AGENT_DISCOVERY_ENABLED"];

    // Set after datadog.env only when the chart turns them on: the Cluster Agent's (containers-cluster-agent-env), SBOM's, DogStatsD's
    // non-local traffic; the OTLP receivers' endpoints only when their receiver is on, as the chart sets them.
    private static readonly string[] SetAfterCommonEnvWhenOn =
        ["DD_CLUSTER_AGENT_ENABLED", "DD_SBOM_ENABLED", "DD_SBOM_CONTAINER_IMAGE_ENABLED", "DD_SBOM_HOST_ENABLED", "DD_DOGSTATSD_NON_LOCAL_TRAFFIC"];

    /// <summary>
    /// The chart's own defaults (its values.yaml, data/agent/helm-values-3.240.0.yaml) where they differ from the agent's or
    /// decide what it contacts: a values file that leaves them out gets these, as <c>helm install</c> merges them in.
    /// <c>HelmChartDefaultTests</c> holds each one to that file.
    /// </summary>
    internal static readonly (string Path, string Value)[] ChartDefaults =
    [
        ("datadog.dogstatsd.nonLocalTraffic", "true"),
        ("datadog.containerImageCollection.enabled", "true"),
        ("datadog.containerLifecycle.enabled", "true"),
        ("datadog.sbom.containerImage.enabled", "false"),
        ("datadog.sbom.host.enabled", "false"),
        ("datadog.networkPath.connectionsMonitoring.enabled", "false"),
        ("datadog.orchestratorExplorer.enabled", "true"),
        ("datadog.processAgent.processCollection", "false"),
        ("datadog.processAgent.containerCollection", "true"),
        ("datadog.processAgent.processDiscovery", "true"),
        ("datadog.logs.enabled", "false"),
        ("datadog.networkMonitoring.enabled", "false"),
        ("datadog.serviceMonitoring.enabled", "false"),
        ("datadog.apm.socketEnabled", "true"),
        ("datadog.apm.portEnabled", "false"),
        ("datadog.apm.useLocalService", "false"),
        ("datadog.apm.enabled", "false"),
        ("datadog.apm.useSocketVolume", "false"),
        ("datadog.securityAgent.compliance.enabled", "false"),
        ("datadog.securityAgent.compliance.runInSystemProbe", "false"),
        ("datadog.securityAgent.runtime.enabled", "false"),
        ("clusterAgent.enabled", "true"),
        ("clusterAgent.metricsProvider.enabled", "false"),
        ("existingClusterAgent.join", "false"),
        ("targetSystem", "linux"),
        ("providers.gke.autopilot", "false"),
        ("providers.gke.gdc", "false"),
        ("datadog.csi.enabled", "false"),
        ("remoteConfiguration.enabled", "true"),
        ("datadog.remoteConfiguration.enabled", "true"),
        ("datadog.privateActionRunner.enabled", "false"),
        ("fips.enabled", "false"),
        ("useFIPSAgent", "false"),
        ("datadog.prometheusScrape.enabled", "false"),
        ("datadog.prometheusScrape.serviceEndpoints", "false"),
        ("datadog.operator.enabled", "true"),
        ("agents.enabled", "true"),
        ("agents.useHostNetwork", "false"),
        ("datadog.otelCollector.enabled", "false"),
        ("otelAgentGateway.enabled", "false"),
        ("datadog.clusterChecks.enabled", "true"),
        ("clusterChecksRunner.enabled", "false"),
        ("datadog.kubeStateMetricsCore.useClusterCheckRunners", "false"),
        ("datadog.orchestratorExplorer.useClusterCheckRunners", "false"),
        ("clusterAgent.privateActionRunner.enabled", "false"),
        ("agents.containers.agent.healthPort", "5555"),
    ];

    /// <summary>
    /// The agent's environment as the chart sets it, the version of its image when the tag names one, and the variables datadog.env or
    /// datadog.envDict sets that the chart sets again after them (<see cref="ChartSetsLater"/>).
    /// </summary>
    public static (Dictionary<string, SettingValue> Environment, SettingValue? Version, IReadOnlyList<string> Overridden) Read(string text, string file)
    {
        YamlMappingNode root = YamlSettings.Load(text, file) ?? new YamlMappingNode();
        RefuseAgentConfig(root, file);
        var environment = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        foreach ((string path, string variable) in Mapping)
        {
            if (Value(root, path, file) is SettingValue value)
            {
                environment[variable] = value with { Quoted = false, Label = value.Label ?? path };
            }
        }

        Derived(root, file, environment);
        HelmFeatures.Add(root, file, environment);
        // The chart tells the node agents whether a Cluster Agent serves them (_containers-common-env.yaml); its default is true. It is
        // also true for agents joining one deployed elsewhere (cluster-agent-enabled and existingClusterAgent-configured, _helpers.tpl).
        if (HelmNodes.Scalar(root, "existingClusterAgent.join", file) is { Value: "true" } join
            && HelmNodes.Scalar(root, "existingClusterAgent.serviceName", file) is { Value.Length: > 0 }
            && HelmNodes.Scalar(root, "existingClusterAgent.tokenSecretName", file) is { Value.Length: > 0 })
        {
            environment["DD_CLUSTER_AGENT_ENABLED"] = YamlSettings.ValueOf(join, file) with { Label = "existingClusterAgent.join" };
        }

        environment.TryAdd("DD_CLUSTER_AGENT_ENABLED", new SettingValue("true", null, SettingOrigin.Default) { Label = "clusterAgent.enabled (the chart's default)" });
        OtlpEnabled(root, file, environment);
        // The order of the agent container's env (_containers-common-env.yaml, then _container-agent.yaml); Kubernetes takes the last of a name,
        // so what the chart sets after datadog.env and datadog.envDict wins over them (ChartSetsLater).
        var overridden = new List<string>();
        Func<string, bool> common = v => !ChartSetsLater(v, environment) || Overridden(overridden, v);
        AddEnv(root, "datadog.env", file, environment, common);
        AddEnvDict(root, "datadog.envDict", file, environment, common);
        // The agent container's own variables, then the other containers' own (Reads): the Cluster Agent's external metrics provider,
        // the trace-agent's, and the process-agent's before Agent 7.60.
        bool inCore = ProcessChecksInCoreAgent(root, file);
        string[] owners = ["agents.containers.agent", "clusterAgent", "agents.containers.processAgent", .. ContainerVariables.Select(c => "agents.containers." + c.Container)];
        foreach (string owner in owners)
        {
            AddEnv(root, owner + ".env", file, environment, Reads(owner, inCore));
            AddEnvDict(root, owner + ".envDict", file, environment, Reads(owner, inCore));
        }

        SettingValue? version = ImageTag(root, file) is YamlScalarNode tag && YamlSettings.ValueOf(tag, file) is { IsNull: false } v
            && NamesAVersion(v.Text)
            ? v with { Label = "agents.image.tag" }
            : null;
        return new(environment, version, overridden);
    }

    // Variables the chart derives from more than one value.
    private static void Derived(YamlMappingNode root, string file, Dictionary<string, SettingValue> environment)
    {
        // DD_LOGS_ENABLED is datadog.logs.enabled or the older datadog.logsEnabled (_container-agent.yaml).
        if (HelmFeatures.Truthy(Value(root, "datadog.logsEnabled", file)))
        {
            environment["DD_LOGS_ENABLED"] = new SettingValue("true", null, SettingOrigin.Default) { Label = "datadog.logsEnabled" };
        }

        // On GKE GDC the chart renders no processes-common-envs (_processes-common-env.yaml): the agent keeps its own defaults.
        if (HelmFeatures.Truthy(Value(root, "providers.gke.gdc", file)))
        {
            ProcessCommonEnv.ToList().ForEach(v => environment.Remove(v));
        }

        // On GKE Autopilot the chart turns the kubelet's HTTPS port off unless the pods come from the API server (_containers-common-env.yaml).
        if (HelmFeatures.Truthy(Value(root, "providers.gke.autopilot", file)) && !HelmFeatures.Truthy(Value(root, "datadog.kubelet.useApiServer", file)))
        {
            environment["DD_KUBERNETES_HTTPS_KUBELET_PORT"] = new SettingValue("0", null, SettingOrigin.Default) { Label = "providers.gke.autopilot" };
        }

        // The chart turns container image collection on for SBOM collection too (should-enable-container-image-collection).
        if (environment.TryGetValue("DD_SBOM_CONTAINER_IMAGE_ENABLED", out SettingValue? sbom) && sbom.Text == "true")
        {
            environment["DD_CONTAINER_IMAGE_ENABLED"] = sbom with { Label = "datadog.sbom.containerImage.enabled" };
        }
    }

    /// <summary>
    /// Whether the chart sets <paramref name="variable"/> in the agent container after datadog.env and datadog.envDict, given the
    /// variables it set from the values (<paramref name="chart"/>): the rest of containers-common-env, processes-common-envs,
    /// containers-dogstatsd-env and _container-agent.yaml (chart 3.240.0); the trace-agent's only when it runs, DogStatsD's non-local
    /// traffic only when true.
    /// </summary>
    internal static bool ChartSetsLater(string variable, IReadOnlyDictionary<string, SettingValue> chart) => variable switch
    {
        "DD_APM_NON_LOCAL_TRAFFIC" or "DD_APM_RECEIVER_PORT" => chart.GetValueOrDefault("DD_APM_ENABLED")?.Text == "true",
        "DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT" or "DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT" => chart.ContainsKey(variable),
        _ when ProcessCommonEnv.Contains(variable) => chart.ContainsKey(variable),
        _ when SetAfterCommonEnvWhenOn.Contains(variable) => HelmFeatures.Truthy(chart.GetValueOrDefault(variable)),
        _ => SetAfterCommonEnv.Contains(variable),
    };

    private static bool Overridden(List<string> overridden, string variable)
    {
        overridden.Add(variable);
        return false;
    }

    // An agent's datadog.yaml read as the chart's values would plan the chart's defaults with none of its keys: refused. The chart's
    // top-level keys are camelCase or hyphenated (datadog, clusterAgent, kube-state-metrics); an agent's are snake_case (api_key,
    // logs_config) or one word the chart has none of (site, hostname, proxy).
    private static void RefuseAgentConfig(YamlMappingNode root, string file)
    {
        if (YamlSettings.Entries(root, file).FirstOrDefault(e => e.Name.Contains('_', StringComparison.Ordinal) || e.Name is "site" or "hostname" or "proxy" or "tags")
            is { Name: string key })
        {
            throw new AgentConfigurationException(new SettingOrigin(file, null), null,
                $"this is an agent's datadog.yaml (a top-level {key}: key), not the Datadog Helm chart's values: give it as the agent's configuration");
        }
    }

    /// <summary>The label the chart puts on the Agent's pods from 3.140.0, which the Kubernetes formats select them by.</summary>
    internal const string ComponentLabel = "agent.datadoghq.com/component";

    // The Agent the chart 3.140.0 ships (agents.image.tag of helm-charts 1b0810c8e, the chart that added the label).
    private static Version LabelledChartAgent => AgentVersionRules.ChartComponentLabel.Agent7;

    /// <summary>
    /// Why the chart reading these values may put no <see cref="ComponentLabel"/> on the Agent's pods (charts before 3.140.0,
    /// helm-charts 1b0810c8e), or null when they do not tell: the values are the chart's own values.yaml (as <c>helm show values</c>
    /// writes it: top-level <c>providers</c> and <c>existingClusterAgent</c>) without <c>otelAgentGateway</c>, which every chart's has
    /// from 3.136.0; or <c>agents.image.tag</c> is older than the Agent 3.140.0 ships (7.71.2). Null when <c>agents.podLabels</c> adds the label.
    /// </summary>
    public static string? OlderChart(string text, string file)
    {
        YamlMappingNode root = YamlSettings.Load(text, file) ?? new YamlMappingNode();
        if (HelmNodes.Map(root, "agents.podLabels", file)?.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == ComponentLabel) == true)
        {
            return null;
        }

        bool chartsOwn = HelmNodes.Find(root, "providers", file) is not null && HelmNodes.Find(root, "existingClusterAgent", file) is not null;
        string? tag = ImageTag(root, file) is { Value: string value } ? value : null;
        string? why = chartsOwn && HelmNodes.Find(root, "otelAgentGateway", file) is null
            ? $"{file} is the chart's own values.yaml from before 3.136.0 (no otelAgentGateway key, which every chart's has from 3.136.0)"
            : tag is not null && Version.TryParse(tag.Split('-')[0], out Version? version) && !AgentVersionRules.ChartComponentLabel.AppliesTo(version)
                ? $"{file} sets agents.image.tag {tag}, older than the Agent {LabelledChartAgent} the chart 3.140.0 ships: the chart may be older too"
                : null;
        string selector = HelmNodes.Scalar(root, "fullnameOverride", file) is { Value: { Length: > 0 } given }
            ? $"app={given} (app={given}-cluster-agent for the Cluster Agent's)"
            : "app=FULLNAME (the release name, with -datadog added when it lacks datadog; FULLNAME-cluster-agent for the Cluster Agent's)";
        return why is null ? null
            : $"Helm chart: {why}; charts before 3.140.0 put no {ComponentLabel} label on the Agent's pods, so the kubernetes, cilium and calico policies " +
                $"would select no pod: upgrade the chart, add the label (agents.podLabels, clusterAgent.podLabels), or select the old chart's pods by " +
                $"their own label, {selector}.";
    }

    internal static SettingValue? ChartDefault(string path) => ChartDefaults.FirstOrDefault(d => d.Path == path) is (string, string text)
        ? new SettingValue(text, null, SettingOrigin.Default) { Label = $"{path} (the chart's default)" }
        : null;

    private static void OtlpEnabled(YamlMappingNode root, string file, Dictionary<string, SettingValue> environment)
    {
        foreach ((string protocol, string endpoint) in new[] { ("grpc", $"0.0.0.0:{ListenerCatalog.OtlpGrpc.Port}"), ("http", $"0.0.0.0:{ListenerCatalog.OtlpHttp.Port}") })
        {
            string variable = $"DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_{protocol.ToUpperInvariant()}_ENDPOINT";
            // The chart opens a receiver, and sets its endpoint, only where its enabled is true (_container-agent.yaml): an
            // endpoint written beside enabled: false opens nothing.
            if (HelmNodes.Scalar(root, $"datadog.otlp.receiver.protocols.{protocol}.enabled", file) is { Value: "true" } node && !environment.ContainsKey(variable))
            {
                string given = HelmNodes.Scalar(root, $"datadog.otlp.receiver.protocols.{protocol}.endpoint", file) is { Value: { Length: > 0 } text } ? text : endpoint;
                environment[variable] = new SettingValue(given, null, YamlSettings.Origin(node, file)) { Label = $"datadog.otlp.receiver.protocols.{protocol}.endpoint" };
            }
        }
    }

    // read: the variables read from this container (for another than the agent's, those of its own process).
    private static void AddEnv(YamlMappingNode root, string path, string file, Dictionary<string, SettingValue> environment, Func<string, bool>? read = null)
    {
        foreach ((YamlMappingNode entry, string key) in EnvEntries(root, path, file))
        {
            // An entry may take its fields from another through a merge key (<<: *defaults), as Helm's YAML reads it.
            if (HelmNodes.Field(entry, key, "name", file) is { Value: string variable } && HelmNodes.Field(entry, key, "value", file) is YamlScalarNode scalar
                && read?.Invoke(variable) != false)
            {
                // additional-env-entries (_helpers.tpl) writes the value only where the template takes it as true ({{ if .value }}):
                // false, 0 or null leaves the variable empty, which the agent reads as unset.
                SettingValue written = YamlSettings.ValueOf(scalar, file);
                environment[variable] = (HelmFeatures.Truthy(written) ? written : written with { Text = string.Empty }) with { Quoted = true };
            }
        }
    }

    /// <summary>A container's env list (<c>datadog.env</c>, <c>agents.containers.agent.env</c>): maps of <c>name</c> and <c>value</c> (or <c>valueFrom</c>).</summary>
    internal static IReadOnlyList<(YamlMappingNode Entry, string Key)> EnvEntries(YamlMappingNode root, string path, string file) =>
        HelmNodes.Entries(root, path, file, "name and value", "a map of name and value");

    // A dict's entries become name/value pairs (additional-env-dict-entries, _helpers.tpl); a map value is a valueFrom, not read.
    private static void AddEnvDict(YamlMappingNode root, string path, string file, Dictionary<string, SettingValue> environment, Func<string, bool>? read = null)
    {
        foreach ((string variable, YamlNode value) in EnvDict(root, path, file))
        {
            if (value is YamlScalarNode scalar && read?.Invoke(variable) != false)
            {
                // additional-env-dict-entries quotes every value as it is ({{ $value | quote }}): false is the text "false".
                environment[variable] = YamlSettings.ValueOf(scalar, file) with { Quoted = true };
            }
        }
    }

    /// <summary>A container's envDict (<c>datadog.envDict</c>): each variable's value, or a map (its valueFrom).</summary>
    internal static IEnumerable<(string Name, YamlNode Value)> EnvDict(YamlMappingNode root, string path, string file) =>
        (HelmNodes.Map(root, path, file) is { } map ? YamlSettings.Entries(map, file) : []).Select(entry => entry.Value is YamlSequenceNode
            ? throw HelmNodes.Shape(entry.Value, $"{path}.{entry.Name}", "a single value (or a valueFrom map)", file)
            : entry);

    /// <summary>
    /// The Agent's other containers (agents.containers.&lt;name&gt;.env and envDict, _container-trace-agent.yaml and the other
    /// _container-*.yaml) and the variables their own process reads, which the plan, one configuration for every container of the
    /// Agent, takes from them after the agent container's: the trace-agent's apm_config, system-probe's and the security agent's own
    /// sections (the process-agent's: <see cref="Reads"/>). Another variable there applies to that container alone:
    /// <see cref="HelmChartParts"/> notes it.
    /// </summary>
    internal static readonly (string Container, string[] Own)[] ContainerVariables =
    [
        ("traceAgent", [TraceAgentPrefix]),
        ("systemProbe", ["DD_SYSTEM_PROBE_", "DD_NETWORK_CONFIG_", "DD_SERVICE_MONITORING_CONFIG_", "DD_RUNTIME_SECURITY_CONFIG_"]),
        ("securityAgent", ["DD_RUNTIME_SECURITY_CONFIG_", "DD_COMPLIANCE_CONFIG_"]),
    ];

    /// <summary>The trace-agent's variables (apm_config), which only its own container reads (_container-trace-agent.yaml).</summary>
    internal const string TraceAgentPrefix = "DD_APM_";

    /// <summary>The Cluster Agent's external metrics provider's variables, which the plan reads from <c>clusterAgent.env</c>.</summary>
    internal static bool IsExternalMetrics(string variable) => variable.StartsWith("DD_EXTERNAL_METRICS_PROVIDER_", StringComparison.Ordinal);

    /// <summary>
    /// The variables of <paramref name="owner"/>'s env (agents.containers.agent, clusterAgent, agents.containers.&lt;name&gt;) the plan reads
    /// as the Agent's: the agent container's but the trace-agent's (and before Agent 7.60 the process-agent's), which only their own
    /// containers read; each other container's own process's; the Cluster Agent's external metrics provider's; none of another.
    /// </summary>
    internal static Func<string, bool> Reads(string owner, bool processChecksInCore) => owner switch
    {
        "agents.containers.agent" => v => !IsTraceAgents(v) && !IsSecurityAgents(v) && (processChecksInCore || !IsProcessAgents(v)),
        "agents.containers.processAgent" => v => !processChecksInCore && IsProcessAgents(v),
        "clusterAgent" => IsExternalMetrics,
        _ => ContainerVariables.FirstOrDefault(c => owner == "agents.containers." + c.Container).Own is string[] own
            ? v => own.Any(p => v.StartsWith(p, StringComparison.Ordinal))
            : _ => false,
    };

    /// <summary>
    /// Whether the core agent runs the process checks (should-run-process-checks-on-core-agent, _helpers.tpl, chart 3.240.0): on Linux,
    /// with <c>agents.image.doNotCheckTag</c> or from Agent 7.60 (the tag read as get-agent-version reads it: <c>6</c> is 6.55.1,
    /// <c>7</c> and <c>latest</c> the newest; a tag that names no version runs the newest); elsewhere, and before, the process-agent
    /// container does, with its own env and not the agent container's.
    /// </summary>
    internal static bool ProcessChecksInCoreAgent(YamlMappingNode root, string file) =>
        Value(root, "targetSystem", file)?.Text == "linux"
            && (HelmFeatures.Truthy(Value(root, "agents.image.doNotCheckTag", file)) || ImageVersion(root, file) is not { } version
                || AgentVersionRules.ChartProcessChecksInCoreAgent.AppliesTo(version));

    /// <summary>Whether the chart deploys the process-agent container for the network data it sends (should-enable-process-agent).</summary>
    internal static bool NetworkDataInProcessAgent(YamlMappingNode root, string file) =>
        HelmFeatures.Truthy(Value(root, "datadog.networkMonitoring.enabled", file)) || HelmFeatures.Truthy(Value(root, "datadog.serviceMonitoring.enabled", file));

    /// <summary>The agents' version as the chart reads agents.image.tag (get-agent-version), or null when the tag names none.</summary>
    internal static Version? ImageVersion(YamlMappingNode root, string file)
    {
        if (ImageTag(root, file) is not { Value: { } tag } || !NamesAVersion(tag))
        {
            return null;
        }

        try
        {
            return AgentVersionSetting.Parse(tag, new SettingOrigin(file, null), "agents.image.tag").Version;
        }
        catch (AgentConfigurationException)
        {
            return null;
        }
    }

    /// <summary>
    /// agents.image.tag as the chart renders it. Helm reads values.yaml as YAML 1.1, so a plain 7.10 is the number 7.1 and the
    /// chart pulls the image 7.1, not 7.10: such a tag is refused, with the quotes that keep it as written. A number Helm renders
    /// as written (7, 7.64) is read as written.
    /// </summary>
    /// <exception cref="AgentConfigurationException">The tag is a number Helm renders otherwise.</exception>
    private static YamlScalarNode? ImageTag(YamlMappingNode root, string file)
    {
        YamlScalarNode? tag = HelmNodes.Scalar(root, "agents.image.tag", file);
        if (tag is { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: string written } && (!tag.Tag.IsGlobal || tag.Tag.Value == FloatTag)
            && YamlFloat().IsMatch(written) && double.TryParse(written, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            && double.IsFinite(number) && number.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant() is string rendered && rendered != written)
        {
            throw new AgentConfigurationException(YamlSettings.Origin(tag, file), "agents.image.tag",
                $"{written} is a number to Helm, which renders it {rendered} and pulls that image: quote it ('{written}')");
        }

        return tag;
    }

    // A plain scalar YAML 1.1 (Helm's go-yaml) resolves to a float, untagged or tagged !!float (!!str keeps it text); an integer has
    // no point or exponent and renders as written; one out of a float's range stays a string. Go writes an exponent in lower case.
    private const string FloatTag = "tag:yaml.org,2002:float";

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+)$")]
    private static partial Regex YamlFloat();

    // Whether an image tag names a version at all: one that does not start with a digit (space aside) is a custom tag, which
    // runs the newest agent as far as the chart is concerned.
    private static bool NamesAVersion(string? tag) => tag?.Trim() is { Length: > 0 } written && char.IsAsciiDigit(written[0]);

    /// <summary>The process-agent's variables (process_config), which its container reads when it runs the process checks.</summary>
    internal static bool IsProcessAgents(string variable) =>
        variable.StartsWith("DD_PROCESS_CONFIG_", StringComparison.Ordinal) || variable.StartsWith("DD_PROCESS_AGENT_", StringComparison.Ordinal);

    internal static bool IsTraceAgents(string variable) => variable.StartsWith(TraceAgentPrefix, StringComparison.Ordinal);

    // Compliance and runtime security run in the security agent and system-probe containers, which do not read the agent container's env.
    private static bool IsSecurityAgents(string variable) =>
        variable.StartsWith("DD_COMPLIANCE_CONFIG_", StringComparison.Ordinal) || variable.StartsWith("DD_RUNTIME_SECURITY_CONFIG_", StringComparison.Ordinal);

    /// <summary>The chart's value at <paramref name="path"/>, or its default (<see cref="ChartDefaults"/>), labelled with the path.</summary>
    internal static SettingValue? Value(YamlMappingNode root, string path, string file) =>
        HelmNodes.Scalar(root, path, file) is YamlScalarNode node && YamlSettings.ValueOf(node, file) is { IsNull: false } given
            ? given with { Label = path }
            : ChartDefault(path);
}
