using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Dual shipping sends to the main endpoint and to each extra one: for every dual-shipping key of the agent, the plan holds
/// both (the event platform pipelines, comp/forwarder/eventplatform, build the main one from the site beside the extra ones).
/// </summary>
[TestFixture]
public class DualShippingMainTests
{
    private static string Eu(EndpointKey key) => key.Shape switch
    {
        EndpointShape.Hosts => "[{api_key: k3y, Host: relay.example.eu, Port: 443}]",
        EndpointShape.Domains => "{\"relay.example.eu\": [k3y]}",
        _ => "{\"https://relay.example.eu\": [k3y]}",
    };

    // Every key with its feature on, as DualShippingKeyTests turns each on.
    private static IEnumerable<TestCaseData> Keys() => DualShippingKeyTests.Keys();

    private static Dictionary<string, string> TurnsOn => DualShippingKeyTests.TurnsOn;

    [TestCaseSource(nameof(Keys))]
    public void EveryDualShippingKey_PlansTheMainEndpointBesideTheExtraOne(string name)
    {
        EndpointKey key = EndpointKeys.All.Single(k => k.Key == name);
        string? helm = key.Feature == "orchestrator" ? "datadog:\n  site: datadoghq.com\n" : null;

        AgentPlan plan = AgentConfiguration.Parse(DualShippingKeyTests.Nested(key.Key, Eu(key)), TurnsOn.GetValueOrDefault(key.Feature, string.Empty), helm);

        string[] hosts = [.. plan.Destinations.Where(d => DestinationMerge.Serves(d, key.Feature)).Select(d => d.HostName)];
        Assert.That(hosts, Has.Some.Contains("relay.example.eu"), "the extra endpoint");
        Assert.That(hosts, Has.Some.EndsWith(".datadoghq.com"), "the main endpoint, on the agent's own site");
    }

    [Test]
    public void NdmMetadata_DualShippedToEu_PlansNdmIntakeOfBothSites()
    {
        const string Yaml = "network_devices:\n  metadata:\n    additional_endpoints:\n      - api_key: k3y\n        Host: ndm-intake.datadoghq.eu\n        Port: 443\n";

        string[] ndm = AgentConfigurationTests.Hosts(TestAgent.Plan(Yaml, version: null), "ndm");

        Assert.That(ndm, Is.EqualTo(new[] { "ndm-intake.datadoghq.com 443/tcp", "ndm-intake.datadoghq.eu 443/tcp" }));
    }

    [Test]
    public void DatabaseMonitoring_DualShipped_PlansItsMainIntakes_UnlessDdUrlReplacesThem()
    {
        const string Yaml = "database_monitoring:\n  samples:\n    additional_endpoints: [{api_key: k3y, Host: dbquery-intake.datadoghq.eu, Port: 443}]\n"
            + "  metrics:\n    dd_url: https://dbm-relay.internal:8443\n    additional_endpoints: [{api_key: k3y, Host: dbm-metrics-intake.datadoghq.eu}]\n";

        string[] dbm = AgentConfigurationTests.Hosts(TestAgent.Plan(Yaml, version: null), "database-monitoring");

        Assert.That(dbm, Is.EquivalentTo(new[]
        {
            "dbm-relay.internal 8443/tcp", "dbquery-intake.datadoghq.com 443/tcp", "dbquery-intake.datadoghq.eu 443/tcp", "dbm-metrics-intake.datadoghq.eu 443/tcp",
        }));
    }

    [Test]
    public void SnmpAutodiscovery_PlansNdmIntake_AndConfDSnmpGetsANote()
    {
        AgentPlan autodiscovery = TestAgent.Plan("network_devices:\n  autodiscovery:\n    configs:\n      - network_address: 10.10.0.0/24\n", version: null);
        AgentPlan listener = TestAgent.Plan("snmp_listener:\n  configs:\n    - network: 10.10.0.0/24\n", version: null);
        AgentPlan plain = TestAgent.Plan("api_key: k\n", version: null);

        Assert.That(AgentConfigurationTests.Hosts(autodiscovery, "ndm"), Is.EqualTo(new[] { "ndm-intake.datadoghq.com 443/tcp" }));
        Assert.That(AgentConfigurationTests.Hosts(listener, "ndm"), Is.EqualTo(new[] { "ndm-intake.datadoghq.com 443/tcp" }));
        Assert.That(plain.Notes.Texts(), Has.One.Contains("conf.d (snmp.d)").And.Contains("ndm-intake.datadoghq.com"));
        Assert.That(autodiscovery.Notes.Texts(), Has.None.Contains("conf.d (snmp.d)"));
    }

    [Test]
    public void EvpProxyAdditionalEndpoints_AStringThatIsNotAMap_IsOneLineNamingTheKeyAndTheForm()
    {
        var error = Assert.Throws<AgentConfigurationException>(() =>
            TestAgent.Plan("evp_proxy_config:\n  additional_endpoints: \"https://datadoghq.eu\"\n", version: null))!;

        Assert.That(error.Message, Does.StartWith("datadog.yaml:2: evp_proxy_config.additional_endpoints: must be a map of domains to API keys")
            .And.Contain("{\"datadoghq.eu\": [API_KEY]}").And.Not.Contain("\n").And.Not.EndWith("must be JSON"));
    }

    [Test]
    public void EvpProxyAdditionalEndpoints_AsJsonText_ValidForTheAgent_IsPlanned()
    {
        AgentPlan plan = TestAgent.Plan("evp_proxy_config:\n  additional_endpoints: '{\"datadoghq.eu\": [\"k3y\"]}'\n", version: null);

        Assert.That(AgentConfigurationTests.Hosts(plan, "llmobs"), Is.EqualTo(new[] { "llmobs-intake.datadoghq.com 443/tcp", "llmobs-intake.datadoghq.eu 443/tcp" }));
    }

    // Datadog's dual-shipping page (CI Visibility) writes the keys as URLs; the trace agent puts the subdomain before each key
    // as written (evpProxyEndpointsFromConfig, pkg/trace/api/evp_proxy.go): that copy fails, the main endpoint still works.
    [Test]
    public void EvpProxyAdditionalEndpoints_AUrlAsTheDocsWriteIt_IsANoteNotARefusal_AndIsNotPlanned()
    {
        AgentPlan plan = TestAgent.Plan(
            "evp_proxy_config:\n  additional_endpoints:\n    \"https://7-38-0-app.agent.datadoghq.eu\": [k3y]\n    datadoghq.eu: [k3y2]\n", version: null);

        Assert.That(AgentConfigurationTests.Hosts(plan, "llmobs"), Is.EqualTo(new[] { "llmobs-intake.datadoghq.com 443/tcp", "llmobs-intake.datadoghq.eu 443/tcp" }));
        Assert.That(plan.Notes.Texts().Single(n => n.StartsWith("evp_proxy_config.additional_endpoints", StringComparison.Ordinal)),
            Does.Contain("https://7-38-0-app.agent.datadoghq.eu is a URL").And.Contain("'llmobs-intake.https://7-38-0-app.agent.datadoghq.eu'")
                .And.Contain("such as datadoghq.eu").And.Not.Contain("k3y"));
    }
}
