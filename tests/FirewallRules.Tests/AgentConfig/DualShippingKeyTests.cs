using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Every dual-shipping key the agent reads (<see cref="EndpointKeys"/>, held to the agent's binding table): its hosts reach
/// the plan with their own port, from datadog.yaml and from each variable the agent binds to it, when the feature that
/// sends there is on, and a note says so when it is off.
/// </summary>
[TestFixture]
public class DualShippingKeyTests
{
    private const string Helm = "datadog:\n  site: datadoghq.com\n";

    // Keys the planners read in place, beside the others.
    private static readonly string[] InPlace = ["additional_endpoints", "apm_config.additional_endpoints", "logs_config.additional_endpoints"];

    // What turns each feature on (as variables, so that a key under the same section can sit in the file beside it).
    internal static readonly Dictionary<string, string> TurnsOn = new(StringComparer.Ordinal)
    {
        ["process-events"] = "DD_PROCESS_CONFIG_EVENT_COLLECTION_ENABLED=true\n",
        ["snmp-traps"] = "DD_NETWORK_DEVICES_SNMP_TRAPS_ENABLED=true\n",
        ["netflow"] = "DD_NETWORK_DEVICES_NETFLOW_ENABLED=true\n",
        ["network-path"] = "DD_NETWORK_PATH_CONNECTIONS_MONITORING_ENABLED=true\n",
        ["container-lifecycle"] = "DD_CONTAINER_LIFECYCLE_ENABLED=true\n",
        ["container-image"] = "DD_CONTAINER_IMAGE_ENABLED=true\n",
        ["sbom"] = "DD_SBOM_ENABLED=true\n",
        ["compliance"] = "DD_COMPLIANCE_CONFIG_ENABLED=true\n",
        ["runtime-security"] = "DD_RUNTIME_SECURITY_CONFIG_ENABLED=true\n",
    };

    internal static IEnumerable<TestCaseData> Keys() => EndpointKeys.All.Select(k => new TestCaseData(k.Key).SetArgDisplayNames(k.Key));

    private static IEnumerable<TestCaseData> Variables() => EndpointKeys.All
        .SelectMany(k => EnvBindings.For(k.Key).Select(v => new TestCaseData(k.Key, v).SetArgDisplayNames(v)));

    private static EndpointKey Key(string key) => EndpointKeys.All.Single(k => k.Key == key);

    private static string Value(EndpointKey key, bool json) => key.Shape switch
    {
        EndpointShape.Hosts => json ? "[{\"api_key\":\"k3y\",\"Host\":\"relay.example.net\",\"Port\":8443,\"is_reliable\":true}]"
            : "[{api_key: k3y, Host: relay.example.net, Port: 8443}]",
        EndpointShape.Domains => "{\"relay.example.net\": [\"k3y\"]}",
        _ => "{\"https://relay.example.net:8443\": [\"k3y\"]}",
    };

    private static string Expected(EndpointKey key) => key.Shape == EndpointShape.Domains ? "llmobs-intake.relay.example.net 443/tcp" : "relay.example.net 8443/tcp";

    // datadog.yaml holding the key, nested as the agent reads it.
    internal static string Nested(string key, string value)
    {
        string[] parts = key.Split('.');
        return string.Concat(parts.Select((p, i) => new string(' ', 2 * i) + p + ":" + (i == parts.Length - 1 ? " " + value : string.Empty) + "\n"));
    }

    private static AgentPlan Plan(EndpointKey key, string? yaml, string env, bool on = true) =>
        AgentConfiguration.Parse(yaml, (on ? TurnsOn.GetValueOrDefault(key.Feature, string.Empty) : string.Empty) + env, key.Feature == "orchestrator" ? Helm : null);

    [Test]
    public void EndpointKeys_AreEveryDualShippingKeyOfTheAgentsBindingTable()
    {
        string[] table = [.. ConfigTemplateCoverageTests.BindingTableKeys().Where(k => k.Contains("additional_endpoints", StringComparison.Ordinal))];

        Assert.That(EndpointKeys.All.Select(k => k.Key).Concat(InPlace), Is.EquivalentTo(table));
    }

    [TestCaseSource(nameof(Keys))]
    public void Key_InDatadogYaml_ItsHostIsPlannedWithItsPort(string name)
    {
        EndpointKey key = Key(name);

        AgentPlan plan = Plan(key, Nested(key.Key, Value(key, json: false)), string.Empty);

        Assert.That(AgentConfigurationTests.Hosts(plan, key.Feature), Does.Contain(Expected(key)));
        Assert.That(plan.Destinations.Single(d => d.HostName.EndsWith("relay.example.net", StringComparison.Ordinal)).Purpose, Does.Contain(key.Key));
    }

    [TestCaseSource(nameof(Variables))]
    public void Key_FromEachVariableTheAgentBinds_ItsHostIsPlanned(string name, string variable)
    {
        EndpointKey key = Key(name);

        AgentPlan plan = Plan(key, null, $"{variable}={Value(key, json: true)}\n");

        Assert.That(AgentConfigurationTests.Hosts(plan, key.Feature), Does.Contain(Expected(key)));
    }

    [TestCaseSource(nameof(Keys))]
    public void Key_ItsApiKey_NeverReachesThePlan(string name)
    {
        EndpointKey key = Key(name);

        AgentPlan plan = Plan(key, Nested(key.Key, Value(key, json: false)), string.Empty);

        Assert.That(plan.Destinations.Select(d => $"{d.HostName} {d.Purpose}").Concat(plan.Notes.Texts()), Has.None.Contains("k3y"));
    }

    [TestCase("process_config.events_additional_endpoints")]
    [TestCase("network_devices.snmp_traps.forwarder.additional_endpoints")]
    [TestCase("sbom.additional_endpoints")]
    [TestCase("compliance_config.endpoints.additional_endpoints")]
    [TestCase("runtime_security_config.endpoints.additional_endpoints")]
    [TestCase("orchestrator_explorer.orchestrator_additional_endpoints")]
    public void Key_ForAFeatureThatIsOff_IsNotPlanned_AndANoteSaysSo(string name)
    {
        EndpointKey key = Key(name);

        AgentPlan plan = AgentConfiguration.Parse(Nested(key.Key, Value(key, json: false)));

        Assert.That(plan.Destinations.Select(d => d.HostName), Has.None.Contains("relay.example.net"));
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith($"{key.Key} is set, but {key.Feature} is off"));
    }

    [Test]
    public void DeprecatedOrchestratorKey_GivesWayToTheCurrentOne()
    {
        string yaml = "orchestrator_explorer:\n  orchestrator_additional_endpoints: {\"https://new.example.net\": [k]}\n"
            + "process_config:\n  orchestrator_additional_endpoints: {\"https://old.example.net\": [k]}\n";

        AgentPlan plan = AgentConfiguration.Parse(yaml, null, Helm);

        Assert.That(AgentConfigurationTests.Hosts(plan, "orchestrator"), Does.Contain("new.example.net 443/tcp").And.No.Contains("old.example.net 443/tcp"));
    }

    [TestCase("apm_config:\n  profiling_additional_endpoints:\n    \"http://relay.example.net\": [k]\n", "relay.example.net 80/tcp")]
    [TestCase("apm_config:\n  profiling_additional_endpoints:\n    relay.example.net: [k]\n", "relay.example.net 443/tcp")]
    [TestCase("apm_config:\n  profiling_additional_endpoints:\n    \"https://intake.profile.datadoghq.eu\": [k]\n", "intake.profile.datadoghq.eu 443/tcp")]
    public void UrlWithoutAPort_TakesItsSchemesPort(string yaml, string expected)
    {
        Assert.That(AgentConfigurationTests.Hosts(TestAgent.Plan(yaml, version: null), "profiling"), Does.Contain(expected));
    }

    [Test]
    public void Key_OfAnotherSite_IsPlacedInThatSitesSection()
    {
        AgentPlan plan = TestAgent.Plan("process_config:\n  additional_endpoints:\n    \"https://process.datadoghq.eu\": [k]\n", version: null);

        AgentDestination eu = plan.Destinations.Single(d => d.HostName == "process.datadoghq.eu");
        Assert.That((eu.Coverage, eu.Section, eu.Site), Is.EqualTo((DestinationCoverage.PublishedRanges, (Section?)Section.Process, (Site?)Site.EU1)));
    }

    [Test]
    public void ProfilingKey_OfAnotherSite_IsPlacedInThatSitesApmSection()
    {
        AgentPlan plan = TestAgent.Plan("apm_config:\n  profiling_additional_endpoints:\n    \"https://intake.profile.datadoghq.eu\": [k]\n", version: null);

        AgentDestination eu = plan.Destinations.Single(d => d.HostName == "intake.profile.datadoghq.eu");
        Assert.That((eu.Coverage, eu.Section, eu.Site), Is.EqualTo((DestinationCoverage.PublishedRanges, (Section?)Section.Apm, (Site?)Site.EU1)));
    }

    // The operator trial's finding, written out: these hosts never reached the plan.
    [TestCase("DD_PROCESS_ADDITIONAL_ENDPOINTS", "process")]
    [TestCase("DD_PROCESS_CONFIG_ADDITIONAL_ENDPOINTS", "process")]
    [TestCase("DD_PROCESS_AGENT_ADDITIONAL_ENDPOINTS", "process")]
    [TestCase("DD_APM_PROFILING_ADDITIONAL_ENDPOINTS", "profiling")]
    public void TrialVariables_TheirHostsAndPortsArePlanned(string variable, string feature)
    {
        AgentPlan plan = TestAgent.Plan(null, variable + "={\"https://dual.example.org:9443\": [\"0123456789abcdef\"]}\n", version: null);

        Assert.That(AgentConfigurationTests.Hosts(plan, feature), Does.Contain("dual.example.org 9443/tcp"));
    }

    [TestCase("DD_PROCESS_ADDITIONAL_ENDPOINTS", "process")]
    [TestCase("DD_APM_PROFILING_ADDITIONAL_ENDPOINTS", "profiling")]
    public void TrialVariables_InTheHelmChartsEnv_TheirHostsAndPortsArePlanned(string variable, string feature)
    {
        string helm = $"datadog:\n  env:\n    - name: {variable}\n      value: '{{\"https://dual.example.org:9443\": [\"0123456789abcdef\"]}}'\n";

        Assert.That(AgentConfigurationTests.Hosts(AgentConfiguration.Parse(null, null, helm), feature), Does.Contain("dual.example.org 9443/tcp"));
    }

    [TestCase("process_config:\n  additional_endpoints:\n    \"https://dual.example.org:9443\": [k]\n", "process")]
    [TestCase("apm_config:\n  profiling_additional_endpoints:\n    \"https://dual.example.org:9443\": [k]\n", "profiling")]
    public void TrialKeys_InDatadogYaml_TheirHostsAndPortsArePlanned(string yaml, string feature)
    {
        Assert.That(AgentConfigurationTests.Hosts(TestAgent.Plan(yaml, version: null), feature), Does.Contain("dual.example.org 9443/tcp"));
    }

    [TestCase("sbom:\n  additional_endpoints: [{api_key: s3cr3tk3y0123, Host: \"evil.example\\nhttp_access allow all\"}]\n")]
    [TestCase("sbom:\n  additional_endpoints: [{api_key: s3cr3tk3y0123, Host: \"relay.example.net/../x\"}]\n")]
    [TestCase("sbom:\n  additional_endpoints: [{api_key: s3cr3tk3y0123, Host: \"relay.example.net:8443\"}]\n")]
    [TestCase("sbom:\n  additional_endpoints: [{api_key: s3cr3tk3y0123, Host: \"a b\"}]\n")]
    [TestCase("sbom:\n  additional_endpoints: [{api_key: s3cr3tk3y0123, Host: relay.example.net, Port: 0}]\n")]
    [TestCase("process_config:\n  additional_endpoints: {\"https://:8443\": [s3cr3tk3y0123]}\n")]
    [TestCase("process_config:\n  additional_endpoints: [s3cr3tk3y0123]\n")]
    [TestCase("process_config:\n  additional_endpoints: {\"https://evil.example\\nhttp_access allow all\": [s3cr3tk3y0123]}\n")]
    [TestCase("evp_proxy_config:\n  additional_endpoints: {\"https://evil example/a\": [s3cr3tk3y0123]}\n")]
    [TestCase("evp_proxy_config:\n  additional_endpoints: {\"evil.example:8443\": [s3cr3tk3y0123]}\n")]
    public void HostileEndpoint_IsRefusedOnOneLine_WithoutTheApiKey(string yaml)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(yaml, "DD_SBOM_ENABLED=true\n"))!;

        Assert.That(error.Message, Does.StartWith("datadog.yaml:").And.Not.Contain("s3cr3tk3y0123").And.Not.Contain("\n"));
    }
}
