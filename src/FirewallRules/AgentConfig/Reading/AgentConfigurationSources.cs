namespace FirewallRules.AgentConfig;

/// <summary>The files an agent's configuration is read from, and the agent version whose defaults apply.</summary>
/// <remarks>Immutable. Every file is optional; the agent's defaults fill what none sets.</remarks>
public sealed record AgentConfigurationSources
{
    /// <summary>The agent's <c>datadog.yaml</c>.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>
    /// The system probe's <c>system-probe.yaml</c>: Network Performance Monitoring (<c>network_config</c>), Universal Service
    /// Monitoring (<c>service_monitoring_config</c>) and Workload Protection's probe. Its keys of the system probe's own sections win
    /// over the same keys in <see cref="ConfigFile"/>.
    /// </summary>
    public string? SystemProbeConfigFile { get; init; }

    /// <summary>
    /// The security agent's <c>security-agent.yaml</c>: compliance (<c>compliance_config</c>) and Workload Protection events
    /// (<c>runtime_security_config</c>). Its keys of those sections win over the same keys in the other files.
    /// </summary>
    public string? SecurityAgentConfigFile { get; init; }

    /// <summary>
    /// The agent's <c>conf.d</c> folder, read as the agent reads it: the integrations that turn on Database Monitoring
    /// (<c>dbm: true</c>), the SNMP devices polled, Network Path tests, and each integration's own target (said, not planned).
    /// </summary>
    public string? ChecksDirectory { get; init; }

    /// <summary>The agent's environment: <c>KEY=VALUE</c> lines (a systemd <c>EnvironmentFile</c>, an env file) or <c>/proc/PID/environ</c>.</summary>
    public string? EnvironmentFile { get; init; }

    /// <summary>The Datadog Helm chart's <c>values.yaml</c>: a Kubernetes deployment.</summary>
    public string? HelmValuesFile { get; init; }

    /// <summary>
    /// A DatadogAgent manifest (the Datadog Operator's <c>datadoghq.com/v2alpha1</c> resource), alone or in a multi-document stream
    /// (<c>kubectl get datadogagent -o yaml</c>, a Kustomize or Helm-rendered bundle, whose ConfigMaps it may name): a Kubernetes
    /// deployment, read as the Operator deploys it. Not beside <see cref="HelmValuesFile"/>.
    /// </summary>
    public string? DatadogAgentFile { get; init; }

    /// <summary>The agent version (<c>7.60.0</c>); the Helm image tag, else <see cref="Verification.AgentEndpoints.DefaultAgentVersion"/>, when null.</summary>
    public string? AgentVersion { get; init; }

    /// <summary>
    /// Special-purpose hosts the configuration may send to all the same (a relay on the agent's own loopback, <c>127.0.0.1</c> or
    /// <c>localhost</c>; a documentation address in a lab), each as the configuration writes it. Any other loopback, link-local,
    /// broadcast, multicast, documentation or otherwise special address or name is refused when the configuration is read; a cloud's
    /// instance metadata service (<c>169.254.169.254</c>, <c>metadata.google.internal</c>...) and an IPv4-mapped IPv6 address are refused
    /// even when named here.
    /// </summary>
    /// <value>Empty.</value>
    public IReadOnlyList<string> SpecialRelays { get; init; } = [];

    /// <summary>
    /// The agent's whole configuration folder these were read from (<see cref="FromDirectory"/>). Then a missing
    /// <c>system-probe.yaml</c> or <c>security-agent.yaml</c> means that process does not run, as the agent's Linux packages start
    /// the system probe and the security agent only when their file exists, and the features it would serve are not planned; and
    /// <c>confd_path</c>, when set, names the integrations' folder (<c>/etc/datadog-agent/…</c> read in this folder).
    /// </summary>
    /// <value>Null: each file given is read, and a file not given says nothing about what runs.</value>
    public string? ConfigurationDirectory { get; init; }

    /// <summary>
    /// An agent's configuration folder as the agent lays it out (<c>/etc/datadog-agent</c>): each of <c>datadog.yaml</c>,
    /// <c>system-probe.yaml</c>, <c>security-agent.yaml</c> and <c>conf.d</c> that is there.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="IOException">The folder holds none of those files.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be listed.</exception>
    public static AgentConfigurationSources FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw File.Exists(directory)
                ? new IOException($"{directory}: is a file, not a folder: give a datadog.yaml as the agent's configuration file (ConfigFile), not as its folder")
                : new DirectoryNotFoundException($"{directory}: no such folder");
        }

        // Listed, not probed one name at a time: a folder that cannot be listed is refused (UnauthorizedAccessException), never read as empty.
        var names = Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        // A link to nothing is no file, as systemd's ConditionPathExists, which follows links, finds none.
        string? Named(string name) => names.Contains(name) && Path.Combine(directory, name) is var path && !LinksToNothing(path) ? path : null;
        var sources = new AgentConfigurationSources
        {
            ConfigFile = Named("datadog.yaml"),
            SystemProbeConfigFile = Named("system-probe.yaml"),
            SecurityAgentConfigFile = Named("security-agent.yaml"),
            ChecksDirectory = Named("conf.d") is string checks && Directory.Exists(checks) ? checks : null,
            ConfigurationDirectory = directory,
        };
        if (sources.ConfigFile is null && sources.SystemProbeConfigFile is null && sources.SecurityAgentConfigFile is null && sources.ChecksDirectory is null)
        {
            throw new IOException($"{directory}: no datadog.yaml, system-probe.yaml, security-agent.yaml or conf.d: not an agent's configuration folder");
        }

        return sources;
    }

    // A symbolic link whose final target does not exist (a loop is left to the read, which refuses it). A link to a folder (conf.d) is
    // followed, as the agent's os.ReadDir on confd_path follows it.
    private static bool LinksToNothing(string path)
    {
        try
        {
            if (new FileInfo(path).LinkTarget is null)
            {
                return false;
            }

            return File.ResolveLinkTarget(path, returnFinalTarget: true) is not { } target || !(target.Exists || Directory.Exists(target.FullName));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
