using FirewallRules.Intakes;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What the Helm chart's values decide beyond the Agent's environment (<see cref="HelmValues"/>), from the chart's templates
/// (charts/datadog/templates, chart 3.240.0, helm-charts 79f7c74fd): the agents' <c>datadog.yaml</c> from
/// <c>agents.customAgentConfig</c>, and a note for each value the plan cannot read or does not plan: <c>envFrom</c> references,
/// the private action runners, the Datadog Operator subchart and the cluster checks runners.
/// </summary>
internal static class HelmChartParts
{
    private const string CustomConfig = "agents.customAgentConfig";

    private static readonly string[] ProcessContainers = ["agents.containers.agent", "agents.containers.processAgent"];

    // Where every Agent process sends, and through which proxy: the agent container's own env sets them for the core agent alone.
    private static readonly string[] SharedVariables =
        ["DD_SITE", "DD_DD_URL", "DD_URL", "DD_PROXY_HTTPS", "DD_PROXY_HTTP", "HTTPS_PROXY", "HTTP_PROXY"];

    /// <summary>
    /// <c>agents.customAgentConfig</c> as the agents' <c>datadog.yaml</c>, or null when the chart mounts none from it. With
    /// <c>agents.useConfigMap</c> the chart writes it (through <c>tpl</c>) as the <c>datadog.yaml</c> of a ConfigMap
    /// (datadog-yaml-configmap.yaml) that every Agent container mounts over its own (<c>_container-agent.yaml</c> and the others
    /// on Linux; on Windows the init container copies it, <c>_containers-init-windows.yaml</c>). The variables the chart sets
    /// still win over it, as the agent reads its environment over <c>datadog.yaml</c>.
    /// </summary>
    public static Dictionary<string, SettingValue>? AgentConfig(string text, string file)
    {
        YamlMappingNode root = YamlSettings.Load(text, file) ?? new YamlMappingNode();
        return HelmFeatures.Truthy(HelmValues.Value(root, "agents.useConfigMap", file))
            && CustomAgentConfigMap(root, file) is { Children.Count: > 0 } map
            ? YamlSettings.Parse(map, file)
            : null;
    }

    /// <summary>The notes these values call for: the older chart's (<see cref="HelmValues.OlderChart"/>), then each value below.</summary>
    public static PlanNotes Notes(Reading reading)
    {
        (string text, string file, string? configName, Dictionary<string, SettingValue> environment, string site) = reading;
        YamlMappingNode root = YamlSettings.Load(text, file) ?? new YamlMappingNode();
        var notes = new PlanNotes();
        if (HelmValues.OlderChart(text, file) is string older)
        {
            notes.Add(AgentNoteKind.UnlabelledPods, older);
        }

        if (reading.Overridden.Count > 0)
        {
            notes.Add($"datadog.env or datadog.envDict sets {string.Join(", ", reading.Overridden)}, which the chart sets again after it in the agent container, " +
                "from its own values " +
                "(datadog.logs.enabled, datadog.apm, datadog.containerLifecycle, datadog.orchestratorExplorer, datadog.processAgent, datadog.dogstatsd...): " +
                "Kubernetes keeps the last, so the plan follows the chart's; change the chart's value (agents.containers.agent.env changes the core agent's alone).");
        }

        CustomAgentConfig(root, file, configName, environment, notes);
        EnvFrom(root, file, notes);
        ValueFrom(root, file, notes);
        OtherContainers(root, file, site, notes);
        HelmComponents.Notes(root, file, site, notes);
        return notes;
    }

    /// <summary>
    /// The values' text and file name; the datadog.yaml given beside them, if any; the Agent's variables as the chart and the
    /// environment file set them; and the Datadog site the plan is for.
    /// </summary>
    internal sealed record Reading(string Text, string File, string? ConfigName, Dictionary<string, SettingValue> Environment, string Site)
    {
        /// <summary>The variables datadog.env or datadog.envDict sets that the chart sets again after them (<see cref="HelmValues.ChartSetsLater"/>).</summary>
        public IReadOnlyList<string> Overridden { get; init; } = [];
    }

    private static void CustomAgentConfig(YamlMappingNode root, string file, string? configName, Dictionary<string, SettingValue> environment, PlanNotes notes)
    {
        if (CustomAgentConfigMap(root, file) is not { Children.Count: > 0 } map)
        {
            return;
        }

        if (!HelmFeatures.Truthy(HelmValues.Value(root, "agents.useConfigMap", file)))
        {
            notes.Add($"{CustomConfig} is set but agents.useConfigMap is not: the chart mounts no datadog.yaml from it (datadog-yaml-configmap.yaml), " +
                "so the plan does not read it either.");
            return;
        }

        if (configName is not null)
        {
            notes.Add($"{CustomConfig} is the agents' datadog.yaml (agents.useConfigMap), but {configName} was given too: the plan reads {configName}, " +
                $"not {CustomConfig}; give one of them.");
            return;
        }

        // The leaves the chart's own variables override: DD_LOGS_ENABLED, for one, is always set (_container-agent.yaml).
        Dictionary<string, SettingValue> custom = YamlSettings.Parse(map, file);
        string[] templated = [.. custom.Where(e => e.Value.Text?.Contains("{{", StringComparison.Ordinal) == true).Select(e => e.Key)];
        if (templated.Length > 0)
        {
            notes.Add($"{CustomConfig} holds Helm templates, which the chart renders (tpl) and the plan reads as written: {string.Join(", ", templated)}; " +
                "check what they render to (helm template) and plan that.");
        }

        string[] overridden = [.. custom.Where(e => e.Value.Node is not YamlMappingNode).SelectMany(e => EnvBindings.For(e.Key)
            .Where(v => environment.TryGetValue(v, out SettingValue? set) && !string.IsNullOrEmpty(set.Text)).Take(1)
            .Select(v => environment[v].Label is string label && label != v ? $"{e.Key} (by {v}, {label})" : $"{e.Key} (by {v})"))];
        notes.Add($"{CustomConfig} is read as the agents' datadog.yaml (agents.useConfigMap, datadog-yaml-configmap.yaml)" + (overridden.Length == 0 ? "." :
            $"; the variables the chart sets win over it, as the agent reads its environment first: {string.Join(", ", overridden)}."));
    }

    private static YamlMappingNode? CustomAgentConfigMap(YamlMappingNode root, string file) => HelmNodes.Map(root, CustomConfig, file, "the agents' datadog.yaml");

    // envFrom loads every key of a ConfigMap or Secret as a variable of the container (datadog.envFrom on each Agent container,
    // agents.containers.<name>.envFrom on its own: _container-agent.yaml and the other _container-*.yaml; clusterAgent.envFrom,
    // cluster-agent-deployment.yaml; clusterChecksRunner.envFrom, agent-clusterchecks-deployment.yaml).
    private static void EnvFrom(YamlMappingNode root, string file, PlanNotes notes)
    {
        foreach (string path in EnvOwners(root, file).Select(owner => owner + ".envFrom"))
        {
            IReadOnlyList<(YamlMappingNode Entry, string Key)> references =
                HelmNodes.Entries(root, path, file, "configMapRef and secretRef", "a map (configMapRef or secretRef)");
            if (references.Count > 0)
            {
                notes.Add($"{path} loads variables from {string.Join(", ", references.Select(r => Reference(r.Entry, file)))}, which the plan cannot read: " +
                    "a DD_* variable there (DD_SITE, DD_DD_URL, DD_LOGS_ENABLED, a proxy) changes what the Agent contacts; " + EnvFileAdvice(path[..^".envFrom".Length]));
            }
        }
    }

    // What an environment file beside the values stands for: the plan applies it to every Agent container, as datadog.env reaches them;
    // a container's own variables are that container's alone.
    private static string EnvFileAdvice(string owner) => owner switch
    {
        "datadog" => "give those variables as an environment file beside the values to plan them.",
        "agents.containers.agent" => "an environment file beside the values plans them for every Agent container, though they are the core agent's alone " +
            "(the trace-agent keeps datadog.site, datadog.env and its own): allow what they change for the others by hand.",
        _ => "they are that container's alone: allow what they change by hand.",
    };

    // An env entry (name, valueFrom) or an envDict value that is a map takes its value from a ConfigMap, a Secret or a field at
    // run time (the chart copies them as written: _containers-common-env.yaml, additional-env-entries in _helpers.tpl): unread.
    private static void ValueFrom(YamlMappingNode root, string file, PlanNotes notes)
    {
        foreach (string owner in EnvOwners(root, file))
        {
            string[] names = [.. EnvNames(root, file, owner, byValue: false)];
            if (names.Length > 0)
            {
                notes.Add($"{owner}.env sets {string.Join(", ", names)} from a ConfigMap, a Secret or a field (valueFrom), which the plan cannot read: " +
                    "a DD_* variable there (DD_SITE, DD_DD_URL, a proxy) changes what the Agent contacts; " + EnvFileAdvice(owner));
            }
        }
    }

    // A DD_* variable given by value on a container whose variables the plan does not read as the Agent's: another Agent container's
    // beyond its own process's (HelmValues.ContainerVariables), the Cluster Agent's and the cluster checks runners' (whose own
    // destinations the plan does not model, but for the external metrics provider): it applies to that container alone.
    private static void OtherContainers(YamlMappingNode root, string file, string site, PlanNotes notes)
    {
        bool inCore = HelmValues.ProcessChecksInCoreAgent(root, file);
        NetworkData(root, file, site, inCore, notes);
        OldOrchestratorCheck(root, file, site, notes);
        string[] shared = [.. EnvNames(root, file, "agents.containers.agent", byValue: true).Where(SharedVariables.Contains)];
        if (shared.Length > 0)
        {
            notes.Add($"agents.containers.agent.env sets {string.Join(", ", shared)} for the core agent's container alone: the trace-agent (and the " +
                "process-agent, system-probe and security agent where the chart deploys them) take theirs from datadog.site, datadog.dd_url, datadog.env and " +
                "their own env, so APM's intakes (and theirs) are where those say, while the plan follows the core agent: allow those by hand, or set " +
                "the variables in datadog.env.");
        }
        foreach (string owner in EnvOwners(root, file).Where(o => o != "datadog"))
        {
            Func<string, bool> reads = HelmValues.Reads(owner, inCore);
            string[] unread = [.. EnvNames(root, file, owner, byValue: true).Where(n => n.StartsWith("DD_", StringComparison.Ordinal) && !reads(n))];
            if (unread.Length > 0)
            {
                notes.Add($"{owner}.env sets {string.Join(", ", unread)} for {Whose(owner, inCore)}: what they change there (another site, intake or relay) " +
                    "is not planned; allow it by hand for those pods, or set them where the plan reads them.");
            }
        }
    }

    // With network or service monitoring on, the chart deploys the process-agent container even where the core agent runs the process
    // checks (should-enable-process-agent), and the network connections go to the process intake with that container's env (system-probe
    // sends them itself from Agent 7.81, with its own): a process relay set on one Agent container alone is not the other's.
    private static void NetworkData(YamlMappingNode root, string file, string site, bool inCore, PlanNotes notes)
    {
        string[] owners = [.. ProcessContainers.Where(o => EnvNames(root, file, o, byValue: true).Any(HelmValues.IsProcessAgents))];
        if (inCore && owners.Length > 0 && HelmValues.NetworkDataInProcessAgent(root, file))
        {
            notes.Add($"{string.Join(" and ", owners.Select(o => o + ".env"))} set{(owners.Length == 1 ? "s" : string.Empty)} process variables for one container: " +
                "with datadog.networkMonitoring or serviceMonitoring on, the network connections go to the process intake from the process-agent container " +
                "(system-probe from Agent 7.81), with its own env, while the core agent runs the process checks with its own; the plan follows the core agent: " +
                $"allow the other container's process intake by hand ({IntakeCatalog.Processes.Host(site)}, 443/tcp, unless its env or datadog.env moves it), " +
                "or set the relay in datadog.env.");
        }
    }

    // Up to Agent 7.51 the chart runs the node's orchestrator pod check in the process-agent container, with its own env
    // (should-enable-process-agent: k8s resource monitoring and <=7.51.0-0, before 7.51.0, unless agents.image.doNotCheckTag).
    private static void OldOrchestratorCheck(YamlMappingNode root, string file, string site, PlanNotes notes)
    {
        string[] set = [.. EnvNames(root, file, "agents.containers.agent", byValue: true).Where(n => n.StartsWith("DD_ORCHESTRATOR_EXPLORER_", StringComparison.Ordinal))];
        if (set.Length > 0 && !HelmFeatures.Truthy(HelmValues.Value(root, "agents.image.doNotCheckTag", file))
            && HelmValues.ImageVersion(root, file) is { } version && !AgentVersionRules.ChartOrchestratorCheckInCoreAgent.AppliesTo(version)
            && HelmFeatures.Truthy(HelmValues.Value(root, "datadog.orchestratorExplorer.enabled", file)))
        {
            notes.Add($"agents.containers.agent.env sets {string.Join(", ", set)} for the core agent's container alone: before Agent 7.51 the chart runs the " +
                $"orchestrator explorer's pod check in the process-agent container, with its own env, so it sends to {IntakeCatalog.Orchestrator.Host(site)} (443/tcp) unless " +
                "datadog.env or agents.containers.processAgent.env moves it, while the plan follows the core agent: allow it by hand, or set the variables in datadog.env.");
        }
    }

    // The variables an owner's env and envDict set by value (a scalar), or else from a ConfigMap, a Secret or a field (valueFrom, a map).
    private static IEnumerable<string> EnvNames(YamlMappingNode root, string file, string owner, bool byValue)
    {
        IEnumerable<string> listed = HelmValues.EnvEntries(root, owner + ".env", file)
            .Where(e => byValue ? HelmNodes.Field(e.Entry, e.Key, "value", file) is not null : YamlSettings.Child(e.Entry, "valueFrom", file) is not null)
            .Select(e => HelmNodes.Field(e.Entry, e.Key, "name", file) is { Value: string name } ? name : "?");
        IEnumerable<string> dict = HelmValues.EnvDict(root, owner + ".envDict", file)
            .Where(e => byValue ? e.Value is YamlScalarNode : e.Value is YamlMappingNode).Select(e => e.Name);
        return listed.Concat(dict).Distinct();
    }

    // Whom a container's unread variables are for, and why the plan does not read them (HelmValues.Reads).
    private static string Whose(string owner, bool inCore)
    {
        string[] own = HelmValues.ContainerVariables.FirstOrDefault(c => owner == "agents.containers." + c.Container).Own ?? [];
        return owner switch
        {
            "agents.containers.agent" => "the core agent's container alone: " + (inCore ? "the trace-agent, the security agent and system-probe read them"
                : "the trace-agent, the security agent, system-probe and the process-agent (which runs the process checks before Agent 7.60, on Windows) read them")
                + " from their own containers' env or datadog.env",
            "agents.containers.processAgent" when inCore => "that container alone, whose variables the plan does not read: the chart runs the process checks " +
                "in the core agent (on Linux from Agent 7.60, or with agents.image.doNotCheckTag; chart 3.240.0)",
            "agents.containers.processAgent" => "that container alone: the plan reads only its process checks' variables there (DD_PROCESS_CONFIG_*, " +
                "DD_PROCESS_AGENT_*) and takes the others from datadog.env, as that container does",
            "clusterAgent" or "clusterChecksRunner" => $"{(owner == "clusterAgent" ? "the Cluster Agent" : "the cluster checks runners")}, whose own " +
                "destinations the plan does not model (but the Cluster Agent's external metrics)",
            _ when own.Length > 0 => $"that container alone: the plan reads only its own process's variables there ({string.Join(", ", own.Select(p => p + "*"))}) " +
                "and takes the others from datadog.env, as that container does",
            _ => "that container alone, whose variables the plan does not read",
        };
    }

    // Where the chart takes a container's variables (env, envDict, envFrom): datadog.* for every Agent container, each
    // agents.containers.<name>, the Cluster Agent and the cluster checks runners.
    private static IEnumerable<string> EnvOwners(YamlMappingNode root, string file) =>
        ((string[])["datadog"])
            .Concat(HelmNodes.Map(root, "agents.containers", file) is { } map ? YamlSettings.Entries(map, file).Select(e => $"agents.containers.{e.Name}") : [])
            .Concat(["clusterAgent", "clusterChecksRunner"]);

    private static string Reference(YamlMappingNode entry, string file)
    {
        foreach ((string key, string kind) in new[] { ("configMapRef", "ConfigMap"), ("secretRef", "Secret") })
        {
            if (YamlSettings.Child(entry, key, file) is YamlMappingNode reference
                && YamlSettings.Child(reference, "name", file) is YamlScalarNode { Value: { Length: > 0 } name })
            {
                return $"the {kind} {name}";
            }
        }

        return "an entry";
    }
}
