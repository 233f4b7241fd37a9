using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// A stored Operator example and the Helm values that deploy the same Agent (written from the chart's values.yaml, chart 3.240.0,
/// data/agent/helm-values-3.240.0.yaml): the two plans hold the same destinations, each covered the same way, and the same listeners.
/// </summary>
[TestFixture]
public class OperatorHelmEquivalenceTests
{
    private static readonly (string Example, string Values)[] Pairs =
    [
        ("datadog-agent-minimum.yaml", "datadog:\n  clusterName: my-example-cluster\n  apiKey: x\n"),
        ("datadog-agent-with-logs-apm.yaml", "datadog:\n  clusterName: my-example-cluster\n  logs:\n    enabled: true\n  apm:\n    socketEnabled: true\n"),
        ("datadog-agent-with-otlp.yaml", "datadog:\n  otlp:\n    receiver:\n      protocols:\n        grpc:\n          enabled: true\n        http:\n          enabled: true\n"),
        ("datadog-agent-with-clusteragent.yaml", "clusterAgent:\n  replicas: 2\n  metricsProvider:\n    enabled: true\n"),
        ("datadog-agent-all.yaml", """
            datadog:
              logs:
                enabled: true
              processAgent:
                processCollection: true
              securityAgent:
                compliance:
                  enabled: true
                runtime:
                  enabled: true
              networkMonitoring:
                enabled: true
              serviceMonitoring:
                enabled: true
              otlp:
                receiver:
                  protocols:
                    grpc:
                      enabled: true
              sbom:
                containerImage:
                  enabled: true
              prometheusScrape:
                enabled: true
            clusterAgent:
              metricsProvider:
                enabled: true
            """),
        ("datadog-agent-with-otel-agent.yaml", """
            datadog:
              otelCollector:
                enabled: true
                config: |
                  receivers:
                    otlp:
                      protocols:
                        grpc:
                          endpoint: 0.0.0.0:4317
                        http:
                          endpoint: 0.0.0.0:4318
                  exporters:
                    datadog:
                      api:
                        key: ${env:DD_API_KEY}
                  service:
                    pipelines:
                      traces:
                        receivers: [otlp]
                        exporters: [datadog]
                      metrics:
                        receivers: [otlp]
                        exporters: [datadog]
                      logs:
                        receivers: [otlp]
                        exporters: [datadog]
            """),
    ];

    private static IEnumerable<TestCaseData> Cases() => Pairs.Select(p => new TestCaseData(p.Example, p.Values).SetArgDisplayNames(p.Example));

    [TestCaseSource(nameof(Cases))]
    public async Task OperatorExample_AndItsHelmValues_PlanTheSame(string example, string values)
    {
        AgentPlan operatorPlan = await AgentConfiguration.ReadAsync(new() { DatadogAgentFile = TestData.Path_("agent", "operator", example) });
        AgentPlan helmPlan = AgentConfiguration.Parse(null, null, values);

        Assert.That(Destinations(operatorPlan), Is.EquivalentTo(Destinations(helmPlan)));
        Assert.That(Listeners(operatorPlan), Is.EquivalentTo(Listeners(helmPlan)));
        Assert.That(Destinations(operatorPlan), Has.Some.Contains("the node's kubelet"), "the Kubernetes rows, as for the Helm values");
    }

    private static string[] Destinations(AgentPlan plan) => [.. plan.Destinations.Select(d => $"{d.HostName} {d.Port} {d.Coverage} {d.Section}")];

    private static string[] Listeners(AgentPlan plan) => [.. plan.Listeners.Select(l => $"{l.Port} {l.BindAddress}")];
}
