namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>--open FEATURE=NETWORKS</c> with an agent's configuration: a feature that takes no network in that configuration (a typo,
/// a listener it does not run) is warned about, naming those that do, instead of opening nothing without a word.
/// </summary>
[TestFixture]
public class AgentOpenNetworksCommandTests
{
    private const string Config = "api_key: 0123456789abcdef0123456789abcdef\ndogstatsd_non_local_traffic: true\n";

    [TestCase("nftables", "--agent-config", "bogus")]
    [TestCase("nftables", "--agent-config", "dogstatd")]
    [TestCase("kubernetes", "--helm-values", "bogus")]
    [TestCase("cilium", "--helm-values", "cluster-agent")]
    public async Task Generate_OpenNamingNothingOfTheConfiguration_WarnsNamingTheFeaturesThatTakeNetworks(string format, string option, string feature)
    {
        using var files = new TempFiles();
        string input = option == "--helm-values"
            ? files.Write("values.yaml", "datadog:\n  apiKey: 0123456789abcdef0123456789abcdef\n  site: datadoghq.com\n")
            : files.Write("datadog.yaml", Config);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, option, input, "--open", $"{feature}=10.0.0.0/8");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Not.Contain("10.0.0.0/8"), "a network given for nothing was opened");
        Assert.That(result.Error, Does.Contain($"fwrules: warning: --open {feature}: the agent's configuration has no listener or destination of that name, " +
                "so nothing is opened for it (those that take networks: ")
            .And.Contain("dogstatsd"));
    }

    [Test]
    public async Task Generate_OpenNamingAListenerOfTheConfiguration_OpensItToThoseNetworks()
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", Config);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", config, "--open", "DogStatsD=10.0.0.0/8");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("10.0.0.0/8"));
    }

    // dd_url carries metrics and flares: the merged row metrics+flare names both features in its rule's sources, which take no '+'.
    [TestCase("nftables", "--agent-config", "dd_url: https://10.0.0.5:8443\n")]
    [TestCase("kubernetes", "--helm-values", "datadog:\n  dd_url: https://10.0.0.5:8443\n")]
    public async Task Generate_MetricsRelayByAddress_IsARuleByThatAddress(string format, string option, string text)
    {
        using var files = new TempFiles();
        string input = files.Write(option == "--helm-values" ? "values.yaml" : "datadog.yaml", text);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, option, input);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("10.0.0.5").And.Contain("8443"));
    }
}
