using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The agent's defaults that depend on its version, from Datadog's documentation and the configuration template
/// (data/PROVENANCE.md, section 4).
/// </summary>
internal sealed class AgentDefaults(Version version, bool given = true)
{
    public Version Version { get; } = version;

    /// <summary>
    /// Whether the version was given (<c>--agent-version</c>, a Helm image tag); when not, the plan follows the newest Agent
    /// this tool knows, and names its versioned hosts for any version (<see cref="AnyVersion"/>).
    /// </summary>
    public bool Given { get; } = given;

    /// <summary>The versioned host <c>&lt;version&gt;-&lt;kind&gt;.agent.&lt;domain&gt;</c> as a name-aware output allows it when the version
    /// was not given: <c>*-app.agent.datadoghq.com</c>, every version's; null when it was.</summary>
    /// <remarks>Only a versioned host of a Datadog site: a relay named <c>7-81-1-relay.example</c> or <c>7-81-1-app.agent.example</c> is kept as written.</remarks>
    public string? AnyVersion(string host) =>
        Given || !host.StartsWith(Label + "-", StringComparison.Ordinal) || IntakeCatalog.VersionedDomain(host.TrimEnd('.')) is not string domain
            || !Site.All.Any(site => site.Domain == domain)
            ? null
            : "*" + host[Label.Length..];

    /// <summary>The version as the agent writes it in its versioned host names: 7.60.0 is 7-60-0.</summary>
    public string Label => AgentVersions.Label(Version);

    /// <summary>
    /// Whether the agent has a Remote Configuration client at all, which <c>remote_configuration.enabled</c> turns on: from 7.39.1
    /// (6.39.1 for Agent 6, built from the same source), the oldest release the tracing libraries name for it (dd-trace-py's
    /// remote configuration client: "you need an Agent running on 7.39.1 version or above"); before, no setting makes it contact
    /// <c>config.&lt;site&gt;</c>.
    /// </summary>
    public bool HasRemoteConfiguration => Version >= new Version(Version.Major, 39, 1);

    /// <summary>Whether Remote Configuration is on by default: <see cref="AgentVersions.RemoteConfigurationByDefault"/>.</summary>
    public bool RemoteConfiguration => AgentVersions.RemoteConfigurationByDefault(Version);

    /// <summary>
    /// In a government environment (FIPS mode, US1-FED) Remote Configuration runs when it is set on, from Agent 7.72 (DataDog/datadog-agent
    /// PR #40853 "Allow usage of remote configuration in FED if explicitly enabled", merged in September 2025: the release is inferred from
    /// that date); before, it is off there whatever the setting (PR #17967, "Disable Remote Config for FED customers").
    /// </summary>
    public bool RemoteConfigurationInGovernmentWhenSet => Version >= new Version(7, 72, 0);

    /// <summary>
    /// The process checks run in the core agent by default on Linux from Agent 7.64.0, and the process agent only where another
    /// feature needs it (agent release note "Process checks now run in the core Agent by default on Linux. Process Agent will only
    /// run if needed for other configured features.", DataDog/datadog-agent PR #34489; <c>process_config.run_in_core_agent.enabled</c>,
    /// default <c>runtime.GOOS == "linux"</c>; the Datadog Operator's PR #1660: "the agent default will be changed in 7.64").
    /// </summary>
    public bool ProcessChecksInCoreAgent => Version >= new Version(7, 64, 0);

    /// <summary>
    /// From Agent 7.78 the process checks always run in the core agent on Linux: <c>process_config.run_in_core_agent.enabled</c> was
    /// removed (DataDog/datadog-agent PR #47902; the Datadog Operator's PRs #2836 and #2841: "removed in Agent 7.78").
    /// </summary>
    public bool ProcessChecksAlwaysInCoreAgent => Version >= new Version(7, 78, 0);

    /// <summary>Logs go over HTTPS by default from Agent 6.19/7.19, over TCP before ("Agent Log Transport" guide).</summary>
    public bool LogsOverHttps => Version.Major > 7 || Version >= (Version.Major == 6 ? new Version(6, 19) : new Version(7, 19));

    /// <summary>
    /// Whether the agent writes the hosts it builds from a Datadog site fully qualified, with a trailing dot
    /// (<c>trace.agent.datadoghq.eu.</c>): from Agent 7.67.0, and from 7.72.0 unless <c>convert_dd_site_fqdn.enabled</c> is false
    /// (Datadog's "Network Traffic" page, Destinations; <c>BuildURLWithPrefix</c> in the agent's endpoint helpers).
    /// </summary>
    public bool FullyQualifiedSite(AgentSettings settings) =>
        Version >= new Version(7, 67, 0) && (Version < new Version(7, 72, 0) || settings.Bool("convert_dd_site_fqdn.enabled", true));

    /// <summary>Parses <c>7.60.0</c> (or <c>7.60</c>, <c>7</c>; an image tag's suffix such as <c>-jmx</c> is dropped).</summary>
    /// <exception cref="AgentConfigurationException">It is not a version of Agent 6 or 7.</exception>
    public static AgentDefaults Parse(string text, SettingOrigin origin, string? name)
    {
        // A floating image tag (latest, 7, 7-jmx) runs whatever release is newest: planned as the newest this tool knows, its
        // versioned hosts for any version; 6 runs the last Agent 6.
        Version version = AgentVersions.Read(text, out bool exact)
            ?? throw new AgentConfigurationException(origin, name, ShownValue.For(name ?? "version", text) is { } shown
                ? $"must be an Agent version such as 7.60.0, not '{shown}'"
                : "must be an Agent version such as 7.60.0");
        return AgentVersions.IsRead(version)
            ? new AgentDefaults(version, exact && origin != SettingOrigin.Default)
            : throw new AgentConfigurationException(origin, name,
                $"Agent {version.Major} is not read: datadog.yaml and its DD_* variables are Agent 6 and 7's (Agent 5 used datadog.conf; see 'fwrules ports --agent datadog-v5')");
    }
}
