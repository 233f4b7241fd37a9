using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The DDOT Collector beside the Agent: its exporters' destinations, on the signals of the pipelines that name them, and its receivers'
/// bind addresses and ports, from the chart's <c>datadog.otelCollector.config</c> or the default the chart writes.
/// </summary>
[TestFixture]
public class CollectorPlanTests
{
    private static AgentPlan Helm(string collector, string site = "datadoghq.eu") =>
        AgentConfiguration.Parse(null, null, $"datadog:\n  site: {site}\n  otelCollector:\n    enabled: true\n{collector}");

    private static string[] Ddot(AgentPlan plan) =>
        [.. plan.Destinations.Where(d => d.Feature == "ddot").Select(d => $"{d.HostName} {d.Port} {d.Section?.ToString() ?? "-"}")];

    [Test]
    public void LogsPipeline_CoreLogsOff_PlansTheLogsIntake_AndTheReceiverWhereItBinds()
    {
        AgentPlan plan = Helm("""
                config: |
                  receivers:
                    otlp:
                      protocols:
                        grpc:
                          endpoint: localhost:5317
                  exporters:
                    datadog: {}
                  service:
                    pipelines:
                      logs:
                        receivers: [otlp]
                        exporters: [datadog]
            """);

        Assert.That(Ddot(plan), Is.EqualTo(new[] { "http-intake.logs.datadoghq.eu 443/tcp Logs" }), "the exporter's logs, to the site's logs intake");
        Assert.That(plan.Sections, Does.Contain(Section.Logs), "though the core agent's logs are off");
        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("ddot", StringComparison.Ordinal)).Select(l => $"{l.Feature} {l.Port} {l.BindAddress}"),
            Is.EqualTo(new[] { "ddot-otlp-grpc 5317/tcp localhost" }));
        Assert.That(plan.Notes.Select(n => n.Text), Has.None.Contains("4317/tcp and 4318/tcp"), "the container's ports are not the receiver's");
    }

    [TestCase("datadog", "metrics: {endpoint: \"http://169.254.169.254\"}")]
    [TestCase("datadog", "traces: {endpoint: \"https://[fd00:ec2::254]\"}")]
    [TestCase("datadog", "logs: {endpoint: \"http://100.100.100.200\"}")]
    [TestCase("otlphttp", "endpoint: \"http://metadata.google.internal\"")]
    [TestCase("otlp", "endpoint: \"[fd00:c1::a9fe:a9fe]:4317\"")]
    public void ExporterToAMetadataService_IsRefusedInOneLine(string exporter, string settings)
    {
        string pipeline = exporter == "otlp" || exporter == "otlphttp" ? "traces" : settings[..settings.IndexOf(':', StringComparison.Ordinal)];
        var refused = Assert.Throws<AgentConfigurationException>(() => Helm($$"""
                config: |
                  receivers:
                    otlp:
                      protocols:
                        grpc:
                          endpoint: localhost:5317
                  exporters:
                    {{exporter}}:
                      {{settings}}
                  service:
                    pipelines:
                      {{pipeline}}:
                        receivers: [otlp]
                        exporters: [{{exporter}}]
            """));

        Assert.That(refused!.Message, Does.Contain("instance metadata service, which no allow-list may open").And.Not.Contain("\n"));
    }

    [Test]
    public void ExporterToLoopback_IsLeftOutWithANote_NeverPlanned()
    {
        AgentPlan plan = Helm("""
                config: |
                  receivers:
                    otlp:
                      protocols:
                        grpc:
                          endpoint: localhost:5317
                  exporters:
                    otlp:
                      endpoint: 127.0.0.1:4317
                  service:
                    pipelines:
                      traces:
                        receivers: [otlp]
                        exporters: [otlp]
            """);

        Assert.That(Ddot(plan), Is.Empty);
        Assert.That(plan.Notes.Select(n => n.Text), Has.One.Contains("sends to 127.0.0.1, special-purpose").And.Contains("not planned"));
    }

    [Test]
    public void ChartDefault_SendsEachSignalToTheSite_AndListensOnTheContainersPorts()
    {
        AgentPlan plan = Helm(string.Empty, "us5.datadoghq.com");

        Assert.That(Ddot(plan), Is.EquivalentTo(new[] { "api.us5.datadoghq.com 443/tcp Api", "http-intake.logs.us5.datadoghq.com 443/tcp Logs" }));
        Assert.That(plan.Destinations.Select(d => $"{d.HostName} {d.Port}"), Has.One.EqualTo("trace.agent.us5.datadoghq.com 443/tcp"),
            "the traces go through the trace agent, whose row the chart's APM already plans");
        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("ddot", StringComparison.Ordinal)).Select(l => $"{l.Port} {l.BindAddress}"),
            Is.EquivalentTo(new[] { "4317/tcp 0.0.0.0", "4318/tcp 0.0.0.0" }));
    }

    [Test]
    public void ExporterEndpoints_AndOtlpExporters_ArePlannedWhereTheySend()
    {
        AgentPlan plan = Helm("""
                config: |
                  receivers:
                    otlp:
                      protocols:
                        http:
                  exporters:
                    datadog:
                      api:
                        site: datadoghq.com
                      metrics:
                        endpoint: https://metrics-relay.corp.example:9443
                    otlphttp/gateway:
                      endpoint: http://otel-gateway.observability:4318
                    otlp/backup:
                      endpoint: backup.corp.example:4317
                    datadog/unused: {}
                  service:
                    pipelines:
                      metrics:
                        receivers: [otlp]
                        exporters: [datadog, otlp/backup]
                      traces:
                        receivers: [otlp]
                        exporters: [otlphttp/gateway]
            """);

        Assert.That(Ddot(plan), Is.EquivalentTo(new[]
        {
            "metrics-relay.corp.example 9443/tcp -", "otel-gateway.observability 4318/tcp -", "backup.corp.example 4317/tcp -",
        }), "each exporter a pipeline names, on its signals; one no pipeline names does not start");
        Assert.That(plan.Listeners.Single(l => l.Feature == "ddot-otlp-http").BindAddress, Is.EqualTo("localhost"), "the receiver's default endpoint");
    }

    [Test]
    public void ChartDefault_ListensOnThePortsNamedInOtelCollectorPorts()
    {
        // The chart's default configuration takes its receivers' ports by name from datadog.otelCollector.ports (get-port-number-from-name).
        AgentPlan plan = Helm("    ports:\n      - containerPort: \"5317\"\n        name: otel-grpc\n");

        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("ddot", StringComparison.Ordinal)).Select(l => $"{l.Port} {l.BindAddress}"),
            Is.EquivalentTo(new[] { "5317/tcp 0.0.0.0", "4318/tcp 0.0.0.0" }));
        Assert.That(plan.Notes.Select(n => n.Text), Has.None.Contains("DDOT Collector in the Agent's pods: its receivers"), "planned, not noted");
    }

    [Test]
    public void ConfigFromTheUsersConfigMap_IsSaidNotPlanned()
    {
        AgentPlan plan = Helm("    configMap:\n      name: my-otel-config\n");

        Assert.That(Ddot(plan), Is.Empty);
        Assert.That(plan.Notes.Select(n => n.Text), Has.One.Contains("datadog.otelCollector.configMap.name (my-otel-config)").And.Contains("cannot read"));
    }

    // The chart's collector with an otlp receiver of these protocols (each at 12 spaces), its traces sent to Datadog.
    private static string Receivers(string protocols) => "    config: |\n      receivers:\n        otlp:\n          protocols:\n" + protocols +
        "      exporters:\n        datadog: {}\n      service:\n        pipelines:\n          traces:\n            receivers: [otlp]\n            exporters: [datadog]\n";

    [Test]
    public void ReceiverEndpoints_WithNoHost_OrAVariableForThePodsAddress_ListenBeyondLoopback()
    {
        // ":4317" listens on every address (Go's net.Listen); ${env:MY_POD_IP} is the pod's address (the downward API's status.podIP).
        AgentPlan plan = Helm(Receivers("            grpc:\n              endpoint: \":4317\"\n            http:\n              endpoint: ${env:MY_POD_IP}:4318\n"));

        Assert.That(plan.Listeners.Where(l => l.Feature.StartsWith("ddot", StringComparison.Ordinal)).Select(l => $"{l.Feature} {l.Port} {l.BindAddress} {l.IsLocalOnly}"),
            Is.EquivalentTo(new[] { "ddot-otlp-grpc 4317/tcp 0.0.0.0 False", "ddot-otlp-http 4318/tcp ${env:MY_POD_IP} False" }));
    }

    [Test]
    public void ReceiverEndpoint_VariableTheEnvironmentSets_IsItsValue()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, "MY_POD_IP=10.4.0.7\n",
            "datadog:\n  otelCollector:\n    enabled: true\n" + Receivers("            http:\n              endpoint: ${env:MY_POD_IP}:4318\n"));

        Assert.That(plan.Listeners.Single(l => l.Feature == "ddot-otlp-http").BindAddress, Is.EqualTo("10.4.0.7"));
    }

    // An Operator stream: the DatadogAgent (in namespace, or none), its collector's configuration in the ConfigMap otel-config.
    private static string OperatorAgent(string? ns) => "apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\nmetadata:\n  name: datadog\n" +
        (ns is null ? string.Empty : $"  namespace: {ns}\n") + "spec:\n  global:\n    site: datadoghq.eu\n  features:\n    otelCollector:\n      enabled: true\n" +
        "      conf:\n        configMap:\n          name: otel-config\n";

    private static string OtelConfigMap(string? ns, string exporter) => "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: otel-config\n" +
        (ns is null ? string.Empty : $"  namespace: {ns}\n") + "data:\n  otel-config.yaml: |\n    receivers:\n      otlp:\n        protocols:\n          grpc:\n" +
        $"            endpoint: localhost:5317\n    exporters:\n      otlp:\n        endpoint: {exporter}:4317\n    service:\n      pipelines:\n        traces:\n" +
        "          receivers: [otlp]\n          exporters: [otlp]\n";

    private static AgentPlan Operator(params string[] documents) => AgentConfiguration.Parse(null, datadogAgent: string.Join("---\n", documents));

    [TestCase(true)]
    [TestCase(false)]
    public void OperatorConfigMap_OfTheSameNameInAnotherNamespace_IsNotTaken_TheOneInTheAgentsNamespaceIs(bool ownFirst)
    {
        string own = OtelConfigMap("datadog", "gateway.corp.example");
        string other = OtelConfigMap("tenant-a", "attacker.example");
        AgentPlan plan = Operator(OperatorAgent("datadog"), ownFirst ? own : other, ownFirst ? other : own);

        Assert.That(Ddot(plan), Is.EqualTo(new[] { "gateway.corp.example 4317/tcp -" }));
    }

    [Test]
    public void OperatorConfigMap_OnlyInAnotherNamespace_IsSaidNotRead()
    {
        AgentPlan plan = Operator(OperatorAgent("datadog"), OtelConfigMap("tenant-a", "attacker.example"));

        Assert.That(Ddot(plan), Is.Empty);
        Assert.That(plan.Notes.Select(n => n.Text), Has.One.Contains("otel-config").And.Contains("cannot read"));
    }

    [TestCase(null, null)]
    [TestCase(null, "system")]
    [TestCase("datadog", null)]
    public void OperatorConfigMap_NamingNoNamespace_IsWhereTheStreamIsApplied_AsTheOperatorsOwnExampleIs(string? agent, string? configMap)
    {
        Assert.That(Ddot(Operator(OperatorAgent(agent), OtelConfigMap(configMap, "gateway.corp.example"))), Is.EqualTo(new[] { "gateway.corp.example 4317/tcp -" }));
    }

    [Test]
    public void OperatorConfigMap_InSeveralNamespaces_ForADatadogAgentNamingNone_IsSaidNotRead()
    {
        AgentPlan plan = Operator(OperatorAgent(null), OtelConfigMap("tenant-a", "attacker.example"), OtelConfigMap("datadog", "gateway.corp.example"));

        Assert.That(Ddot(plan), Is.Empty);
        Assert.That(plan.Notes.Select(n => n.Text), Has.One.Contains("several namespaces (tenant-a, datadog)").And.Contains("cannot read"));
    }
}
