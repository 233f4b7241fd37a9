using System.Text.RegularExpressions;
using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Exhaustive by test: every key of the agent's own configuration template that names a URL, an endpoint, a port or
/// turns something on is either mapped (read by the planners) or listed here with the reason it is not; and every host
/// and port of Datadog's network page reaches the plan of a configuration that turns everything on.
/// </summary>
[TestFixture]
public partial class ConfigTemplateCoverageTests
{
    // Keys the template documents that the plan does not read, each with its reason. "gap:" marks one that does change
    // the network but is not modelled yet: the report lists them.
    private static readonly Dictionary<string, string> NotMapped = new(StringComparer.OrdinalIgnoreCase)
    {
        ["admission_controller.enabled"] = "Cluster Agent only (its webhook, reached by the API server); the plan is the node agents'",
        ["admission_controller.inject_config.enabled"] = "Cluster Agent only: what the webhook injects into pods",
        ["admission_controller.inject_config.endpoint"] = "Cluster Agent only: an API path of the webhook, not a destination",
        ["admission_controller.inject_tags.enabled"] = "Cluster Agent only: what the webhook injects into pods",
        ["admission_controller.inject_tags.endpoint"] = "Cluster Agent only: an API path of the webhook, not a destination",
        ["admission_controller.port"] = "Cluster Agent only: its webhook's listener",
        ["apm_config.profiling.enabled"] = "the trace agent profiling itself: sends to intake.profile.<domain>, the profiling row's host, planned whenever APM is on",
        ["auto_exit.noprocess.enabled"] = "does not change the network: the agent exits when no other process runs",
        ["cluster_checks.clc_runners_port"] = "Cluster Agent only: how it reaches its cluster check runners",
        ["cluster_checks.enabled"] = "Cluster Agent only: dispatching checks",
        ["dogstatsd_stats_port"] = "does not change the network: DogStatsD's stats are served on the expvar server (expvar_port)",
        ["ecs_agent_url"] = "the local ECS agent's introspection API on the same host, not Datadog",
        ["injection_controller_config.enabled"] = "Cluster Agent only: library injection",
        ["injection_controller_config.socket_port"] = "Cluster Agent only: library injection",
        ["injection_controller_config.socket_port.enabled"] = "Cluster Agent only: library injection",
        ["jmx_use_container_support"] = "does not change the network: JMXFetch's memory settings",
        ["ol_proxy_config.additional_endpoints"] = "gap: the trace agent's OpenLineage proxy (newer agents), whose main host is not modelled either",
        ["otlp_config.logs.enabled"] = "does not change the network: OTLP logs go out through the logs intake",
        ["otlp_config.metrics.enabled"] = "does not change the network: OTLP metrics go out through the metrics intake",
        ["otlp_config.traces.enabled"] = "does not change the network: OTLP traces go out through the trace intake",
        ["otlp_config.receiver.protocols.grpc.transport"] = "does not change the network: tcp or unix for the gRPC receiver planned from its endpoint",
        ["profiling.enabled"] = "the agent profiling itself: sends to intake.profile.<domain>, the profiling row's host",
        ["system_probe_config.activity_dump.enabled"] = "does not change the network: system-probe's local security activity dumps",
        ["system_probe_config.enabled"] = "does not change the network by itself: its features send through the process and security agents",
        ["system_probe_config.langauge_detection.enabled"] = "does not change the network: local process inspection",
        ["system_probe_config.memory_controller.enabled"] = "does not change the network: local cgroup memory pressure",
        ["system_probe_config.profiling.enabled"] = "system-probe profiling itself: sends to intake.profile.<domain>, the profiling row's host",
        ["system_probe_config.syscall_monitor.enabled"] = "does not change the network: local syscall counters",
    };

    // Variables the template writes under a mapped key that the tool does not bind to it, each with its reason.
    private static readonly Dictionary<string, string> EnvDifferences = new(StringComparer.Ordinal)
    {
        ["logs_config.logs_dd_url: DD_LOGS_CONFIG_DD_URL"] = "the agent binds DD_LOGS_CONFIG_DD_URL to logs_config.dd_url (env-bindings.tsv), which the tool reads",
        ["process_config.enabled: DD_INTERNAL_PROFILING_ENABLED"] = "the walk's artifact: a neighbouring section's @env line",
        ["system_probe_config.network.enabled: DD_RUNTIME_SECURITY_CONFIG_NETWORK_ENABLED"] = "the walk's artifact: a neighbouring section's @env line",
        ["system_probe_config.enabled: DD_RUNTIME_SECURITY_CONFIG_ENABLED"] = "the walk's artifact: a neighbouring section's @env line",
        ["network_devices.snmp_traps.port: DD_SNMP_TRAPS_CONFIG_PORT"] = "gap: the template's variable for the traps port is not bound by the tool",
    };

    // Keys of the agent's setup code that name endpoints and that neither the template nor the binding table lists
    // (a newer config.go than the table's, found by its text).
    private static readonly string[] SourceOnly = ["ol_proxy_config.additional_endpoints"];

    [GeneratedRegex(@"^(?<indent> *)## @param +(?<name>[A-Za-z_][A-Za-z0-9_.\-]*) ")]
    private static partial Regex Param();

    [GeneratedRegex(@"^ *## @env (?<name>DD_[A-Z0-9_]+) ")]
    private static partial Regex Env();

    /// <summary>Every @param of the template with its full dotted key, nested by indentation, and its @env variables.</summary>
    internal static List<(string Key, List<string> Variables)> TemplateKeys()
    {
        var keys = new List<(string Key, List<string> Variables)>();
        var stack = new List<(int Indent, string Name)>();
        foreach (string line in File.ReadLines(TestData.Path_("agent", "config_template.yaml")))
        {
            if (Param().Match(line) is { Success: true } param)
            {
                int indent = param.Groups["indent"].Length;
                stack.RemoveAll(s => s.Indent >= indent);
                stack.Add((indent, param.Groups["name"].Value));
                keys.Add((string.Join('.', stack.Select(s => s.Name)), []));
            }
            else if (Env().Match(line) is { Success: true } env && keys.Count > 0)
            {
                keys[^1].Variables.Add(env.Groups["name"].Value);
            }
        }

        return keys;
    }

    /// <summary>The keys of the agent's binding table (data/agent/env-bindings.tsv), the keys its setup code binds that the tool models.</summary>
    internal static string[] BindingTableKeys() => [.. File.ReadLines(TestData.Path_("agent", "env-bindings.tsv"))
        .Where(l => !l.StartsWith('#') && l.Length > 0).Skip(1).Select(l => l.Split('\t')[0])];

    // Every key that names endpoints, at any level (compliance_config.endpoints.additional_endpoints), counts: a list of
    // endpoints is where a second copy of the data goes, whichever section holds it.
    private static bool SendsOrListens(string key)
    {
        if (key.Contains("endpoints", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        string leaf = key.Split('.')[^1];
        return leaf.Contains("dd_url", StringComparison.OrdinalIgnoreCase) || leaf.EndsWith("_url", StringComparison.OrdinalIgnoreCase)
            || leaf.Contains("endpoint", StringComparison.OrdinalIgnoreCase) || leaf.Contains("port", StringComparison.OrdinalIgnoreCase)
            || leaf.Equals("enabled", StringComparison.OrdinalIgnoreCase);
    }

    [Test]
    public void Template_EveryUrlEndpointPortAndEnabledKey_IsMappedOrHasAReason()
    {
        List<(string Key, List<string> Variables)> keys = TemplateKeys();
        // The template documents one dual-shipping key of the agent's many: the binding table and the source add the others.
        string[] selected = [.. keys.Select(k => k.Key).Concat(BindingTableKeys()).Concat(SourceOnly)
            .Where(SendsOrListens).Distinct(StringComparer.OrdinalIgnoreCase)];
        string[] unknown = [.. selected.Where(k => !AgentKeys.Mapped.Contains(k) && !NotMapped.ContainsKey(k))];

        Assert.That(keys, Has.Count.GreaterThan(400), "the walk reads the whole template");
        Assert.That(selected, Has.Length.GreaterThan(50));
        Assert.That(unknown, Is.Empty, "keys that send or listen, neither mapped nor listed with a reason");
        Assert.That(NotMapped.Keys.Where(k => !selected.Contains(k, StringComparer.OrdinalIgnoreCase)), Is.Empty,
            "every reason names a key the template, the binding table or the source has");
    }

    [Test]
    public void Template_EnvVariablesOfMappedKeys_AreTheOnesTheToolBinds()
    {
        string[] wrong = [.. TemplateKeys()
            .Where(k => AgentKeys.Mapped.Contains(k.Key) && SendsOrListens(k.Key))
            .SelectMany(k => k.Variables.Where(v => !EnvBindings.For(k.Key.ToLowerInvariant()).Contains(v)).Select(v => $"{k.Key}: {v}"))
            .Where(w => !EnvDifferences.ContainsKey(w))];

        Assert.That(wrong, Is.Empty, "a variable the template documents for a mapped key that the tool does not read");
    }

    [Test]
    public void EnvBindingTable_EveryKey_IsMapped()
    {
        string[] keys = BindingTableKeys();

        Assert.That(keys, Has.Length.GreaterThan(30));
        Assert.That(keys.Where(k => !AgentKeys.Mapped.Contains(k)), Is.Empty);
    }
}
