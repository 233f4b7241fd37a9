using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary><c>generate --helm-values</c> for the Kubernetes formats: the chart's enabled features, and the cluster's DNS, NTP, kubelet and API server.</summary>
[TestFixture]
[Category("RealTools")]
public class HelmValuesGenerateTests
{
    private static string Values => TestData.Path_("agent", "helm-values.yaml");

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("calico")]
    public async Task Generate_ChartValues_RenderTheClusterRulesTheFeaturesNeed(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", format, "--helm-values", Values, "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"),
            "--open", "kubelet=10.0.0.0/16", "--open", "kube-apiserver=10.96.0.1/32", "--open", "ntp=192.0.2.0/24", "--open", "dogstatsd=10.244.0.0/16");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("Sections: agents, process, orchestrator, agent:ntp, agent:kubelet,"), "the chart's defaults: no logs, no APM");
        Assert.That(result.Output, Does.Contain("10.0.0.0/16").And.Contain("192.0.2.0/24").And.Contain("10.244.0.0/16"));
        Assert.That(result.Output, Does.Not.Contain("10.96.0.1/32"), "the chart's Cluster Agent serves the node agents: no API server rule");
        Assert.That(result.Output, Does.Contain("10250").And.Contain("123").And.Contain("8125"));
        Assert.That(result.Output, Does.Not.Contain("In-cluster destinations"), "the networks given win over the format's own terms");
        Assert.That(result.Output, Does.Contain("kube-dns").Or.Contain("k8s-app"), "the format's own DNS policy");
        // The published schemas (data/validators); Calico's namespaced policy is checked against its global kind's schema, as the emitter tests do.
        PublishedSchemas.AssertValid(format == "kubernetes" ? "k8s" : "crd", format == "calico"
            ? result.Output.Replace("kind: NetworkPolicy", "kind: GlobalNetworkPolicy", StringComparison.Ordinal)
            : result.Output);
        Assert.That(
            result.Error,
            Does.Not.Contain("not rendered: kubelet").And.Not.Contain("not rendered: kube-apiserver")
                .And.Not.Contain("not rendered: ntp").And.Not.Contain("not rendered: dogstatsd"),
            "everything the features need was rendered");
    }

    [Test]
    public async Task Generate_ChartValuesWithoutClusterNetworks_LeavesTheClusterDestinationsToTheFormat()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "kubernetes", "--helm-values", Values);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Does.Contain("fwrules: warning: Kubernetes: kubelet, ntp are allowed by the format's own policies"));
        Assert.That(result.Error, Does.Not.Contain("not rendered: kubelet").And.Not.Contain("not rendered: ntp").And.Not.Contain("kube-apiserver"));
        Assert.That(result.Output, Does.Contain("kube-dns"), "DNS is rendered without --open");
        Assert.That(result.Error, Does.Contain("fwrules: warning: not rendered: dogstatsd listens on 0.0.0.0 (8125/udp)"));
    }

    [Test]
    public async Task Generate_ChartValuesForANonKubernetesFormat_StillAsksForTheClusterNetworks()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--helm-values", Values);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Does.Contain(
            "fwrules: warning: not rendered: kubelet (10250/tcp to the node's kubelet (status.hostIP)) has no published addresses: give them with --open kubelet=NETWORKS"));
        Assert.That(result.Error, Does.Contain("fwrules: warning: " +
            "Kubernetes: DNS goes to kube-dns by the formats' own selector").And.Contain("a rule for every address is never rendered"));
    }

    [Test]
    public async Task Generate_ChartValues_ApmTurnedOnByTheChart_AddsItsSectionAndReceiver()
    {
        string values = Path.Combine(Path.GetTempPath(), $"values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(values, File.ReadAllText(Values).Replace(
            "  apm:\n    # datadog.apm.enabled -- Enable this to enable APM and tracing, on port 8126\n" +
            "    ## ref: https://github.com/DataDog/docker-dd-agent#tracing-from-the-host\n    enabled: false",
            "  apm:\n    enabled: true", StringComparison.Ordinal));
        try
        {
            ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--helm-values", values, "--json", "-q");

            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            Assert.That(result.Output, Does.Contain("\"apm\"").And.Contain("\"feature\": \"apm\",\n      \"port\": 8126"));
        }
        finally
        {
            File.Delete(values);
        }
    }
}
