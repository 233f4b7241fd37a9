using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>generate -f cilium --by-name --helm-values</c> with the chart's external metrics provider (<c>clusterAgent.metricsProvider</c>):
/// its queries to <c>api.&lt;site&gt;</c> come from the Cluster Agent, so they are allowed to its pods, not the node agents', by policies
/// that leave the Cluster Agent's other traffic as it is, with DNS through Cilium's proxy for its pods.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class CiliumByNameClusterAgentTests
{
    private const string Values = "datadog:\n  site: us5.datadoghq.com\nclusterAgent:\n  enabled: true\n  metricsProvider:\n    enabled: true\n";

    private static string Policy(string output, string name) =>
        output.Split("\n---\n").Single(document => document.Contains($"  name: {name}\n", StringComparison.Ordinal));

    [Test]
    public async Task CiliumByName_ExternalMetricsProvider_IsAllowedToTheClusterAgentsPods_NotTheNodeAgents()
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "cilium", "--by-name", "--helm-values", files.Write("values.yaml", Values), "--agent-version", TestAgent.Version);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        PublishedSchemas.AssertValid("crd", result.Output);
        Assert.That(Policy(result.Output, "datadog-egress-tcp-443"), Does.Not.Contain("api.us5.datadoghq.com").And.Contain("component: agent\n"));
        string own = Policy(result.Output, "datadog-cluster-agent-egress-tcp-443");
        Assert.That(own, Does.Contain("component: cluster-agent\n").And.Contain("- matchName: api.us5.datadoghq.com\n"));
        Assert.That(own, Does.Contain("enableDefaultDeny:\n    egress: false\n"), "the plan does not hold all the Cluster Agent reaches");
        Assert.That(Policy(result.Output, "datadog-cluster-agent-egress-dns"), Does.Contain("component: cluster-agent\n").And.Contain("matchPattern: \"*\""));
    }

    [Test]
    public async Task CiliumByName_ExternalMetricsWithAPodSelector_StaysOnTheSelectedPods()
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--helm-values", files.Write("values.yaml", Values),
            "--agent-version", TestAgent.Version, "--pod-selector", "app=datadog");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(Policy(result.Output, "datadog-egress-tcp-443"), Does.Contain("- matchName: api.us5.datadoghq.com\n"));
        Assert.That(result.Output, Does.Not.Contain("datadog-cluster-agent-egress"));
    }
}
