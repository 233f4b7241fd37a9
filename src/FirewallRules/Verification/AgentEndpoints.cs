using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.Verification;

/// <summary>
/// The host names the Datadog Agent (v6, v7) connects to on a site, from Datadog's network traffic guide and
/// its PrivateLink guide, each with the ip-ranges section that publishes its addresses.
/// </summary>
/// <remarks>
/// <para>Per site <c>&lt;domain&gt;</c>: <c>&lt;version&gt;-app.agent.&lt;domain&gt;</c> (metrics and other Agent
/// data, named after the Agent's version since v5.2.0, e.g. <c>7-60-0-app.agent.datadoghq.com</c>; agents),
/// <c>trace.agent.&lt;domain&gt;</c> (apm), <c>agent-http-intake.logs.&lt;domain&gt;</c> (logs over HTTPS, 443/tcp),
/// <c>agent-intake.logs.&lt;domain&gt;</c> (logs over TCP: 10516/tcp on US1, 443/tcp on EU1, none elsewhere), <c>process.&lt;domain&gt;</c> (process),
/// <c>orchestrator.&lt;domain&gt;</c> (orchestrator), <c>config.&lt;domain&gt;</c> (remote-configuration, on by default from Agent
/// 7.47 (6.47); also on 8042/tcp from Agent 7.80; none on US1-FED, where it is off by default) and <c>api.&lt;domain&gt;</c> (api). Every other
/// endpoint uses 443/tcp.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public static class AgentEndpoints
{
    /// <summary>
    /// The Agent version used in the versioned metrics host name when none is given: the Agent the Helm chart 3.240.0 ships
    /// (its <c>agents.image.tag</c>), the newest this library knows.
    /// </summary>
    public const string DefaultAgentVersion = AgentVersions.NewestText;

    // The core intakes of the catalogue, in this order; Remote Configuration's (its second port for the versions that use it) where it is
    // on by default, not on US1-FED.
    private static readonly Intake[] Table =
    [
        IntakeCatalog.VersionedMetrics, IntakeCatalog.Traces, IntakeCatalog.LogsHttps, IntakeCatalog.LogsTcp, IntakeCatalog.Processes,
        IntakeCatalog.Orchestrator, IntakeCatalog.RemoteConfiguration, IntakeCatalog.RemoteConfigurationPort, IntakeCatalog.Api,
    ];

    /// <summary>The endpoints the Agent uses on <paramref name="site"/>, in the order of the table above.</summary>
    /// <param name="site">A Datadog site; a mirror (<see cref="Site.IsCustom"/>) has no Agent endpoints.</param>
    /// <param name="agentVersion">
    /// The Agent's version, read as <c>fwrules plan --agent-version</c> reads it: <c>7.60.0</c>, <c>7.60</c> (7.60.0), <c>7</c> or
    /// <c>latest</c> (the newest, <see cref="DefaultAgentVersion"/>), <c>6</c> (the last Agent 6, 6.55.1), an image tag's suffix
    /// dropped (<c>7.60.0-jmx</c>); <see cref="DefaultAgentVersion"/> when null.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="site"/> is a mirror, or <paramref name="agentVersion"/> is not a version of Agent 6 or 7.</exception>
    public static IReadOnlyList<AgentEndpoint> For(Site site, string? agentVersion = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (site.IsCustom)
        {
            throw new ArgumentException($"{site} is a mirror, not a Datadog site: the Agent's host names are those of a site such as us1 or eu1", nameof(site));
        }

        Version version = AgentVersions.Read(agentVersion ?? DefaultAgentVersion, out _) is { } read && AgentVersions.IsRead(read)
            ? read
            : throw new ArgumentException($"'{agentVersion}' is not a version of Agent 6 or 7 such as 7.60.0", nameof(agentVersion));
        string label = AgentVersions.Label(version);
        // Remote Configuration where the agent runs it by default, as plan decides: from 7.47 (6.47), and not on US1-FED.
        bool remoteConfiguration = AgentVersionRules.RemoteConfigurationByDefault.AppliesTo(version) && site != Site.US1Fed;
        return [.. Table.Where(row => row.SentBy(version) && (row.Section != Section.RemoteConfiguration || remoteConfiguration))
            .Select(row => (Row: row, Port: PortAt(row, site))).Where(e => e.Port is not null)
            .Select(e => new AgentEndpoint(e.Row.Host(label, site.Domain), e.Row.Section!.Value, new PortRange(TransportProtocol.Tcp, e.Port!.Value), e.Row.Purpose))];
    }

    // Logs over TCP go to the port of the site's TCP intake (EU1's listens on 443), and to none where Datadog runs none.
    private static int? PortAt(Intake row, Site site) => row == IntakeCatalog.LogsTcp ? IntakeCatalog.TcpLogsPort(site.Domain) : row.Port;

    /// <summary>The endpoints of <paramref name="site"/> whose section is one of <paramref name="sections"/>.</summary>
    /// <exception cref="ArgumentException">As for <see cref="For(Site, string?)"/>.</exception>
    public static IReadOnlyList<AgentEndpoint> For(Site site, IEnumerable<Section> sections, string? agentVersion = null)
    {
        ArgumentNullException.ThrowIfNull(sections);
        HashSet<Section> wanted = [.. sections];
        return [.. For(site, agentVersion).Where(endpoint => wanted.Contains(endpoint.Section))];
    }

    /// <summary>The sections that have an Agent endpoint, in table order.</summary>
    public static IReadOnlyList<Section> CoveredSections { get; } = [.. Table.Select(row => row.Section!.Value).Distinct()];
}
