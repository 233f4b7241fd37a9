using FirewallRules.AgentConfig;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Our binding table and defaults held to the agent's own (data/agent/env-bindings.tsv, extracted from the agent's
/// <c>BindEnv</c>/<c>BindEnvAndSetDefault</c> calls; data/PROVENANCE.md, section 5).
/// </summary>
[TestFixture]
public class EnvBindingTableTests
{
    private sealed record Row(string Key, string[] Variables, string? Default);

    private static Row[] Table => [.. File.ReadAllLines(TestData.Path_("agent", "env-bindings.tsv"))
        .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("key\t", StringComparison.Ordinal))
        .Select(line => line.Split('\t'))
        .Select(f => new Row(f[0], Variables(f[0], f[1]), f[2] == "-" ? null : f[2]))];

    // "standard": DD_ and the key; "-": no variable (a key the agent knows from its file only).
    private static string[] Variables(string key, string field) => field switch
    {
        "standard" => ["DD_" + key.ToUpperInvariant().Replace('.', '_')],
        "-" => [],
        _ => field.Split(' '),
    };

    [Test]
    public void EveryModelledKey_IsSetByTheVariablesTheAgentBinds_InItsOrder()
    {
        Assert.That(Table, Has.Length.GreaterThan(30));
        Assert.Multiple(() =>
        {
            foreach (Row row in Table)
            {
                Assert.That(EnvBindings.For(row.Key), Is.EqualTo(row.Variables), row.Key);
            }
        });
    }

    [Test]
    public void EveryException_InOurTable_IsInTheAgentsTable()
    {
        Assert.That(EnvBindings.ExceptionKeys, Is.SubsetOf(Table.Select(r => r.Key)), "a variable name the agent does not bind would be read as if it did");
    }

    [Test]
    public void EveryVariable_InTheAgentsTable_ChangesWhatThePlanReads()
    {
        // The last variable of each list (the one a reader is least likely to have tested) drives the plan on its own.
        Assert.That(Port(Plan(null, "DD_RECEIVER_PORT=9126", version: null), "apm"), Is.EqualTo("9126"));
        Assert.That(Port(Plan(null, "DD_APM_DEBUG_PORT=5013", version: null), "apm-debug"), Is.EqualTo("5013"));
        Assert.That(Port(Plan(null, "DD_PROCESS_AGENT_EXPVAR_PORT=6063\nDD_PROCESS_AGENT_RUN_IN_CORE_AGENT_ENABLED=false", version: "7.70.0"), "process-expvar"),
            Is.EqualTo("6063"));
        Assert.That(AgentConfigurationTests.Hosts(Plan(null, "DD_PROCESS_CONFIG_URL=https://process.relay.example", version: null), "process"),
            Is.EqualTo(new[] { "process.relay.example 443/tcp" }));
        Assert.That(Plan("process_config:\n  container_collection:\n    enabled: false\n", "DD_PROCESS_AGENT_DISCOVERY_ENABLED=false", version: null).Sections,
            Does.Not.Contain(Section.Process));
        Assert.That(AgentConfigurationTests.Hosts(Plan("logs_enabled: true\n",
            "DD_LOGS_CONFIG_DD_URL=https://agent-http-intake.logs.datadoghq.eu", version: null), "logs"),
            Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.eu 443/tcp" }), "DD_LOGS_CONFIG_DD_URL sets logs_config.dd_url, the intake override");
        Assert.That(Plan(null,
            "DD_NETWORK_CONFIG_ENABLED=true\nDD_PROCESS_AGENT_CONTAINER_COLLECTION_ENABLED=false\nDD_PROCESS_AGENT_DISCOVERY_ENABLED=false", version: null).Sections,
            Does.Not.Contain(Section.Process), "the agent binds network_config.enabled to DD_SYSTEM_PROBE_NETWORK_ENABLED only");
        Assert.That(AgentConfigurationTests.Hosts(Plan(null, "DD_APM_TELEMETRY_DD_URL=https://telemetry.relay.example", version: null), "apm-telemetry"),
            Is.EqualTo(new[] { "telemetry.relay.example 443/tcp" }), "the agent binds apm_config.telemetry.dd_url to DD_APM_TELEMETRY_DD_URL");
        Assert.That(Plan(null, "DD_APM_TELEMETRY_ENABLED=false", version: null).Destinations.Where(d => DestinationMerge.Serves(d, "apm-telemetry")),
            Is.Empty, "and apm_config.telemetry.enabled to DD_APM_TELEMETRY_ENABLED");
    }

    [Test]
    public void EveryTraceAgentKey_ThePlanReads_IsInTheAgentsTable()
    {
        // apm.go binds each trace agent key by an explicit name (DD_APM_...), never the rule's DD_APM_CONFIG_...: a key read
        // here without its row would be read from a variable the agent never looks at.
        string[] read = [.. AgentKeys.Mapped.Where(key => key.StartsWith("apm_config.", StringComparison.Ordinal))];
        Assert.That(read, Has.Length.GreaterThan(10));
        Assert.That(read, Is.SubsetOf(Table.Select(r => r.Key)));
    }

    [TestCase("7.60.0")]
    [TestCase("7.52.0")]
    public void Defaults_AgreeWithTheAgentsTable(string version)
    {
        AgentPlan host = Plan(AgentConfigurationTests.Template, version: version);
        AgentPlan logs = Plan("logs_enabled: true\n", version: version);
        AgentPlan cluster = AgentConfiguration.Parse(null, null, "datadog:\n  site: datadoghq.com\n", version);
        AgentPlan security = Plan("compliance_config:\n  enabled: true\n", version: version);
        AgentPlan runtime = Plan("runtime_security_config:\n  enabled: true\n", version: version);
        string process = host.Destinations.Single(d => DestinationMerge.Serves(d, "process")).Purpose;
        string FallsBack() => logs.Notes.Texts().Any(n => n.Contains("falls back to TCP", StringComparison.Ordinal)) ? "false" : "true";
        var observed = new Dictionary<string, Func<string>>
        {
            ["additional_endpoints"] = () => host.Destinations.Count(d => DestinationMerge.Serves(d, "metrics")) == 1 ? "{}" : "set",
            ["cmd_host"] = () => host.Listeners.Single(l => l.Feature == "ipc").BindAddress,
            ["cmd_port"] = () => Port(host, "ipc"),
            ["health_port"] = () => host.Listeners.Any(l => l.Feature == "health") ? Port(host, "health") : "0",
            ["expvar_port"] = () => Port(host, "expvar"),
            ["remote_configuration.enabled"] = () => Lower(host.Sections.Contains(Section.RemoteConfiguration)),
            ["use_dogstatsd"] = () => Lower(host.Listeners.Any(l => l.Feature == "dogstatsd")),
            ["dogstatsd_port"] = () => Port(host, "dogstatsd"),
            ["dogstatsd_non_local_traffic"] = () => Lower(!host.Listeners.Single(l => l.Feature == "dogstatsd").IsLocalOnly),
            ["logs_enabled"] = () => Lower(host.Sections.Contains(Section.Logs)),
            ["logs_config.use_http"] = FallsBack,
            ["logs_config.force_use_http"] = FallsBack,
            ["logs_config.use_tcp"] = () => Lower(!AgentConfigurationTests.Hosts(logs, "logs").Single().EndsWith("443/tcp", StringComparison.Ordinal)),
            ["logs_config.force_use_tcp"] = () => Lower(!AgentConfigurationTests.Hosts(logs, "logs").Single().EndsWith("443/tcp", StringComparison.Ordinal)),
            ["orchestrator_explorer.enabled"] = () => Lower(cluster.Sections.Contains(Section.Orchestrator)),
            ["kubernetes_https_kubelet_port"] = () =>
                cluster.Destinations.Single(d => DestinationMerge.Serves(d, "kubelet")).Port.First.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["apm_config.enabled"] = () => Lower(host.Sections.Contains(Section.Apm)),
            ["apm_config.receiver_port"] = () => Port(host, "apm"),
            ["apm_config.debug.port"] = () => Port(host, "apm-debug"),
            ["apm_config.telemetry.enabled"] = () => Lower(host.Destinations.Any(d => DestinationMerge.Serves(d, "apm-telemetry"))),
            ["process_config.process_collection.enabled"] = () => Lower(process.Contains("processes", StringComparison.Ordinal)),
            ["process_config.container_collection.enabled"] = () => Lower(process.Contains("containers", StringComparison.Ordinal)),
            ["process_config.process_discovery.enabled"] = () => Lower(process.Contains("process-discovery", StringComparison.Ordinal)),
            ["network_config.enabled"] = () => Lower(process.Contains("network", StringComparison.Ordinal)),
            ["service_monitoring_config.enabled"] = () => Lower(process.Contains("network", StringComparison.Ordinal)),
            ["system_probe_config.enabled"] = () => Lower(process.Contains("network", StringComparison.Ordinal)),
            ["process_config.expvar_port"] = () => Port(host, "process-expvar"),
            ["process_config.cmd_port"] = () => Port(host, "process-cmd"),
            ["process_config.run_in_core_agent.enabled"] = () => Lower(!host.Listeners.Any(l => l.Feature == "process-cmd")),
            ["security_agent.cmd_port"] = () => Port(security, "security-cmd"),
            ["security_agent.expvar_port"] = () => Port(security, "security-expvar"),
            ["runtime_security_config.activity_dump.enabled"] = () =>
                Lower(AgentConfigurationTests.Hosts(runtime, "runtime-security").Any(h => h.StartsWith("cws-intake.", StringComparison.Ordinal))),
        };

        Row[] withDefaults = [.. Table.Where(r => r.Default is not null)];
        Assert.That(withDefaults.Select(r => r.Key), Is.EquivalentTo(observed.Keys), "every default in the agent's table is checked");
        Assert.Multiple(() =>
        {
            foreach (Row row in withDefaults)
            {
                Assert.That(observed[row.Key](), Is.EqualTo(row.Default), row.Key);
            }
        });
    }

    [Test]
    public void RemoteConfiguration_InAGovernmentEnvironment_OnlyWhenSetOnFromAgent772()
    {
        const string SetOn = "remote_configuration:\n  enabled: true\n";
        Assert.That(Plan("site: ddog-gov.com\n", version: null).Sections, Does.Not.Contain(Section.RemoteConfiguration));
        Assert.That(Plan("fips:\n  enabled: true\n", version: null).Sections, Does.Not.Contain(Section.RemoteConfiguration));
        Assert.That(Plan("dd_url: https://app.ddog-gov.com\n", version: null).Sections, Does.Not.Contain(Section.RemoteConfiguration));
        Assert.That(Plan("site: ddog-gov.com\n" + SetOn, version: "7.71.0").Sections, Does.Not.Contain(Section.RemoteConfiguration));
        Assert.That(Plan("fips:\n  enabled: true\n" + SetOn, version: "7.71.0").Sections, Does.Not.Contain(Section.RemoteConfiguration));

        AgentPlan set = Plan("site: ddog-gov.com\n" + SetOn, version: "7.72.0");
        Assert.That(set.Sections, Does.Contain(Section.RemoteConfiguration));
        Assert.That(set.Notes.Select(n => n.Text), Has.One.Contains("older ones turn it off there whatever the setting"));
        Assert.That(Plan("site: us5.datadoghq.com\n", version: null).Sections, Does.Contain(Section.RemoteConfiguration));
    }

    private static string Port(AgentPlan plan, string feature) =>
        plan.Listeners.Single(l => l.Feature == feature).Port.First.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Lower(bool value) => value ? "true" : "false";
}
