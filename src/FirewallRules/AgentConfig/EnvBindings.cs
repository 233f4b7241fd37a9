namespace FirewallRules.AgentConfig;

/// <summary>
/// Which environment variables set a key, in the order the agent looks at them. Most keys follow the agent's own rule,
/// <c>DD_</c> and the key in capitals with dots as underscores (<c>logs_config.force_use_tcp</c> is
/// <c>DD_LOGS_CONFIG_FORCE_USE_TCP</c>); the ones below do not, or have more than one name.
/// </summary>
/// <remarks>
/// Sources: the <c>@env</c> lines of the agent's configuration template (<c>data/agent/datadog.yaml.example</c>), the
/// agent's environment bindings (<c>pkg/config/setup</c>: <c>BindEnv</c> calls, and <c>procBindEnv</c>, which binds each
/// <c>process_config.*</c> key to both <c>DD_PROCESS_CONFIG_*</c> and <c>DD_PROCESS_AGENT_*</c>), the system-probe's
/// <c>DD_SYSTEM_PROBE_NETWORK_ENABLED</c>, and the trace-agent's legacy names (<c>DD_RECEIVER_PORT</c>). See
/// data/PROVENANCE.md, section 4.
/// </remarks>
internal static class EnvBindings
{
    private static readonly Dictionary<string, string[]> Exceptions = new(StringComparer.Ordinal)
    {
        // "If DD_DD_URL and DD_URL are both set, DD_DD_URL is used in priority." (the template)
        ["dd_url"] = ["DD_DD_URL", "DD_URL"],
        ["apm_config.enabled"] = ["DD_APM_ENABLED"],
        ["apm_config.receiver_port"] = ["DD_APM_RECEIVER_PORT", "DD_RECEIVER_PORT"],
        ["apm_config.apm_non_local_traffic"] = ["DD_APM_NON_LOCAL_TRAFFIC"],
        ["apm_config.apm_dd_url"] = ["DD_APM_DD_URL"],
        ["apm_config.additional_endpoints"] = ["DD_APM_ADDITIONAL_ENDPOINTS"],
        // The legacy tri-state ("true", "false", "disabled"); DD_PROCESS_AGENT_ENABLED is what most deployments set.
        ["process_config.enabled"] = ["DD_PROCESS_CONFIG_ENABLED", "DD_PROCESS_AGENT_ENABLED"],
        ["network_config.enabled"] = ["DD_SYSTEM_PROBE_NETWORK_ENABLED", "DD_NETWORK_CONFIG_ENABLED"],
        // The template documents DD_LOGS_CONFIG_DD_URL; the key's own name binds as well.
        ["logs_config.logs_dd_url"] = ["DD_LOGS_CONFIG_LOGS_DD_URL", "DD_LOGS_CONFIG_DD_URL"],
    };

    /// <summary>The variables that set <paramref name="key"/>, the first set one winning.</summary>
    public static IReadOnlyList<string> For(string key)
    {
        if (Exceptions.TryGetValue(key, out string[]? names))
        {
            return names;
        }

        string standard = Standard(key);
        return key.StartsWith("process_config.", StringComparison.Ordinal)
            ? [standard, "DD_PROCESS_AGENT_" + Standard(key["process_config.".Length..])[3..]]
            : [standard];
    }

    private static string Standard(string key) => "DD_" + key.ToUpperInvariant().Replace('.', '_');
}
