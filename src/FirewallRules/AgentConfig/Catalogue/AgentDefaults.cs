using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The agent's defaults that depend on its version, each read from the one table of version rules (<see cref="AgentVersionRules"/>).
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

    /// <summary>Whether the agent has a Remote Configuration client at all (<see cref="AgentVersionRules.RemoteConfigurationClient"/>).</summary>
    public bool HasRemoteConfiguration => AgentVersionRules.RemoteConfigurationClient.AppliesTo(Version);

    /// <summary>Whether Remote Configuration is on by default (<see cref="AgentVersionRules.RemoteConfigurationByDefault"/>).</summary>
    public bool RemoteConfiguration => AgentVersionRules.RemoteConfigurationByDefault.AppliesTo(Version);

    /// <summary>Whether Remote Configuration runs in a government environment when set on (<see cref="AgentVersionRules.RemoteConfigurationInGovernment"/>).</summary>
    public bool RemoteConfigurationInGovernmentWhenSet => AgentVersionRules.RemoteConfigurationInGovernment.AppliesTo(Version);

    /// <summary>Whether the process checks run in the core agent by default (<see cref="AgentVersionRules.ProcessChecksInCoreAgent"/>).</summary>
    public bool ProcessChecksInCoreAgent => AgentVersionRules.ProcessChecksInCoreAgent.AppliesTo(Version);

    /// <summary>Whether the process checks always run in the core agent (<see cref="AgentVersionRules.ProcessChecksAlwaysInCoreAgent"/>).</summary>
    public bool ProcessChecksAlwaysInCoreAgent => AgentVersionRules.ProcessChecksAlwaysInCoreAgent.AppliesTo(Version);

    /// <summary>Whether logs go over HTTPS by default (<see cref="AgentVersionRules.LogsOverHttps"/>).</summary>
    public bool LogsOverHttps => AgentVersionRules.LogsOverHttps.AppliesTo(Version);

    /// <summary>
    /// Whether the agent writes the hosts it builds from a Datadog site fully qualified (<see cref="AgentVersionRules.FullyQualifiedSite"/>),
    /// unless <paramref name="settingOff"/> says the setting turns it off, asked only where <c>convert_dd_site_fqdn.enabled</c> is
    /// (<see cref="AgentVersionRules.FullyQualifiedSiteSetting"/>).
    /// </summary>
    public bool FullyQualifiedSite(Func<bool> settingOff) =>
        AgentVersionRules.FullyQualifiedSite.AppliesTo(Version) && !(AgentVersionRules.FullyQualifiedSiteSetting.AppliesTo(Version) && settingOff());
}
