namespace FirewallRules.AgentConfig;

/// <summary>
/// Which environment variables set a key, in the order the agent looks at them. Most keys follow the agent's own rule,
/// <c>DD_</c> and the key in capitals with dots as underscores (<c>logs_config.force_use_tcp</c> is
/// <c>DD_LOGS_CONFIG_FORCE_USE_TCP</c>); the ones below do not, or have more than one name.
/// </summary>
/// <remarks>
/// Source: the agent's own binding table (<c>pkg/config/setup</c>: <c>BindEnv</c>/<c>BindEnvAndSetDefault</c> calls
/// with explicit names, and <c>procBindEnv</c>, which binds each <c>process_config.*</c> key to both
/// <c>DD_PROCESS_CONFIG_*</c> and <c>DD_PROCESS_AGENT_*</c>), extracted for the keys modelled here in
/// <c>data/agent/env-bindings.tsv</c> and held to it by a test (data/PROVENANCE.md, section 5).
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
        ["apm_config.debug.port"] = ["DD_APM_DEBUG_PORT"],
        ["apm_config.profiling_dd_url"] = ["DD_APM_PROFILING_DD_URL"],
        ["apm_config.debugger_dd_url"] = ["DD_APM_DEBUGGER_DD_URL"],
        ["apm_config.debugger_diagnostics_dd_url"] = ["DD_APM_DEBUGGER_DIAGNOSTICS_DD_URL"],
        ["apm_config.symdb_dd_url"] = ["DD_APM_SYMDB_DD_URL"],
        ["apm_config.profiling_additional_endpoints"] = ["DD_APM_PROFILING_ADDITIONAL_ENDPOINTS"],
        ["apm_config.telemetry.enabled"] = ["DD_APM_TELEMETRY_ENABLED"],
        ["apm_config.telemetry.dd_url"] = ["DD_APM_TELEMETRY_DD_URL"],
        ["apm_config.telemetry.additional_endpoints"] = ["DD_APM_TELEMETRY_ADDITIONAL_ENDPOINTS"],
        ["apm_config.debugger_additional_endpoints"] = ["DD_APM_DEBUGGER_ADDITIONAL_ENDPOINTS"],
        ["apm_config.debugger_diagnostics_additional_endpoints"] = ["DD_APM_DEBUGGER_DIAGNOSTICS_ADDITIONAL_ENDPOINTS"],
        ["apm_config.symdb_additional_endpoints"] = ["DD_APM_SYMDB_ADDITIONAL_ENDPOINTS"],
        ["orchestrator_explorer.orchestrator_additional_endpoints"] = ["DD_ORCHESTRATOR_EXPLORER_ORCHESTRATOR_ADDITIONAL_ENDPOINTS", "DD_ORCHESTRATOR_ADDITIONAL_ENDPOINTS"],
        // The legacy tri-state ("true", "false", "disabled"); DD_PROCESS_AGENT_ENABLED is what most deployments set.
        ["process_config.enabled"] = ["DD_PROCESS_CONFIG_ENABLED", "DD_PROCESS_AGENT_ENABLED"],
        ["process_config.process_dd_url"] = ["DD_PROCESS_CONFIG_PROCESS_DD_URL", "DD_PROCESS_AGENT_PROCESS_DD_URL", "DD_PROCESS_AGENT_URL", "DD_PROCESS_CONFIG_URL"],
        ["process_config.additional_endpoints"] =
            ["DD_PROCESS_CONFIG_ADDITIONAL_ENDPOINTS", "DD_PROCESS_AGENT_ADDITIONAL_ENDPOINTS", "DD_PROCESS_ADDITIONAL_ENDPOINTS"],
        // Deprecated, and known to the agent (SetKnown) without a variable: the file only.
        ["process_config.orchestrator_additional_endpoints"] = [],
        ["process_config.process_discovery.enabled"] =
            ["DD_PROCESS_CONFIG_PROCESS_DISCOVERY_ENABLED", "DD_PROCESS_AGENT_PROCESS_DISCOVERY_ENABLED", "DD_PROCESS_CONFIG_DISCOVERY_ENABLED",
                "DD_PROCESS_AGENT_DISCOVERY_ENABLED"],
        // A system-probe setting (system-probe.yaml); read from datadog.yaml too, where a single-file setup writes it.
        ["network_config.enabled"] = ["DD_SYSTEM_PROBE_NETWORK_ENABLED"],
        ["service_monitoring_config.enabled"] = ["DD_SYSTEM_PROBE_SERVICE_MONITORING_ENABLED"],
        ["system_probe_config.enabled"] = ["DD_SYSTEM_PROBE_ENABLED"],
    };

    /// <summary>The keys whose variables do not follow the agent's rule.</summary>
    public static IEnumerable<string> ExceptionKeys => Exceptions.Keys;

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
