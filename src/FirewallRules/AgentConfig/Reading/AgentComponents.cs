namespace FirewallRules.AgentConfig;

/// <summary>
/// Whether the system probe and the security agent run beside the core agent. The agent's Linux packages start each only when
/// its file exists (<c>ConditionPathExists=/etc/datadog-agent/system-probe.yaml</c> and <c>…/security-agent.yaml</c> in their
/// systemd units, data/PROVENANCE.md): read from a whole configuration folder, a feature served by a process whose file is
/// missing does not run, is not planned, and a note says why.
/// </summary>
/// <param name="SystemProbe">Whether the system probe runs: Network Performance Monitoring, Universal Service Monitoring, and
/// Workload Protection's probe.</param>
/// <param name="SecurityAgent">Whether the security agent runs: compliance, and Workload Protection's events.</param>
internal readonly record struct AgentComponents(bool SystemProbe, bool SecurityAgent)
{
    /// <summary>
    /// What runs on a host whose configuration folder is <paramref name="sources"/>': each process whose file is there. Both, when no folder
    /// was given, when the Helm chart's values were (its containers start them), or when the folder is managed by Fleet Automation
    /// (<c>managed/</c>, whose own copies of the files the units also look for).
    /// </summary>
    public static AgentComponents ForFolder(AgentConfigurationSources sources) =>
        sources.ConfigurationDirectory is not string folder || sources.HelmValuesFile is not null || sources.DatadogAgentFile is not null
            || Directory.Exists(Path.Combine(folder, "managed"))
            ? All
            : new(sources.SystemProbeConfigFile is not null, sources.SecurityAgentConfigFile is not null);

    /// <summary>
    /// The sections the system probe reads from its own file (pkg/config/setup/system_probe*.go): its keys there win over the same keys in
    /// datadog.yaml.
    /// </summary>
    public static string[] SystemProbeSections { get; } =
        ["system_probe_config.", "network_config.", "service_monitoring_config.", "runtime_security_config.", "event_monitoring_config.", "data_streams_config.",
            "traceroute.", "discovery.", "gpu_monitoring.", "ccm_network_config.", "dynamic_instrumentation.", "ping."];

    /// <summary>The sections the security agent reads from its own file (pkg/config/setup/security_agent.go).</summary>
    public static string[] SecurityAgentSections { get; } = ["runtime_security_config.", "compliance_config.", "security_agent."];

    /// <summary>Both run: what a file given alone (<c>--agent-config</c>, the environment, the chart's values) is read with.</summary>
    public static AgentComponents All { get; } = new(true, true);

    // Each key that turns on a feature of the system probe or the security agent, and what it needs (ProcessFeatures, EndpointPlanner).
    private static readonly (string Key, bool Probe, bool Security, string Feature)[] Features =
    [
        ("network_config.enabled", true, false, "Network Performance Monitoring"),
        ("system_probe_config.network.enabled", true, false, "Network Performance Monitoring"),
        ("service_monitoring_config.enabled", true, false, "Universal Service Monitoring"),
        ("system_probe_config.enabled", true, false, "the system probe"),
        ("runtime_security_config.enabled", true, true, "Workload Protection"),
        ("compliance_config.enabled", false, true, "compliance"),
    ];

    /// <summary>Whether the processes the feature that <paramref name="key"/> turns on needs all run (true for any other key).</summary>
    public bool Serves(string key)
    {
        AgentComponents running = this;
        return Features.Where(f => f.Key == key).All(f => running.Missing(f.Probe, f.Security) is null);
    }

    /// <summary>A note for each feature turned on whose process does not run.</summary>
    public static void NoteStopped(AgentSettings settings, PlanNotes notes)
    {
        foreach ((string key, bool probe, bool security, string feature) in Features)
        {
            if (settings.Running.Missing(probe, security) is var (file, process) && settings.Find(key) is { } found && settings.Bool(key, false))
            {
                notes.Add($"{found.Name} turns {feature} on ({found.Value.Origin}), but the configuration folder has no {file}: the agent's Linux " +
                    $"packages start the {process} only when that file exists, so {feature} does not run and is not planned. To turn it on, create " +
                    $"{file} and set {key} there (the {process} reads its own file).");
            }
        }
    }

    // The file, and the process it starts, that a feature needing the system probe and/or the security agent lacks; null when both run.
    private (string File, string Process)? Missing(bool probe, bool security) =>
        probe && !SystemProbe ? ("system-probe.yaml", "system probe") : security && !SecurityAgent ? ("security-agent.yaml", "security agent") : null;
}
