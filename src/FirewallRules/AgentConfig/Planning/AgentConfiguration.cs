using FirewallRules.IO;
using FirewallRules.Intakes;
using FirewallRules.Verification;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Reads an agent's configuration as the agent does and derives what it will contact (<see cref="AgentPlan"/>):
/// <c>datadog.yaml</c>, then the <c>DD_*</c> environment over it (bound to keys through the agent's own table:
/// <c>DD_APM_ENABLED</c> sets <c>apm_config.enabled</c>, ...), the standard <c>HTTPS_PROXY</c>/<c>NO_PROXY</c> as the
/// agent counts them, and for Kubernetes the Helm chart's <c>values.yaml</c>. Unset settings take the agent's defaults
/// for the given version. Unknown keys are ignored, as the agent ignores them.
/// </summary>
/// <remarks>
/// The tool's own environment is never read: the environment is a file (<c>KEY=VALUE</c> lines, or
/// <c>/proc/PID/environ</c>'s NUL-separated form). Secrets (API keys, proxy credentials) never reach the plan or a message.
/// </remarks>
public static class AgentConfiguration
{
    /// <summary>Reads the files named in <paramref name="sources"/>.</summary>
    /// <exception cref="AgentConfigurationException">A file is malformed, a value has the wrong type, the site is unknown, or settings contradict each other.</exception>
    /// <exception cref="IOException">A file cannot be read, is not a regular file, or is larger than 4 MiB.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be opened.</exception>
    public static async Task<AgentPlan> ReadAsync(AgentConfigurationSources sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        // Bounded reads: a regular file of at most 4 MiB (a FIFO, /dev/zero or a directory is refused before a byte is read).
        string? config = await ReadBoundedAsync(sources.ConfigFile, cancellationToken).ConfigureAwait(false);
        string? environment = await ReadBoundedAsync(sources.EnvironmentFile, cancellationToken).ConfigureAwait(false);
        string? helm = await ReadBoundedAsync(sources.HelmValuesFile, cancellationToken).ConfigureAwait(false);
        string? manifest = await ReadBoundedAsync(sources.DatadogAgentFile, cancellationToken).ConfigureAwait(false);
        string? systemProbe = await ReadBoundedAsync(sources.SystemProbeConfigFile, cancellationToken).ConfigureAwait(false);
        string? securityAgent = await ReadBoundedAsync(sources.SecurityAgentConfigFile, cancellationToken).ConfigureAwait(false);
        // conf.d is read while the plan is made: datadog.yaml's confd_path may name another folder.
        return await Task.Run(() => Build(new Texts(config, sources.ConfigFile ?? "datadog.yaml", environment, sources.EnvironmentFile ?? "environment",
            helm, sources.HelmValuesFile ?? "values.yaml")
        {
            Manifest = manifest,
            ManifestName = sources.DatadogAgentFile ?? "datadog-agent.yaml",
            Components = [(systemProbe, sources.SystemProbeConfigFile, AgentComponents.SystemProbeSections),
                (securityAgent, sources.SecurityAgentConfigFile, AgentComponents.SecurityAgentSections)],
            ChecksFolder = sources.ChecksDirectory,
            ConfigurationFolder = sources.ConfigurationDirectory,
            Running = AgentComponents.ForFolder(sources),
        }, sources.AgentVersion, sources.SpecialRelays), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads configuration text: <paramref name="config"/> as datadog.yaml, <paramref name="environment"/> as an environment file,
    /// <paramref name="helmValues"/> as the Helm chart's values, <paramref name="datadogAgent"/> as a DatadogAgent manifest.</summary>
    /// <exception cref="AgentConfigurationException">As for <see cref="ReadAsync"/>.</exception>
    public static AgentPlan Parse(string? config, string? environment = null, string? helmValues = null, string? agentVersion = null, string? datadogAgent = null) =>
        Build(new Texts(config, "datadog.yaml", environment, "environment", helmValues, "values.yaml") { Manifest = datadogAgent }, agentVersion, []);

    private static Task<string?> ReadBoundedAsync(string? path, CancellationToken cancellationToken) =>
        path is null ? Task.FromResult<string?>(null) : Task.Run<string?>(() => InputFile.ReadAllText(path), cancellationToken);

    private static AgentPlan Build(Texts texts, string? agentVersion, IReadOnlyList<string> specialRelays)
    {
        KubernetesSource? cluster = KubernetesSource.Read(texts.Helm, texts.HelmName, texts.Manifest, texts.ManifestName, texts.Config is null ? null : texts.ConfigName);
        var environment = new Dictionary<string, SettingValue>(cluster?.Environment ?? [], StringComparer.Ordinal);
        foreach ((string name, SettingValue value) in texts.Environment is null ? [] : Environment(texts.Environment, texts.EnvironmentName))
        {
            environment[name] = value;
        }

        SettingValue? imageVersion = cluster?.Version;
        AgentDefaults defaults = agentVersion is not null
            ? AgentVersionSetting.Parse(agentVersion, new SettingOrigin("--agent-version", null), null)
            : imageVersion is { Text: string tag }
                ? AgentVersionSetting.Parse(tag, imageVersion.Origin, imageVersion.Label ?? "agents.image.tag")
                : AgentVersionSetting.Parse(AgentEndpoints.DefaultAgentVersion, SettingOrigin.Default, "version");
        // Agent 6's YAML library (yaml.v2) takes a key set twice in one map as its last; Agent 7's refuses or may read either.
        Dictionary<string, SettingValue> file = FileSettings(texts, cluster, lastKeyWins: defaults.Version.Major == 6);
        var settings = new AgentSettings(file, environment)
        {
            // A whole folder without conf.d is an agent that runs no integration: read, and empty.
            Checks = ChecksFolder(new AgentSettings(file, environment), texts) is string checks ? AgentChecks.Read(checks)
                : texts.ConfigurationFolder is null ? null : AgentChecks.None,
            // A container (Docker's image, a pod) starts them by its own scripts, whatever files it holds; a manifest says which it deploys.
            Running = cluster?.Running ?? (IsSet(environment, "DOCKER_DD_AGENT") || IsSet(environment, "KUBERNETES_SERVICE_HOST") ? AgentComponents.All : texts.Running),
            Collector = cluster?.Collector is { } collector ? CollectorConfig.Read(collector.Documents, collector.Name, environment) : null,
        };
        PlanNotes notes = cluster is null ? OutsideKubernetes(environment, settings) : cluster.Notes(environment, SiteOf(settings).Domain);
        ProcessNotes(texts, settings, defaults, notes);
        AgentPlan plan = Plan(settings, defaults, cluster is not null, notes, specialRelays, cluster?.Namespace);
        plan.OverriddenImageVersion = agentVersion is not null && imageVersion is { Text: string imageTag } && !Same(imageTag, imageVersion.Origin, defaults)
            ? $"{imageTag.Trim()} ({imageVersion.Origin})"
            : null;
        return plan;
    }

    // The environment file; a Kubernetes manifest given as one is refused naming what it is, not as a line that is no KEY=VALUE.
    private static Dictionary<string, SettingValue> Environment(string text, string name)
    {
        try
        {
            return EnvironmentFile.Parse(text, name);
        }
        catch (AgentConfigurationException) when (text.Contains("apiVersion", StringComparison.Ordinal) && IsYaml(text, name))
        {
            KubernetesSource.RefuseManifest(text, name);
            throw;
        }
    }

    private static bool IsYaml(string text, string name)
    {
        try
        {
            return YamlSettings.LoadAll(text, name).Count > 0;
        }
        catch (AgentConfigurationException)
        {
            return false;
        }
    }

    // datadog.yaml (or the deployment's), with system-probe.yaml's and security-agent.yaml's own sections over it.
    private static Dictionary<string, SettingValue> FileSettings(Texts texts, KubernetesSource? cluster, bool lastKeyWins)
    {
        if (texts.Config is not null)
        {
            KubernetesSource.RefuseManifest(texts.Config, texts.ConfigName, lastKeyWins);
        }

        // Without a datadog.yaml, the deployment's (the chart's agents.customAgentConfig, the Operator's customConfigurations) is the one its agents read.
        Dictionary<string, SettingValue> file = texts.Config is not null ? YamlSettings.Parse(texts.Config, texts.ConfigName, lastKeyWins) : cluster?.AgentConfig ?? [];
        RefuseChartValues(file, texts.Config is null ? null : texts.ConfigName);
        IEnumerable<(Dictionary<string, SettingValue> Settings, string[] Sections)> components = [.. texts.Components
            .Where(c => c.Text is not null).Select(c => (YamlSettings.Parse(c.Text!, c.Name!, lastKeyWins), c.Sections)), .. cluster?.Components ?? []];
        foreach ((Dictionary<string, SettingValue> settings, string[] sections) in components)
        {
            foreach ((string key, SettingValue value) in settings.Where(e => sections.Any(section => e.Key.StartsWith(section, StringComparison.Ordinal))))
            {
                file[key] = value;
            }
        }

        return file;
    }

    // What runs beside the core agent, said where the configuration turns on more than runs.
    private static void ProcessNotes(Texts texts, AgentSettings settings, AgentDefaults defaults, PlanNotes helmNotes)
    {
        AgentComponents.NoteStopped(settings, helmNotes);
        if (defaults.ProcessChecksAlwaysInCoreAgent && settings.Find("process_config.run_in_core_agent.enabled") is { } inProcessAgent
            && !settings.Bool("process_config.run_in_core_agent.enabled", true))
        {
            helmNotes.Add($"{inProcessAgent.Name} is false ({inProcessAgent.Value.Origin}), but Agent 7.78 removed the setting: the process checks run in the " +
                "core agent, and the process agent only for Network Performance Monitoring or Universal Service Monitoring.");
        }

        if (texts.ConfigurationFolder is not null && texts.Config is null && texts.Helm is null)
        {
            helmNotes.Add("The configuration folder has no datadog.yaml: the core agent, which the other processes run beside, has none to start with; " +
                "this plan takes the agent's defaults and the environment's settings.");
        }
    }

    // The integrations' folder: the one given, or in a whole configuration folder, the one confd_path names (its default,
    // /etc/datadog-agent/conf.d, and any other path under /etc/datadog-agent read in that folder). One that is not there is not read.
    private static string? ChecksFolder(AgentSettings settings, Texts texts)
    {
        if (texts.ConfigurationFolder is not string folder || settings.Find("confd_path") is not { } found)
        {
            return texts.ChecksFolder;
        }

        if (found.Value.Text is not string { Length: > 0 } confd)
        {
            return found.Value.Node is null ? texts.ChecksFolder : throw AgentSettings.WrongType(found.Value, found.Name, "a folder's path");
        }

        // The agent's own folder (/etc/datadog-agent on Linux, /opt/datadog-agent/etc on macOS) is the given one; a relative path is read in it.
        string value = confd.Trim();
        if (value.Any(char.IsControl))
        {
            throw AgentSettings.WrongType(found.Value, found.Name, "a folder's path, without control characters");
        }

        value = FromWindows(value);
        string? inFolder = AgentFolders.Select(root => Relative(value, root)).FirstOrDefault(r => r is not null);
        string path = value.StartsWith('/') && inFolder is null ? value : Path.GetFullPath(Path.Combine(folder, inFolder ?? value));
        if (!value.StartsWith('/') && !path.StartsWith(Path.GetFullPath(folder) + "/", StringComparison.Ordinal))
        {
            throw AgentSettings.WrongType(found.Value, found.Name, "a folder's path inside the agent's folder, or an absolute one");
        }

        return Directory.Exists(path)
            ? path
            : throw new AgentConfigurationException(found.Value.Origin, found.Name,
                $"names {path}, which is not a folder here: the integrations' configurations (conf.d) cannot be read");
    }

    // As the agent's configuration library counts variables: an empty one is unset.
    private static bool IsSet(Dictionary<string, SettingValue> environment, string name) =>
        environment.TryGetValue(name, out SettingValue? value) && !string.IsNullOrEmpty(value.Text);

    private static readonly string[] AgentFolders = ["/etc/datadog-agent", "/opt/datadog-agent/etc"];

    // The Windows agent's folder, C:\ProgramData\Datadog (any case, either slash), is the given folder as /etc/datadog-agent is: a Windows
    // datadog.yaml (confd_path: c:\programdata\datadog\conf.d) read here names its conf.d.
    private static string FromWindows(string value)
    {
        const string Windows = "c:/programdata/datadog";
        string path = value.Replace('\\', '/');
        return path.Equals(Windows, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Windows + "/", StringComparison.OrdinalIgnoreCase)
            ? AgentFolders[0] + path[Windows.Length..]
            : value;
    }

    // The path of value below root ("" for root itself), or null when it is not below it; "//" and ".." count as the agent's file system reads them.
    private static string? Relative(string value, string root) =>
        value.StartsWith('/') && Path.GetFullPath(value) is var full && (full == root || full.StartsWith(root + "/", StringComparison.Ordinal))
            ? full[root.Length..].TrimStart('/')
            : null;

    // The chart's values.yaml read as a datadog.yaml would plan a host agent with none of the chart's settings (its
    // datadog.* keys are no agent keys): refused, naming what the file is.
    private static void RefuseChartValues(Dictionary<string, SettingValue> file, string? configName)
    {
        // No agent key begins with one of the chart's top-level keys (data/agent/helm-values.yaml: datadog, agents, clusterAgent...;
        // the configuration template has none of them): a second values file (helm install -f base.yaml -f cluster.yaml) is the chart's too.
        if (configName is null || file.Keys.FirstOrDefault(k => ChartKeys.Any(c => k.StartsWith(c, StringComparison.Ordinal))) is not string key)
        {
            return;
        }

        string top = key[..(key.IndexOf('.', StringComparison.Ordinal) is int dot and >= 0 ? dot : key.Length)];
        throw new AgentConfigurationException(new SettingOrigin(configName, null), null,
            $"this is the Datadog Helm chart's values (a top-level {top}: key), not an agent's datadog.yaml: give it as the chart's values");
    }

    // The chart's own top-level keys, lower-cased as the settings' keys are; none is an agent key.
    private static readonly string[] ChartKeys =
        ["datadog.", "agents.", "clusteragent.", "clusterchecksrunner.", "existingclusteragent.", "targetsystem", "datadog-crds.", "kube-state-metrics.", "providers.",
            "otelagentgateway.", "remoteconfiguration.", "operator.", "registry", "nameoverride", "fullnameoverride", "commonlabels.", "usefipsagent",
            "kubeversionoverride", "global."];

    // Without the chart's values the plan is an agent's outside Kubernetes: what says it is not is noted. An environment read from a
    // pod (KUBERNETES_SERVICE_HOST, which Kubernetes sets in every container and the agent detects Kubernetes by, pkg/config/env);
    // orchestrator_explorer.orchestrator_dd_url, which only the orchestrator explorer, in Kubernetes, reads (pkg/orchestrator/config).
    private static PlanNotes OutsideKubernetes(Dictionary<string, SettingValue> environment, AgentSettings settings)
    {
        const string Chart = "plan a cluster's agent from the chart's values";
        var notes = new PlanNotes();
        if (environment.ContainsKey("KUBERNETES_SERVICE_HOST"))
        {
            notes.Add("The environment is a Kubernetes pod's (KUBERNETES_SERVICE_HOST): this plan is an agent's outside Kubernetes, without the " +
                $"kubelet, the API server, the cluster's DNS or the orchestrator explorer; {Chart}.");
        }

        if (settings.NonBlankText("orchestrator_explorer.orchestrator_dd_url") is ({ } found, string url))
        {
            (string host, int? port) = UrlSetting.Require(found, url, $"a URL such as {IntakeCatalog.Orchestrator.ExampleUrl}");
            notes.Add($"orchestrator_explorer.orchestrator_dd_url sends the orchestrator explorer's Kubernetes resources to {host} on {port ?? 443}/tcp, " +
                $"in Kubernetes only: not planned for an agent outside Kubernetes; {Chart}.");
        }

        return notes;
    }

    // Whether an image tag runs the version the caller gave: a tag that is no version at all is not the same.
    private static bool Same(string tag, SettingOrigin origin, AgentDefaults given)
    {
        try
        {
            return AgentVersionSetting.Parse(tag, origin, "agents.image.tag").Version == given.Version;
        }
        catch (AgentConfigurationException)
        {
            return false;
        }
    }

    private static AgentPlan Plan(AgentSettings settings, AgentDefaults defaults, bool kubernetes, PlanNotes helmNotes, IReadOnlyList<string> specialRelays, string? ns)
    {
        var notes = helmNotes;
        Site site = SiteOf(settings);
        IReadOnlyList<string> written = HostKeys.Check(settings, specialRelays);
        List<AgentDestination> destinations = new DestinationPlanner(settings, defaults, site, kubernetes, notes).Plan();
        List<AgentListener> listeners = new ListenerPlanner(settings, defaults).Plan();
        destinations = DestinationMerge.Merge(ProxySettings.Route(settings, destinations, FullyQualifiedNames.Read(settings, defaults, written), notes));
        OffFeatureKeys(settings, kubernetes, destinations, notes);
        return new AgentPlan(site, defaults.Version.ToString(3), kubernetes, destinations, listeners, notes.ToList()) { Namespace = ns };
    }

    // A feature's own URL key set while the feature is off (remote_configuration.rc_dd_url beside remote_configuration.enabled: false,
    // logs_config.logs_dd_url without logs_enabled): said, as the event platform pipelines' are, unless a note explains the key already.
    private static void OffFeatureKeys(AgentSettings settings, bool kubernetes, List<AgentDestination> destinations, PlanNotes notes)
    {
        IEnumerable<(string Key, string Feature)> keys = FeatureMap.Rows.SelectMany(row => row.UrlKeys.Select(key => (key, row.Feature)))
            .Concat([("logs_config.logs_dd_url", "logs"), ("logs_config.dd_url", "logs"), ("apm_config.apm_dd_url", "apm"), ("process_config.process_dd_url", "process")])
            .Concat(kubernetes ? [("orchestrator_explorer.orchestrator_dd_url", "orchestrator")] : []);
        foreach ((string key, string feature) in keys)
        {
            if (settings.Text(key) is not null && !destinations.Any(d => DestinationMerge.Serves(d, feature)) && !notes.Explains(key))
            {
                notes.Add($"{key} is set, but {feature} is off in this configuration: its endpoint is not planned.");
            }
        }
    }

    // The agent takes site as a domain, trimmed, and its default when blank (GetMainEndpoint in pkg/config/utils/endpoints.go).
    private static Site SiteOf(AgentSettings settings)
    {
        // A list or a map is refused: the agent reads no string from it and sends to its default site, seldom what the file meant.
        if (settings.NonBlankText("site", "a domain such as datadoghq.eu") is not ({ } found, string text))
        {
            return Site.US1;
        }

        // A fully qualified site (datadoghq.eu.) is the agent's own form too (BuildURLWithPrefix keeps its trailing dot).
        string domain = text.ToLowerInvariant();
        domain = domain.EndsWith('.') && !domain.EndsWith("..", StringComparison.Ordinal) ? domain[..^1] : domain;
        if (Site.All.FirstOrDefault(s => s.Domain == domain) is Site site)
        {
            return site;
        }

        string shown = ShownValue.For(found.Name, domain) ?? "?";
        throw new AgentConfigurationException(found.Value.Origin, found.Name, Site.All.FirstOrDefault(s => s.Name.Equals(domain, StringComparison.OrdinalIgnoreCase)) is Site named
            ? $"'{shown}' is not a domain: the agent would send to hosts under '{shown}'; write {named.Domain}"
            : $"unknown site '{shown}': use one of {string.Join(", ", Site.All.Select(s => s.Domain))}");
    }

    private sealed record Texts(string? Config, string ConfigName, string? Environment, string EnvironmentName, string? Helm, string HelmName)
    {
        /// <summary>A DatadogAgent manifest (the Datadog Operator's), and its file's name.</summary>
        public string? Manifest { get; init; }

        public string ManifestName { get; init; } = "datadog-agent.yaml";

        /// <summary>system-probe.yaml and security-agent.yaml: each file's text, name, and the sections it sets.</summary>
        public (string? Text, string? Name, string[] Sections)[] Components { get; init; } = [];

        public string? ChecksFolder { get; init; }

        public string? ConfigurationFolder { get; init; }

        public AgentComponents Running { get; init; } = AgentComponents.All;
    }
}
