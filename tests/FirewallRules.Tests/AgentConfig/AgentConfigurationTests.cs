using FirewallRules.AgentConfig;
using FirewallRules.Ports;
using FirewallRules.Rules;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

[TestFixture]
public class AgentConfigurationTests
{
    internal static string Template => File.ReadAllText(TestData.Path_("agent", "datadog.yaml.example"));

    internal static string[] Hosts(AgentPlan plan, string feature) => [.. plan.Destinations.Where(d => DestinationMerge.Serves(d, feature)).Select(d => $"{d.HostName} {d.Port}")];

    [Test]
    public void PublishedTemplate_EverythingCommentedOut_YieldsTheAgentsDefaults()
    {
        AgentPlan plan = Plan(Template, version: null);

        Assert.That(plan.Site, Is.EqualTo(Site.US1));
        Assert.That(plan.AgentVersion, Is.EqualTo(TestAgent.Version));
        Assert.That(plan.Sections, Is.EqualTo(new[] { Section.Agents, Section.Apm, Section.Process, Section.RemoteConfiguration }));
        Assert.That(Hosts(plan, "metrics"), Is.EqualTo(new[] { $"{TestAgent.InHostNames}-app.agent.datadoghq.com 443/tcp" }));
        Assert.That(Hosts(plan, "apm"), Is.EqualTo(new[] { "trace.agent.datadoghq.com 443/tcp" }));
        Assert.That(Hosts(plan, "logs"), Is.Empty, "logs_enabled defaults to false");
        Assert.That(plan.Destinations.Where(d => d.Feature == "ntp").Select(d => d.Coverage).ToArray(), Has.Length.EqualTo(4).And.All.EqualTo(DestinationCoverage.AnyAddress));
        Assert.That(plan.Destinations.Single(d => DestinationMerge.Serves(d, "flare")).Coverage, Is.EqualTo(DestinationCoverage.NotPublished));
        Assert.That(plan.Listeners.Select(l => $"{l.Feature} {l.Port} {l.BindAddress} {l.IsLocalOnly}"), Is.EqualTo(new[]
        {
            "ipc 5001/tcp localhost True", "expvar 5000/tcp localhost True", "dogstatsd 8125/udp localhost True", "apm 8126/tcp localhost True",
            "apm-debug 5012/tcp 127.0.0.1 True",
        }), "the GUI is off on Linux and the OTLP receivers need their section; the trace agent's debug server is on, and the process checks run in the core agent");
        Assert.That(plan.Proxy, Is.Null);
        Assert.That(plan.IsKubernetes, Is.False);
    }

    [Test]
    public void PublishedTemplate_IsTheRealOne_EveryFeatureKeyCommentedOut()
    {
        Assert.That(Template, Does.Contain("# logs_enabled: false").And.Contain("# apm_config:").And.Contain("## @env DD_APM_ENABLED - boolean - optional - default: true"));
        Assert.That(Template.Split('\n').Where(l => l.Length > 0 && !l.TrimStart().StartsWith('#')), Is.EqualTo(new[] { "api_key:" }));
    }

    [TestCase("7.47.0", true)]
    [TestCase("7.46.0", false)]
    [TestCase("6.46.0", false)]
    [TestCase("6.53.0", true)]
    public void RemoteConfiguration_DefaultsByAgentVersion(string version, bool expected)
    {
        AgentPlan plan = Plan(Template, version: version);

        Assert.That(plan.Sections.Contains(Section.RemoteConfiguration), Is.EqualTo(expected));
        Assert.That(Hosts(plan, "metrics"), Is.EqualTo(new[] { $"{version.Replace('.', '-')}-app.agent.datadoghq.com 443/tcp" }));
    }

    [Test]
    public void RemoteConfiguration_TurnedOff_LeavesItsSection()
    {
        Assert.That(Plan("remote_configuration:\n  enabled: false\n", version: null).Sections, Does.Not.Contain(Section.RemoteConfiguration));
    }

    [Test]
    public void Site_SendsEveryFeatureToThatSitesHosts()
    {
        AgentPlan plan = Plan("site: datadoghq.eu\nlogs_enabled: true\n", version: null);

        Assert.That(plan.Site, Is.EqualTo(Site.EU1));
        Assert.That(Hosts(plan, "logs"), Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.eu 443/tcp" }));
        Assert.That(plan.Destinations.Where(d => d.Coverage == DestinationCoverage.PublishedRanges).Select(d => d.Site), Is.All.EqualTo(Site.EU1));
    }

    [TestCase("logs_enabled: true\n", "agent-http-intake.logs.datadoghq.com 443/tcp")]
    [TestCase("logs_enabled: true\nlogs_config:\n  force_use_http: true\n", "agent-http-intake.logs.datadoghq.com 443/tcp")]
    [TestCase("logs_enabled: true\nlogs_config:\n  force_use_tcp: true\n", "agent-intake.logs.datadoghq.com 10516/tcp")]
    [TestCase("logs_enabled: true\nlogs_config:\n  use_tcp: yes\n", "agent-intake.logs.datadoghq.com 10516/tcp")]
    [TestCase("site: datadoghq.eu\nlogs_enabled: true\nlogs_config:\n  force_use_tcp: true\n", "agent-intake.logs.datadoghq.eu 443/tcp")]
    [TestCase("logs_enabled: true\nlogs_config:\n  logs_dd_url: logs-relay.internal:10514\n", "logs-relay.internal 10514/tcp")]
    public void Logs_TransportAndHostFollowTheSettings(string yaml, string expected)
    {
        Assert.That(Hosts(Plan(yaml, version: null), "logs"), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Logs_OlderAgent_DefaultsToTcp()
    {
        Assert.That(Hosts(Plan("logs_enabled: true\n", version: "7.18.0"), "logs"), Is.EqualTo(new[] { "agent-intake.logs.datadoghq.com 10516/tcp" }));
    }

    [Test]
    public void Logs_CustomUrl_IsNotCoveredByTheRanges()
    {
        AgentPlan plan = Plan("logs_enabled: true\nlogs_config:\n  logs_dd_url: logs-relay.internal:10514\n", version: null);

        Assert.That(plan.Destinations.Single(d => DestinationMerge.Serves(d, "logs")).Coverage, Is.EqualTo(DestinationCoverage.NotPublished));
        Assert.That(plan.Sections, Does.Not.Contain(Section.Logs));
    }

    [Test]
    public void Apm_Disabled_RemovesItsHostAndListener()
    {
        AgentPlan plan = Plan("apm_config:\n  enabled: false\n", version: null);

        Assert.That(plan.Sections, Does.Not.Contain(Section.Apm));
        Assert.That(plan.Listeners.Select(l => l.Feature), Does.Not.Contain("apm").And.Not.Contain("apm-debug"));
    }

    [TestCase("7.58.0", false)]
    [TestCase("7.59.0", true)]
    public void AgentTelemetry_IsOnByDefaultFromAgent759(string version, bool on)
    {
        AgentPlan plan = Plan("apm_config:\n  enabled: false\n", version: version);

        Assert.That(Hosts(plan, "agent-telemetry"), on ? Is.EqualTo(new[] { "instrumentation-telemetry-intake.datadoghq.com 443/tcp" }) : Is.Empty);
        Assert.That(Hosts(Plan("apm_config:\n  enabled: false\nagent_telemetry:\n  enabled: true\n", version: version), "agent-telemetry"), Is.Not.Empty,
            "turned on by hand, any version sends it");
    }

    [TestCase("7.63.0", "", true)]
    [TestCase("7.64.0", "", false)]
    [TestCase(TestAgent.Version, "network_config:\n  enabled: true\n", true)]
    [TestCase(TestAgent.Version, "service_monitoring_config:\n  enabled: true\n", true)]
    [TestCase(TestAgent.Version, "process_config:\n  event_collection:\n    enabled: true\n", false)]
    [TestCase(TestAgent.Version, "process_config:\n  process_collection:\n    enabled: true\n", false)]
    [TestCase("7.77.0", "process_config:\n  run_in_core_agent:\n    enabled: false\n", true)]
    [TestCase("7.78.0", "process_config:\n  run_in_core_agent:\n    enabled: false\n", false)]
    public void ProcessAgentsListeners_FromAgent764_OnlyWhereTheProcessAgentRuns(string version, string config, bool runs)
    {
        AgentPlan plan = Plan(config, version: version);

        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("process-", StringComparison.Ordinal)).Select(l => l.Port.ToString()),
            runs ? Is.EqualTo(new[] { "6062/tcp", "6162/tcp" }) : Is.Empty);
        Assert.That(plan.Sections, Does.Contain(Section.Process), "the checks send to the process intake from either agent");
    }

    [Test]
    public void DebugServers_FollowTheirPorts_AndZeroTurnsTheTraceAgentsOff()
    {
        AgentPlan plan = Plan("apm_config:\n  debug:\n    port: 5112\nprocess_config:\n  expvar_port: 6162\n  cmd_port: 6262\n  run_in_core_agent:\n    enabled: false\n",
            version: "7.70.0");

        Assert.That(plan.Listeners.Where(l => l.Feature is "apm-debug" or "process-expvar" or "process-cmd").Select(l => $"{l.Feature} {l.Port} {l.IsLocalOnly}"),
            Is.EqualTo(new[] { "apm-debug 5112/tcp True", "process-expvar 6162/tcp True", "process-cmd 6262/tcp True" }));
        Assert.That(Plan("apm_config:\n  debug:\n    port: 0\n", version: null).Listeners.Select(l => l.Feature), Does.Not.Contain("apm-debug"));
    }

    [TestCase("compliance_config:\n  enabled: true\n")]
    [TestCase("runtime_security_config:\n  enabled: true\n")]
    public void SecurityAgent_ForComplianceOrWorkloadProtection_ListensOnLoopback(string yaml)
    {
        AgentPlan plan = Plan(yaml + "security_agent:\n  expvar_port: 5111\n", version: null);

        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("security-", StringComparison.Ordinal)).Select(l => $"{l.Feature} {l.Port} {l.BindAddress} {l.IsLocalOnly}"),
            Is.EqualTo(new[] { "security-cmd 5010/tcp localhost True", "security-expvar 5111/tcp 127.0.0.1 True" }));
        Assert.That(Plan("api_key: x\n", version: null).Listeners.Select(l => l.Feature), Has.None.StartsWith("security-"), "no security agent runs without them");
    }

    [Test]
    public void Apm_ReceiverPortAndNonLocalTraffic_SetTheListener()
    {
        AgentListener apm = Plan("apm_config:\n  receiver_port: 9126\n  apm_non_local_traffic: true\n", version: null).Listeners.Single(l => l.Feature == "apm");

        Assert.That((apm.Port, apm.BindAddress, apm.IsLocalOnly), Is.EqualTo((new PortRange(TransportProtocol.Tcp, 9126), "0.0.0.0", false)));
    }

    [Test]
    public void Processes_AllCollectionOff_RemovesTheProcessSection()
    {
        const string yaml = "process_config:\n  container_collection:\n    enabled: false\n  process_discovery:\n    enabled: false\n";

        Assert.That(Plan(yaml, version: null).Sections, Does.Not.Contain(Section.Process));
        Assert.That(Plan(yaml + "network_config:\n  enabled: true\n", version: null).Sections, Does.Contain(Section.Process),
            "network monitoring reports through the process intake");
        Assert.That(Plan("process_config:\n  enabled: disabled\n", version: null).Sections, Does.Not.Contain(Section.Process));
        Assert.That(Plan(yaml, version: null).Listeners.Select(l => l.Feature), Does.Not.Contain("process-expvar").And.Not.Contain("process-cmd"),
            "no process agent, no debug servers");
    }

    [Test]
    public void DogStatsD_NonLocalTraffic_BindsEveryInterface()
    {
        AgentListener statsd = Plan("dogstatsd_port: 8200\ndogstatsd_non_local_traffic: true\n", version: null).Listeners.Single(l => l.Feature == "dogstatsd");

        Assert.That((statsd.Port.ToString(), statsd.BindAddress, statsd.IsLocalOnly), Is.EqualTo(("8200/udp", "0.0.0.0", false)));
        Assert.That(Plan("use_dogstatsd: false\n", version: null).Listeners.Select(l => l.Feature), Does.Not.Contain("dogstatsd"));
    }

    [Test]
    public void IpcExpvarAndGuiPorts_FollowTheirKeys()
    {
        AgentPlan plan = Plan("cmd_port: 6001\nexpvar_port: 6000\nGUI_port: 6002\n", version: null);

        Assert.That(plan.Listeners.Take(3).Select(l => $"{l.Feature} {l.Port}"), Is.EqualTo(new[] { "ipc 6001/tcp", "expvar 6000/tcp", "gui 6002/tcp" }));
    }

    [Test]
    public void Otlp_EmptySections_OpenBothReceiversOnTheirDefaultBind()
    {
        AgentPlan plan = Plan("otlp_config:\n  receiver:\n    protocols:\n      grpc:\n      http:\n        endpoint: localhost:5318\n", version: null);

        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("otlp", StringComparison.Ordinal)).Select(l => $"{l.Feature} {l.Port} {l.BindAddress} {l.IsLocalOnly}"),
            Is.EqualTo(new[] { "otlp-grpc 4317/tcp 0.0.0.0 False", "otlp-http 5318/tcp localhost True" }));
    }

    [Test]
    public void OrchestratorExplorer_OnlyInKubernetes()
    {
        Assert.That(Plan("orchestrator_explorer:\n  enabled: true\n", version: null).Sections, Does.Not.Contain(Section.Orchestrator));
        Assert.That(AgentConfiguration.Parse(null, null, "datadog: {}\n").Sections, Does.Contain(Section.Orchestrator));
    }

    [Test]
    public void DdUrl_Custom_IsOutsideTheRanges_AndAppOfASite_IsItsVersionedHost()
    {
        Assert.That(Plan("dd_url: https://metrics-relay.internal:8443\n", version: null).Destinations.Single(d => DestinationMerge.Serves(d, "metrics")).Coverage,
            Is.EqualTo(DestinationCoverage.NotPublished));
        Assert.That(Hosts(Plan("dd_url: https://app.datadoghq.com\n", version: null), "metrics"), Is.EqualTo(new[] { $"{TestAgent.InHostNames}-app.agent.datadoghq.com 443/tcp" }));
    }

    [Test]
    public void AdditionalEndpoints_AnotherSite_IsThatSitesSection_OnTheVersionedHostTheForwarderSendsTo()
    {
        const string yaml = """
            additional_endpoints:
              "https://app.datadoghq.eu":
                - apikey2
              "https://metrics.example.net":
                - apikey3
            """;
        AgentDestination[] metrics = [.. Plan(yaml, version: null).Destinations.Where(d => DestinationMerge.Serves(d, "metrics"))];

        Assert.That(metrics.Select(d => $"{d.HostName} {d.Coverage} {d.Site?.Name}"), Is.EqualTo(new[]
        {
            $"{TestAgent.InHostNames}-app.agent.datadoghq.com PublishedRanges US1", $"{TestAgent.InHostNames}-app.agent.datadoghq.eu PublishedRanges EU1",
            "metrics.example.net NotPublished ",
        }));
    }

    [Test]
    public void AdditionalEndpoints_FromTheEnvironmentAsJson()
    {
        AgentPlan plan = Plan(null, """
            DD_APM_ADDITIONAL_ENDPOINTS={"https://trace.agent.datadoghq.eu": ["apikey4"]}
            DD_LOGS_ENABLED=true
            DD_LOGS_CONFIG_ADDITIONAL_ENDPOINTS=[{"api_key": "k", "Host": "agent-http-intake.logs.us3.datadoghq.com", "Port": 443}]
            """, version: null);

        Assert.That(plan.Destinations.Where(d => d.Site == Site.EU1).Select(d => $"{d.Feature} {d.Section}"), Is.EqualTo(new[] { "apm Apm" }));
        Assert.That(plan.Destinations.Where(d => d.Site == Site.US3).Select(d => $"{d.Feature} {d.Section}"), Is.EqualTo(new[] { "logs Logs" }));
    }

    [Test]
    public void DatabaseMonitoring_IsNoted_AndItsCustomUrlsPlaced()
    {
        AgentPlan plan = Plan("database_monitoring:\n  metrics:\n    dd_url: dbm.relay.internal:443\n", version: null);

        Assert.That(Hosts(plan, "database-monitoring"), Is.EqualTo(new[] { "dbm.relay.internal 443/tcp" }));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("dbm-metrics-intake.datadoghq.com"));
    }

    [Test]
    public void UnknownKeys_AreIgnored()
    {
        Assert.That(Plan("not_an_agent_key: 3\nlogs_config:\n  something_new: [1, 2]\n", version: null).Sections, Is.EqualTo(Plan(null, version: null).Sections));
    }

    [Test]
    public async Task Render_RendersExactlyTheSectionsAndListeners()
    {
        AgentRendered rendered = await AgentRendering.RenderAsync(Plan("logs_enabled: true\nlogs_config:\n  force_use_tcp: true\n", version: null),
            new AgentRenderRequest("nftables") { Document = IpRangesDocument.Embedded });

        Assert.That(rendered.Rules.Rules.Select(r => $"{r.Direction} {r.Port} {string.Join('+', r.Sources)}"), Is.EqualTo(new[]
        {
            "Egress 443/tcp agents+apm+process+remote-configuration", "Egress 8042/tcp remote-configuration", "Egress 10516/tcp logs",
            "Ingress 5000/tcp agent:expvar", "Ingress 5001/tcp agent:ipc", "Ingress 5012/tcp agent:apm-debug", "Ingress 8126/tcp agent:apm",
            "Ingress 8125/udp agent:dogstatsd",
        }));
        Assert.That(rendered.Rules.Rules.Where(r => r.Direction == Direction.Ingress),
            Is.All.Matches<FirewallRule>(r => r.ClosesPort && r.Prefixes.Equals(LocalListenerRules.Loopback)));
    }

    [Test]
    public void Render_AnotherSitesDocument_IsRefused()
    {
        IpRangesDocument us1 = IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v59.json"), Site.US1);

        Assert.That(async () => await AgentRendering.RenderAsync(Plan("site: datadoghq.eu\n", version: null), new AgentRenderRequest("nftables") { Document = us1 }),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("EU1"));
    }

    [Test]
    public async Task Render_NonLocalListener_NeedsItsNetworks_AndSaysItIsLeftOut()
    {
        AgentPlan plan = Plan("dogstatsd_non_local_traffic: true\n", version: null);

        AgentRendered closed = await AgentRendering.RenderAsync(plan, new AgentRenderRequest("nftables") { Document = IpRangesDocument.Embedded });
        AgentRendered opened = await AgentRendering.RenderAsync(plan, new AgentRenderRequest("nftables")
        {
            Document = IpRangesDocument.Embedded,
            Networks = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8") },
        });

        Assert.That(closed.Rules.Rules.SelectMany(r => r.Sources), Does.Not.Contain("agent:dogstatsd"));
        Assert.That(closed.Warnings.Where(w => w.Kind == AgentWarningKind.LeftOut).Select(w => w.Text), Has.One.StartsWith("dogstatsd listens on 0.0.0.0"),
            "the listener left out is said, never dropped silently");
        Assert.That(opened.Rules.Rules.Single(r => r.Sources.Contains("agent:dogstatsd")).Prefixes,
            Is.EqualTo(LocalListenerRules.Loopback.Union(PrefixSet.Parse("10.0.0.0/8"))));
        Assert.That(opened.Warnings.Select(w => w.Text), Has.None.StartsWith("dogstatsd listens"));
    }
}
