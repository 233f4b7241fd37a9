namespace FirewallRules.Tests.Cli;

/// <summary><c>--datadog-agent</c>: a Datadog Operator DatadogAgent manifest, as an operator saves it with <c>kubectl get datadogagent -o yaml</c>.</summary>
[TestFixture]
public class DatadogAgentCommandTests
{
    private const string Manifest = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: datadoghq.com/v2alpha1
          kind: DatadogAgent
          metadata:
            name: datadog
          spec:
            global:
              site: datadoghq.eu
              credentials:
                apiKey: 0123456789abcdef0123456789abcdef
            features:
              logCollection:
                enabled: true
              cws:
                enabled: true
        """;

    private TempFiles _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFiles();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [Test]
    public async Task Plan_DatadogAgent_PlansItsFeaturesOnItsSite_AndNeverShowsItsKey()
    {
        string file = _folder.Write("datadog-agent.yaml", Manifest);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--datadog-agent", file);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("agent-http-intake.logs.datadoghq.eu").And.Contain("runtime-security-http-intake.logs.datadoghq.eu")
            .And.Contain("the node's kubelet (status.hostIP)"));
        Assert.That(result.Output + result.Error, Does.Not.Contain("0123456789abcdef"));
    }

    [Test]
    public async Task Generate_HelmValuesAndDatadogAgentTogether_IsAUsageError()
    {
        string file = _folder.Write("datadog-agent.yaml", Manifest);
        string values = _folder.Write("values.yaml", "datadog:\n  site: datadoghq.eu\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--helm-values", values, "--datadog-agent", file);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--helm-values and --datadog-agent are two deployments of the Agent"));
    }

    [Test]
    public async Task Plan_DatadogAgentGivenAsHelmValues_IsOneLineNamingTheOption()
    {
        string file = _folder.Write("datadog-agent.yaml", Manifest);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--helm-values", file);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("is a Kubernetes manifest of a DatadogAgent").And.Contain("give it with --datadog-agent FILE"));
    }

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("calico")]
    public async Task Generate_DatadogAgentInANamespace_PoliciesGoThere_UnlessNamespaceIsGiven_EvenAsTheDefault(string format)
    {
        // On US1, whose ranges fwrules ships: no document to fetch.
        string file = _folder.Write("datadog-agent.yaml", Manifest.Replace("    name: datadog\n", "    name: datadog\n    namespace: monitoring\n", StringComparison.Ordinal)
            .Replace("      site: datadoghq.eu\n", string.Empty, StringComparison.Ordinal));

        ProcessResult own = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--datadog-agent", file, "--no-comments");
        ProcessResult given = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--datadog-agent", file, "--no-comments", "--namespace", "datadog");

        Assert.That(own.ExitCode, Is.Zero, own.Error);
        Assert.That(own.Output, Does.Contain("  namespace: monitoring\n").And.Not.Contain("namespace: datadog\n"));
        Assert.That(given.Output, Does.Contain("  namespace: datadog\n").And.Not.Contain("namespace: monitoring\n"));
    }
}
