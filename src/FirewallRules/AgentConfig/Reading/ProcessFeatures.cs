namespace FirewallRules.AgentConfig;

/// <summary>
/// What the process agent collects, as the agent resolves it (<c>pkg/config/setup/process.go</c>): the legacy
/// <c>process_config.enabled</c> ("true" adds processes, "false" keeps containers only, "disabled" turns both off),
/// <c>process_collection.enabled</c> (default false), <c>container_collection.enabled</c> and
/// <c>process_discovery.enabled</c> (default true), and the system-probe's <c>network_config.enabled</c> (default false),
/// whose connections the process agent sends.
/// </summary>
internal readonly record struct ProcessFeatures(bool Processes, bool Containers, bool Discovery, bool Network)
{
    public bool Any => Processes || Containers || Discovery || Network;

    public static ProcessFeatures Read(AgentSettings settings)
    {
        string legacy = settings.Text("process_config.enabled")?.ToLowerInvariant() ?? "false";
        return new ProcessFeatures(
            settings.Bool("process_config.process_collection.enabled", legacy == "true"),
            legacy != "disabled" && settings.Bool("process_config.container_collection.enabled", true),
            legacy != "disabled" && settings.Bool("process_config.process_discovery.enabled", true),
            NetworkModule(settings));
    }

    // The system probe's network module, whose connections the process agent sends: network_config.enabled (the older
    // system_probe_config.network.enabled), or Universal Service Monitoring (service_monitoring_config.enabled), which turns the
    // module on by itself; and, for configurations older than both, system_probe_config.enabled with network_config unset
    // (pkg/system-probe/config/adjust_npm.go and config.go). None of it runs where the system probe does not (AgentComponents).
    private static bool NetworkModule(AgentSettings settings) => settings.Running.SystemProbe && (
        settings.Bool("network_config.enabled", settings.Bool("system_probe_config.network.enabled", false))
        || settings.Bool("service_monitoring_config.enabled", false)
        || (settings.Bool("system_probe_config.enabled", false) && !settings.IsSet("network_config.enabled") && !settings.IsSet("system_probe_config.network.enabled")));

    /// <summary>
    /// Whether the process agent runs, with its own listeners: for the connections of the system probe's network module, which
    /// never run in the core agent; for the other checks only where they do not run in the core agent (comp/process/agent/agent_linux.go:
    /// <c>!runInCoreAgent || npmEnabled</c>): before 7.64, or with <c>process_config.run_in_core_agent.enabled</c> false before 7.78,
    /// which removed the key (<see cref="AgentDefaults.ProcessChecksInCoreAgent"/>).
    /// </summary>
    public bool ProcessAgentRuns(AgentSettings settings, AgentDefaults defaults) =>
        Network || (Any && !(defaults.ProcessChecksAlwaysInCoreAgent || settings.Bool("process_config.run_in_core_agent.enabled", defaults.ProcessChecksInCoreAgent)));

    public override string ToString() => string.Join(", ", new[] { (Processes, "processes"), (Containers, "containers"), (Discovery, "process-discovery"), (Network, "network") }
        .Where(f => f.Item1).Select(f => f.Item2));
}
