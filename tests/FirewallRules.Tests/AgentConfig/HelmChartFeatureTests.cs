using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The Helm chart's values read as its templates' helpers decide them (charts/datadog/templates/_helpers.tpl, chart 3.240.0):
/// the trace agent (should-enable-trace-agent, trace-agent-use-uds), the security agent's compliance and runtime security
/// (should-enable-compliance, should-enable-runtime-security), the Cluster Agent's external metrics provider, and the env dicts.
/// </summary>
[TestFixture]
public class HelmChartFeatureTests
{
    private static AgentPlan Helm(string values) => AgentConfiguration.Parse(null, null, values, TestAgent.Version);

    private static string ChartValues => File.ReadAllText(TestData.Path_("agent", "helm-values-3.240.0.yaml"));

    private static string[] Features(AgentPlan plan) => [.. plan.Destinations.Select(d => $"{d.Feature} {d.HostName} {d.Port}").Distinct()];

    private static AgentListener? Apm(AgentPlan plan) => plan.Listeners.SingleOrDefault(l => l.Feature == "apm");

    [Test]
    public void Helm_ChartsOwnValues_RunTheTraceAgentOverItsSocket_AndPlanItsHosts()
    {
        AgentPlan plan = Helm(ChartValues);

        Assert.That(Features(plan), Is.SupersetOf(new[]
        {
            "apm trace.agent.datadoghq.com 443/tcp", "profiling intake.profile.datadoghq.com 443/tcp", "debugger debugger-intake.datadoghq.com 443/tcp",
            "llmobs llmobs-intake.datadoghq.com 443/tcp",
        }), "datadog.apm.socketEnabled is true in the chart's values.yaml: the trace agent runs");
        Assert.That(plan.Destinations.Where(d => DestinationMerge.Serves(d, "apm-telemetry")).Select(d => d.HostName),
            Is.EqualTo(new[] { "instrumentation-telemetry-intake.datadoghq.com" }), "tracer telemetry, beside the agent's own");
        Assert.That(Apm(plan) is { IsLocalOnly: false, BindAddress: "0.0.0.0" }, Is.True, "the chart sets DD_APM_NON_LOCAL_TRAFFIC=true");
    }

    // The chart's OpenShift example (examples/datadog/agent_on_openshift_values.yaml): portEnabled: false beside the socket default.
    [TestCase("datadog:\n  apm:\n    portEnabled: false\n")]
    [TestCase("datadog:\n  apm:\n    portEnabled: false\n    socketEnabled: true\n")]
    [TestCase("datadog:\n  apm:\n    socketEnabled: false\n    useLocalService: true\n")]
    [TestCase("datadog:\n  apm:\n    socketEnabled: false\n    enabled: true\n")]
    public void Helm_PortOffOrSocketOff_TheTraceAgentStillRuns_WithNonLocalTraffic(string values)
    {
        AgentPlan plan = Helm(values);

        Assert.That(Features(plan), Has.Some.StartsWith("apm trace.agent.datadoghq.com"));
        Assert.That(Apm(plan)?.IsLocalOnly, Is.False);
    }

    [TestCase("datadog:\n  apm:\n    socketEnabled: false\n    portEnabled: false\n")]
    [TestCase("targetSystem: windows\ndatadog:\n  apm:\n    portEnabled: false\n")]
    [TestCase("providers:\n  gke:\n    autopilot: true\n")]
    [TestCase("providers:\n  gke:\n    gdc: true\n")]
    public void Helm_NoSocketNoPort_NoTraceAgent(string values)
    {
        AgentPlan plan = Helm(values);

        Assert.That(Features(plan), Has.None.StartsWith("apm ").And.None.StartsWith("profiling ").And.None.StartsWith("apm-telemetry "));
        Assert.That(Apm(plan), Is.Null);
    }

    [Test]
    public void Helm_AutopilotWithCsi_UsesTheSocket()
    {
        Assert.That(Features(Helm("providers:\n  gke:\n    autopilot: true\ndatadog:\n  csi:\n    enabled: true\n")), Has.Some.StartsWith("apm trace.agent."));
    }

    // A chart's own values.yaml from before 2.21.0 (data/agent/helm-values.yaml, Agent 7.29) has no socketEnabled: APM was off then.
    [Test]
    public void Helm_OldChartsOwnValues_WithoutSocketEnabled_NoTraceAgent()
    {
        AgentPlan plan = Helm(File.ReadAllText(TestData.Path_("agent", "helm-values.yaml")));

        Assert.That(Features(plan), Has.None.StartsWith("apm "));
    }

    [TestCase("datadog:\n  securityAgent:\n    compliance:\n      enabled: true\n    runtime:\n      enabled: true\n", true, true)]
    [TestCase("datadog:\n  securityAgent:\n    compliance:\n      enabled: true\n", true, false)]
    [TestCase("datadog:\n  securityAgent:\n    runtime:\n      enabled: true\n      directSendFromSystemProbe: true\n", false, true)]
    [TestCase("providers:\n  gke:\n    autopilot: true\ndatadog:\n  securityAgent:\n    compliance:\n      enabled: true\n", false, false)]
    [TestCase("providers:\n  gke:\n    autopilot: true\ndatadog:\n  securityAgent:\n    compliance:\n      enabled: true\n      runInSystemProbe: true\n", true, false)]
    [TestCase("targetSystem: windows\ndatadog:\n  securityAgent:\n    compliance:\n      enabled: true\n    runtime:\n      enabled: true\n", false, false)]
    [TestCase("datadog:\n  securityAgent:\n    compliance:\n      enabled: \"\"\n", false, false)]
    public void Helm_SecurityAgent_PlansTheIntakesOfWhatTheChartRuns(string values, bool compliance, bool runtime)
    {
        string[] features = Features(Helm(values));

        Assert.That(features.Contains("compliance cspm-intake.datadoghq.com 443/tcp"), Is.EqualTo(compliance));
        Assert.That(features.Contains("runtime-security runtime-security-http-intake.logs.datadoghq.com 443/tcp"), Is.EqualTo(runtime));
    }

    [Test]
    public void Helm_ChartsOwnValues_NoSecurityIntakes_NoExternalMetrics()
    {
        string[] features = Features(Helm(ChartValues));

        Assert.That(features, Has.None.StartsWith("compliance ").And.None.StartsWith("runtime-security ").And.None.StartsWith("external-metrics "));
    }

    // The chart's example agent_with_cluster_agent_values.yaml turns the metrics provider on, with useDatadogMetrics.
    [Test]
    public void Helm_MetricsProviderOn_PlansTheApiHostInItsSection_AndTheNoteSaysSo()
    {
        AgentPlan plan = Helm("datadog:\n  site: datadoghq.eu\nclusterAgent:\n  metricsProvider:\n    enabled: true\n    useDatadogMetrics: true\n");

        AgentDestination api = plan.Destinations.Single(d => d.Feature == "external-metrics");
        Assert.That((api.HostName, api.Port.ToString(), api.Section, api.Coverage),
            Is.EqualTo(("api.datadoghq.eu", "443/tcp", (Section?)Section.Api, DestinationCoverage.PublishedRanges)));
        Assert.That(plan.Sections, Does.Contain(Section.Api));
        Assert.That(plan.Notes.Texts(), Has.None.Contains("these rules leave it out"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("external metrics provider is on, and its queries are planned"));
    }

    [TestCase("clusterAgent:\n  metricsProvider:\n    enabled: true\n    endpoint: https://api.datadoghq.com:8443\n", "api.datadoghq.com 8443/tcp")]
    [TestCase("datadog:\n  site: us3.datadoghq.com\nclusterAgent:\n  metricsProvider:\n    enabled: true\n", "api.us3.datadoghq.com 443/tcp")]
    public void Helm_MetricsProviderEndpoint_IsWhereItsQueriesGo(string values, string expected)
    {
        Assert.That(Features(Helm(values)).Where(f => f.StartsWith("external-metrics ", StringComparison.Ordinal)), Is.EqualTo(new[] { "external-metrics " + expected }));
    }

    [TestCase("clusterAgent:\n  enabled: false\n  metricsProvider:\n    enabled: true\n")]
    [TestCase("existingClusterAgent:\n  join: true\nclusterAgent:\n  metricsProvider:\n    enabled: true\n")]
    public void Helm_MetricsProviderWithoutThisReleasesClusterAgent_PlansNoApiHost(string values)
    {
        AgentPlan plan = Helm(values);

        Assert.That(Features(plan), Has.None.StartsWith("external-metrics "));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("these rules leave it out"));
    }

    [Test]
    public void ClusterAgentConfig_ExternalMetricsProviderOn_PlansTheApiHost()
    {
        AgentPlan plan = AgentConfiguration.Parse("external_metrics_provider:\n  enabled: true\n", null, null, TestAgent.Version);

        Assert.That(Features(plan), Does.Contain("external-metrics api.datadoghq.com 443/tcp"));
    }

    [TestCase("remoteConfiguration:\n  enabled: false\n", false)]
    [TestCase("datadog:\n  remoteConfiguration:\n    enabled: false\n", false)]
    [TestCase("datadog:\n  remoteConfiguration:\n    enabled: false\n  privateActionRunner:\n    enabled: true\n", true)]
    [TestCase("", true)]
    public void Helm_RemoteConfiguration_TheTopLevelKeyAndTheDeprecatedOneBothDecide(string values, bool planned)
    {
        Assert.That(Features(Helm(values)).Any(f => f.StartsWith("remote-configuration config.datadoghq.com", StringComparison.Ordinal)), Is.EqualTo(planned));
    }

    // The chart sets DD_REMOTE_CONFIGURATION_ENABLED from its own default (true) for any image: an Agent from 7.39.1 to 7.46, whose
    // default is off, runs Remote Configuration under the chart; an older one has none.
    [TestCase("7.46.0", "", true)]
    [TestCase("7.41.1", "", true)]
    [TestCase("7.39.1", "", true)]
    [TestCase("7.38.2", "", false)]
    [TestCase("7.46.0", "remoteConfiguration:\n  enabled: false\n", false)]
    [TestCase("7.46.0", "datadog:\n  env:\n    - name: DD_REMOTE_CONFIGURATION_ENABLED\n      value: \"false\"\n", false)]
    public void Helm_RemoteConfiguration_TheChartsDefaultTurnsItOnBefore747_WhereTheAgentHasIt(string tag, string values, bool planned)
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, $"agents:\n  image:\n    tag: {tag}\n" + values);

        Assert.That(Features(plan).Any(f => f.StartsWith("remote-configuration config.datadoghq.com", StringComparison.Ordinal)), Is.EqualTo(planned));
    }

    [Test]
    public void Helm_EnvDicts_SetTheAgentsVariables_TheAgentContainersLast()
    {
        AgentPlan plan = Helm("datadog:\n  logs:\n    enabled: true\n  envDict:\n    DD_DD_URL: https://relay.internal:8443\n    DD_LOGS_ENABLED: \"false\"\n" +
            "agents:\n  containers:\n    agent:\n      envDict:\n        DD_DD_URL: https://relay2.internal:9443\n");

        Assert.That(AgentConfigurationTests.Hosts(plan, "metrics"), Is.EqualTo(new[] { "relay2.internal 9443/tcp" }));
        Assert.That(Features(plan), Has.Some.StartsWith("logs agent-http-intake.logs.datadoghq.com"), "the chart sets DD_LOGS_ENABLED after datadog.envDict");
    }
}
