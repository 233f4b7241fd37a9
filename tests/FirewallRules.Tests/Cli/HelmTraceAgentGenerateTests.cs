namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>generate -f kubernetes --helm-values</c> with the chart's trace agent, which it runs over the socket by default and
/// always with DD_APM_NON_LOCAL_TRAFFIC=true (_container-trace-agent.yaml): 8126/tcp is open to the pods, not the pod alone.
/// </summary>
[TestFixture]
public class HelmTraceAgentGenerateTests
{
    // The apm section of the chart's example agent_on_aks_values.yaml.
    private const string AksApm = "datadog:\n  apm:\n    socketEnabled: true\n    socketPath: /var/run/datadog/apm.socket\n    hostSocketPath: /var/run/datadog/\n";

    [Test]
    public async Task GenerateKubernetes_ChartSocketApm_TheTraceReceiverIsNotCalledPodLocal()
    {
        string file = Path.Combine(Path.GetTempPath(), $"values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, AksApm);
        try
        {
            ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "kubernetes", "--helm-values", file);

            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            string all = result.Output + result.Error;
            Assert.That(all.Split('\n').Where(l => l.Contains("inside its pod only", StringComparison.Ordinal)), Has.None.Contains("8126"));
            Assert.That(result.Error, Does.Contain("apm listens on 0.0.0.0 (8126/tcp)"), "a receiver open to the pods, left to --open apm=NETWORKS");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
