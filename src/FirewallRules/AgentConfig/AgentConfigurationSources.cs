namespace FirewallRules.AgentConfig;

/// <summary>The files an agent's configuration is read from, and the agent version whose defaults apply.</summary>
/// <remarks>Immutable. Every file is optional; the agent's defaults fill what none sets.</remarks>
public sealed record AgentConfigurationSources
{
    /// <summary>The agent's <c>datadog.yaml</c>.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The agent's environment: <c>KEY=VALUE</c> lines (a systemd <c>EnvironmentFile</c>, an env file) or <c>/proc/PID/environ</c>.</summary>
    public string? EnvironmentFile { get; init; }

    /// <summary>The Datadog Helm chart's <c>values.yaml</c>: a Kubernetes deployment.</summary>
    public string? HelmValuesFile { get; init; }

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
}
