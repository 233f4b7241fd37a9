using FirewallRules.AgentConfig;
using FirewallRules.Rules;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Features that open connections outside Datadog's intakes are planned or named in a note, never dropped: DogStatsD
/// forwarding, the FIPS proxy, SNMP polling and Prometheus scraping (agent sources cited in OtherDestinations).
/// </summary>
[TestFixture]
public class OtherDestinationsTests
{
    [Test]
    public void StatsdForward_HostAndPort_PlannedAsAUdpDestination()
    {
        AgentPlan plan = Plan("statsd_forward_host: statsd.internal\nstatsd_forward_port: 8125\n");

        AgentDestination forward = plan.Destinations.Single(d => DestinationMerge.Serves(d, "statsd-forward"));
        Assert.That((forward.HostName, forward.Port), Is.EqualTo(("statsd.internal", new PortRange(TransportProtocol.Udp, 8125))));
    }

    [Test]
    public void MultiRegionFailover_Enabled_NotedNamingTheFailoverSitesMrfHosts()
    {
        AgentPlan plan = Plan("multi_region_failover:\n  enabled: true\n  site: datadoghq.eu\n");

        // The agent's own hosts for the failover site (GetMRFInfraEndpoint, GetMRFLogsEndpoint): not the site's usual intakes.
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("Multi-Region Failover (multi_region_failover.enabled) keeps the failover site datadoghq.eu ready: " +
            "metrics to <version>-app.agent.mrf.datadoghq.eu, logs to agent-http-intake.logs.mrf.datadoghq.eu "));
        Assert.That(Plan("multi_region_failover:\n  site: datadoghq.eu\n").Notes.Texts(), Has.None.Contains("Multi-Region Failover"));
    }

    [TestCase("  dd_url: https://user:hunter2@mrf-relay.internal:3835\n", "sends metrics and logs to mrf-relay.internal on 3835/tcp (multi_region_failover.dd_url)")]
    [TestCase("  dd_url: https://mrf-relay.internal\n", "sends metrics and logs to mrf-relay.internal on 443/tcp (multi_region_failover.dd_url)")]
    [TestCase("", "is set without multi_region_failover.site or multi_region_failover.dd_url: the agent starts no failover")]
    public void MultiRegionFailover_DdUrlOrNoSite_NotedAsTheAgentDoes(string more, string said)
    {
        AgentPlan plan = Plan("multi_region_failover:\n  enabled: true\n" + more);

        Assert.That(plan.Notes.Texts(), Has.One.Contains(said));
        Assert.That(plan.Notes.Texts(), Has.None.Contains("hunter2"));
    }

    [TestCase("https://evil.com;rm -rf /")]
    [TestCase("https://a b.com")]
    [TestCase("https://mrf.example.com:99999")]
    [TestCase("https://mrf.example.com:0")]
    [TestCase("javascript:alert(1)")]
    [TestCase("https://10.1:443")]
    public void MultiRegionFailover_DdUrlNotAUrl_IsRefusedNamingTheKey(string url)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => Plan($"multi_region_failover:\n  enabled: true\n  dd_url: '{url}'\n"))!;

        Assert.That(error.Key, Is.EqualTo("multi_region_failover.dd_url"));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void OrchestratorUrl_OutsideKubernetes_NotedWithItsHostAndPort_NotPlanned()
    {
        AgentPlan plan = Plan("orchestrator_explorer:\n  enabled: true\n  orchestrator_dd_url: https://orch-relay.corp.example:8443\n");

        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("orchestrator_explorer.orchestrator_dd_url sends the orchestrator explorer's Kubernetes resources to " +
            "orch-relay.corp.example on 8443/tcp, in Kubernetes only"));
        Assert.That(plan.Destinations.Select(d => d.HostName), Has.None.Contains("orch"));
        Assert.Throws<AgentConfigurationException>(() => Plan("orchestrator_explorer:\n  orchestrator_dd_url: 'https://x.com:70000'\n"));
    }

    [Test]
    public void EnvironmentOfAPod_WithoutChartValues_NotedAsPlannedOutsideKubernetes()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, "KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nDD_SITE=datadoghq.eu\n", null, TestAgent.Version);

        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("The environment is a Kubernetes pod's (KUBERNETES_SERVICE_HOST): this plan is an agent's outside Kubernetes"));
        Assert.That(Plan("site: datadoghq.eu\n").Notes.Texts(), Has.None.Contains("KUBERNETES_SERVICE_HOST"));
    }

    [TestCase("remote_configuration:\n  enabled: false\n  rc_dd_url: https://rc.corp:9443\n", "remote_configuration.rc_dd_url", "remote-configuration")]
    [TestCase("logs_enabled: false\nlogs_config:\n  logs_dd_url: relay.corp:10516\n", "logs_config.logs_dd_url", "logs")]
    [TestCase("apm_config:\n  enabled: false\n  apm_dd_url: https://apm.corp:8126\n", "apm_config.apm_dd_url", "apm")]
    public void FeatureOff_ItsUrlKeySet_Noted(string yaml, string key, string feature)
    {
        Assert.That(Plan(yaml).Notes.Texts(), Has.One.EqualTo($"{key} is set, but {feature} is off in this configuration: its endpoint is not planned."));
    }

    [Test]
    public void StatsdForward_NoPort_NotPlanned()
    {
        AgentPlan plan = Plan("statsd_forward_host: statsd.internal\n");

        Assert.That(plan.Destinations.Where(d => DestinationMerge.Serves(d, "statsd-forward")), Is.Empty);
    }

    [Test]
    public void Fips_PortRangePast65535_IsRefusedNamingTheKeyAndTheRange()
    {
        var error = Assert.Throws<AgentConfigurationException>(() => Plan("fips:\n  enabled: true\n  port_range_start: 65530\n"))!;

        Assert.That(error.Key, Is.EqualTo("fips.port_range_start"));
        Assert.That(error.Message, Does.Contain("65530-65545").And.Contain("65520").And.Not.Contain("\n"));
        Assert.That(Plan("fips:\n  enabled: true\n  port_range_start: 65520\n").Notes.Texts(), Has.One.Contains("ports 65521-65535/tcp"));
    }

    [Test]
    public void SnmpListener_Polling_IsNamedInANote()
    {
        AgentPlan plan = Plan("snmp_listener:\n  configs:\n    - network: 10.0.0.0/24\n      port: 161\n      community: public\n");

        Assert.That(plan.Notes.Texts(), Has.Some.Contains("polls every address of its configured networks over SNMP (161/udp"));
    }

    [Test]
    public void PrometheusScrape_Enabled_IsNamedInANote()
    {
        AgentPlan plan = Plan("prometheus_scrape:\n  enabled: true\n  service_endpoints: true\n");

        Assert.That(plan.Notes.Texts(), Has.Some.Contains("prometheus_scrape scrapes the metrics endpoints of annotated pods and the endpoints of annotated services"));
    }

    [Test]
    public void Fips_Enabled_NoteNamesTheLocalPortsAndTheIgnoredProxy()
    {
        AgentPlan plan = Plan("fips:\n  enabled: true\n  port_range_start: 9803\n  local_address: localhost\nlogs_enabled: true\n");

        string note = plan.Notes.Texts().Single(n => n.StartsWith("fips.enabled:", StringComparison.Ordinal));
        Assert.That(note, Does.Contain("local FIPS proxy on localhost, ports 9804-9818/tcp").And.Contain("ignores proxy.*"));
        Assert.That(note, Does.Not.Contain("every intake"), "setupFipsEndpoints rewrites some intakes only");
        Assert.That(note, Does.Contain("Remote Configuration, container images and lifecycle, SBOM, Network Path, the debugger, LLM Observability"));
    }

    [Test]
    public void Fips_WithAProxy_RoutesNothingThroughIt()
    {
        AgentPlan plan = Plan("fips:\n  enabled: true\nproxy:\n  https: http://proxy.internal:3128\n");

        Assert.That(plan.Destinations.Where(d => d.Coverage is DestinationCoverage.ThroughProxy or DestinationCoverage.Proxy), Is.Empty);
        Assert.That(plan.Notes.Texts(), Has.None.Contains("through the proxy"));
    }

    [Test]
    public void LogsFallbackNote_CustomLogsDdUrl_NamesTheRelaysHostAndPort()
    {
        AgentPlan plan = Plan("logs_enabled: true\nlogs_config:\n  logs_dd_url: relay.internal:10555\n");

        Assert.That(plan.Notes.Texts(), Has.Some.Contains("falls back to TCP, to relay.internal (10555/tcp"));
        Assert.That(plan.Notes.Texts(), Has.None.Contains("(10516)"));
    }

    [TestCase("api_key: x\n", "aws, gcp, azure, alibaba, oracle, ibm", true)]
    [TestCase("cloud_provider_metadata:\n  - aws\n", "aws", false)]
    public void CloudMetadata_ByDefault_NotedWithItsAddresses(string yaml, string clouds, bool alibaba)
    {
        string note = Plan(yaml).Notes.Texts().Single(n => n.StartsWith(OtherDestinations.CloudMetadataMark, StringComparison.Ordinal));

        Assert.That(note, Does.Contain($"(cloud_provider_metadata: {clouds})").And.Contain("169.254.169.254").And.Contain("80/tcp"));
        Assert.That(note.Contains("100.100.100.200", StringComparison.Ordinal), Is.EqualTo(alibaba));
    }

    [Test]
    public void CloudMetadata_EmptyList_NoNote()
    {
        Assert.That(Plan("cloud_provider_metadata: []\n").Notes.Texts(), Has.None.StartsWith(OtherDestinations.CloudMetadataMark));
    }

    [Test]
    public void NetworkPath_ConnectionsMonitoring_TheTraceroutesAreNoted()
    {
        AgentPlan plan = Plan("network_path:\n  connections_monitoring:\n    enabled: true\n");

        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("Network Path (network_path.connections_monitoring) traceroutes"));
        Assert.That(Plan("api_key: x\n").Notes.Texts(), Has.None.StartsWith("Network Path"));
    }

    [Test]
    public void Helm_AutodiscoveryChecksTargets_Noted()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, "datadog:\n  apiKey: x\n", TestAgent.Version);

        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("Kubernetes: the checks Autodiscovery schedules connect to the pods they monitor").And.Contains("9153/tcp"));
    }

    [Test]
    public void Proxy_ChecksOverHttpUseItToo_Noted()
    {
        Assert.That(Plan("proxy:\n  https: http://proxy.corp.example:3128\n").Notes.Texts(), Has.One.StartsWith("Checks that speak HTTP").And.Contains("skip_proxy"));
        Assert.That(Plan("proxy:\n  http: http://proxy.corp.example:3128\n").Notes.Texts(), Has.One.StartsWith("Checks that speak HTTP"), "http:// targets go through proxy.http");
        Assert.That(Plan("api_key: x\n").Notes.Texts(), Has.None.StartsWith("Checks that speak HTTP"));
    }
}
