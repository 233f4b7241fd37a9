namespace FirewallRules.Intakes;

/// <summary>
/// One "from Agent version X" rule: what an Agent does from a release on, the first release of Agent 7 (and of Agent 6, built from
/// the same source, where it has one) that does it, and where that comes from.
/// </summary>
/// <param name="Name">What changes, in a few words.</param>
/// <param name="Agent7">The first Agent 7 release that does it.</param>
/// <param name="Agent6">The first Agent 6 release that does it; null: no Agent 6 does (Agent 8 and later do as Agent 7 from <paramref name="Agent7"/>).</param>
/// <param name="Source">Where the rule comes from: a release note, a pull request, the agent's or the chart's source.</param>
internal sealed record AgentVersionRule(string Name, Version Agent7, Version? Agent6, string Source)
{
    /// <summary>Whether an Agent of <paramref name="version"/> does it.</summary>
    public bool AppliesTo(Version version) => version.Major switch
    {
        6 => Agent6 is not null && version >= Agent6,
        < 6 => false,
        _ => version >= Agent7 || version.Major > 7,
    };

    /// <summary>The first versions as the agent configuration guide writes them: <c>7.47 (6.47)</c>.</summary>
    public string Since => Agent6 is null ? Short(Agent7) : $"{Short(Agent7)} ({Short(Agent6)})";

    private static string Short(Version version) => version.Build > 0 ? version.ToString(3) : version.ToString(2);
}

/// <summary>
/// Every "from Agent version X" rule the library knows, in one table: the plans of an agent's configuration (<c>AgentConfig</c>),
/// the endpoints <c>verify</c> checks and the intakes of <see cref="IntakeCatalog"/> read them here, and nowhere else.
/// </summary>
internal static class AgentVersionRules
{
    /// <summary>Logs go over HTTPS by default, over TCP before ("Agent Log Transport" guide).</summary>
    public static AgentVersionRule LogsOverHttps { get; } = new("logs over HTTPS by default", new(7, 19), new(6, 19),
        "Datadog docs, Agent Log Transport: HTTPS is the default from Agent 6.19/7.19");

    /// <summary>
    /// The agent has a Remote Configuration client, which <c>remote_configuration.enabled</c> turns on; before, no setting makes it
    /// contact <c>config.&lt;site&gt;</c>.
    /// </summary>
    public static AgentVersionRule RemoteConfigurationClient { get; } = new("a Remote Configuration client", new(7, 39, 1), new(6, 39, 1),
        "dd-trace-py's remote configuration client: \"you need an Agent running on 7.39.1 version or above\"; Agent 6 is built from the same source");

    /// <summary>Remote Configuration on by default.</summary>
    public static AgentVersionRule RemoteConfigurationByDefault { get; } = new("Remote Configuration on by default", new(7, 47, 0), new(6, 47, 0),
        "Datadog docs, Remote Configuration; DataDog/datadog-agent PR #17991, \"remote_config.enabled is set to true by default\"");

    /// <summary>
    /// In a government environment (FIPS mode, US1-FED) Remote Configuration runs when it is set on; before, it is off there whatever the setting.
    /// </summary>
    public static AgentVersionRule RemoteConfigurationInGovernment { get; } = new("Remote Configuration in FED when set on", new(7, 72, 0), null,
        "DataDog/datadog-agent PR #40853, \"Allow usage of remote configuration in FED if explicitly enabled\", merged in September 2025 (the release " +
        "is inferred from that date); before, PR #17967, \"Disable Remote Config for FED customers\"");

    /// <summary>Remote Configuration's second port (<see cref="IntakeCatalog.RemoteConfigurationPort"/>).</summary>
    public static AgentVersionRule RemoteConfigurationSecondPort { get; } = new("Remote Configuration's second port", new(7, 80, 0), null,
        "Datadog docs, Network Traffic, ports table: Remote Configuration's second port, Agent 7.80 and later (DataDog/documentation PR #37760)");

    /// <summary>Container image collection exists (chart <c>datadog.containerImageCollection.enabled</c>, Agent 7.46+).</summary>
    public static AgentVersionRule ContainerImages { get; } = new("container image collection", new(7, 46, 0), null,
        "Datadog docs, Network Traffic, Container Images; the Helm chart's datadog.containerImageCollection.enabled (Agent 7.46+)");

    /// <summary>Container image and lifecycle collection on by default.</summary>
    public static AgentVersionRule ContainersByDefault { get; } = new("container images and lifecycle on by default", new(7, 50, 0), null,
        "agent release notes 7.50.0: \"Enable container image collection by default\", \"Enable container lifecycle events collection by default\"; " +
        "pkg/config/setup/config.go, BindEnvAndSetDefault true");

    /// <summary>One endpoint's own <c>use_ssl</c> in an event platform or logs additional endpoint.</summary>
    public static AgentVersionRule EndpointUseSsl { get; } = new("an additional endpoint's own use_ssl", new(7, 51, 0), new(6, 51, 0),
        "DataDog/datadog-agent CHANGELOG.rst 7.51.0; comp/logs/agent/config/endpoints.go loadHTTPAdditionalEndpoints");

    /// <summary>Agent telemetry on by default.</summary>
    public static AgentVersionRule AgentTelemetryByDefault { get; } = new("agent telemetry on by default", new(7, 59, 0), null,
        "DataDog/datadog-agent PR #29783, \"Release agent telemetry\"; DataDog/documentation PR #25838, \"Document Agent Telemetry enablement by " +
        "default (with Agent 7.59)\"; off before (PR #22631: \"Disabled by default\")");

    /// <summary>The process checks run in the core agent on Linux by default, the process agent only where another feature needs it.</summary>
    public static AgentVersionRule ProcessChecksInCoreAgent { get; } = new("process checks in the core agent by default", new(7, 64, 0), null,
        "agent release note \"Process checks now run in the core Agent by default on Linux\", DataDog/datadog-agent PR #34489 " +
        "(process_config.run_in_core_agent.enabled, default runtime.GOOS == \"linux\"); the Datadog Operator's PR #1660");

    /// <summary>The process checks always run in the core agent on Linux: <c>process_config.run_in_core_agent.enabled</c> was removed.</summary>
    public static AgentVersionRule ProcessChecksAlwaysInCoreAgent { get; } = new("process checks always in the core agent", new(7, 78, 0), null,
        "DataDog/datadog-agent PR #47902; the Datadog Operator's PRs #2836 and #2841: \"removed in Agent 7.78\"");

    /// <summary>The hosts built from a Datadog site written fully qualified, with a trailing dot.</summary>
    public static AgentVersionRule FullyQualifiedSite { get; } = new("the site's hosts fully qualified", new(7, 67, 0), null,
        "Datadog docs, Network Traffic, Destinations; BuildURLWithPrefix in pkg/config/utils/endpoints.go");

    /// <summary><c>convert_dd_site_fqdn.enabled</c> read, which turns <see cref="FullyQualifiedSite"/> off when false.</summary>
    public static AgentVersionRule FullyQualifiedSiteSetting { get; } = new("convert_dd_site_fqdn.enabled read", new(7, 72, 0), null,
        "Datadog docs, Network Traffic, Destinations (convert_dd_site_fqdn.enabled, Agent 7.72 and later)");

    /// <summary>The Helm chart runs the process checks in the core agent's container (should-run-process-checks-on-core-agent).</summary>
    public static AgentVersionRule ChartProcessChecksInCoreAgent { get; } = new("the chart's process checks in the core agent", new(7, 60, 0), null,
        "DataDog/helm-charts charts/datadog/templates/_helpers.tpl should-run-process-checks-on-core-agent (chart 3.240.0)");

    /// <summary>The Datadog Operator runs the process checks in the core agent's container (<c>ShouldRunProcessChecksInCoreAgent</c>).</summary>
    public static AgentVersionRule OperatorProcessChecksInCoreAgent { get; } = new("the Operator's process checks in the core agent", new(7, 60, 0), null,
        "DataDog/datadog-operator @ 55db53165d173041aaf6d902fd3776d0b33bf811, internal/controller/datadogagent/feature/utils/utils.go: " +
        "ProcessConfigRunInCoreAgentMinVersion 7.60.0-0");

    /// <summary>The Helm chart no longer runs the orchestrator explorer's pod check in the process-agent container (should-enable-process-agent).</summary>
    public static AgentVersionRule ChartOrchestratorCheckInCoreAgent { get; } = new("the chart's orchestrator pod check out of the process-agent", new(7, 51, 0), null,
        "DataDog/helm-charts charts/datadog/templates/_helpers.tpl should-enable-process-agent: <=7.51.0-0 (chart 3.240.0)");

    /// <summary>The Agent the Helm chart 3.140.0 ships, whose chart labels the Agent's pods by component.</summary>
    public static AgentVersionRule ChartComponentLabel { get; } = new("the chart's component label on the Agent's pods", new(7, 71, 2), null,
        "DataDog/helm-charts 1b0810c8e, chart 3.140.0 (agents.image.tag), the chart that added agent.datadoghq.com/component");

    /// <summary>Every rule, in the order of their first Agent 7 release.</summary>
    public static IReadOnlyList<AgentVersionRule> All { get; } =
        [.. new[]
        {
            LogsOverHttps, RemoteConfigurationClient, RemoteConfigurationByDefault, RemoteConfigurationInGovernment, RemoteConfigurationSecondPort,
            ContainerImages, ContainersByDefault, EndpointUseSsl, AgentTelemetryByDefault, ProcessChecksInCoreAgent, ProcessChecksAlwaysInCoreAgent,
            FullyQualifiedSite, FullyQualifiedSiteSetting, ChartProcessChecksInCoreAgent, OperatorProcessChecksInCoreAgent, ChartOrchestratorCheckInCoreAgent,
            ChartComponentLabel,
        }.OrderBy(rule => rule.Agent7)];
}
