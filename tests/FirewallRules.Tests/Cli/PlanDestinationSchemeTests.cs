using System.Text.Json;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>fwrules plan</c>: each destination's scheme in the JSON; a raw UDP or TCP row advised without the HTTP proxy; a host
/// no allow-list can hold refused in one line naming its key.
/// </summary>
[TestFixture]
public class PlanDestinationSchemeTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private const string Config = "api_key: x\nproxy:\n  https: http://proxy.internal:3128\nstatsd_forward_host: statsd.internal\nstatsd_forward_port: 8125\n" +
        "logs_enabled: true\nlogs_config:\n  logs_no_ssl: true\n";

    [Test]
    public async Task PlanJson_EachDestination_NamesItsScheme()
    {
        string config = _files.Write("datadog.yaml", Config);
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config, "--agent-version", TestAgent.Version, "--json", "-q");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        var schemes = json.RootElement.GetProperty("destinations").EnumerateArray()
            .ToLookup(d => $"{d.GetProperty("feature").GetString()} {d.GetProperty("port").GetInt32()}", d => d.GetProperty("scheme").GetString())
            .ToDictionary(g => g.Key, g => string.Join(",", g.Distinct()));
        Assert.That(schemes["metrics 443"], Is.EqualTo("https"));
        Assert.That(schemes["statsd-forward 8125"], Is.EqualTo("udp"));
        Assert.That(schemes["logs 443"], Is.EqualTo("http"), "logs_no_ssl: plain HTTP on the intake's port");
        Assert.That(schemes["proxy 3128"], Is.EqualTo("http"), "the proxy's own URL: http://proxy.internal:3128");
    }

    [Test]
    public async Task Plan_StatsdForwardBesideAProxy_IsNotAdvisedThroughTheProxy()
    {
        string config = _files.Write("datadog.yaml", Config);
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config, "--agent-version", TestAgent.Version);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        string row = result.Output.Split('\n').Single(l => l.StartsWith("statsd-forward", StringComparison.Ordinal));
        Assert.That(row, Does.Not.Contain("through the proxy").And.Contain("a raw UDP connection, which no HTTP proxy carries"));
    }

    [TestCase("additional_endpoints:\n  \"https://re_lay.example.com\": [k]\n", "additional_endpoints")]
    [TestCase("statsd_forward_host: re_lay.example.com\nstatsd_forward_port: 8125\n", "statsd_forward_host")]
    public async Task Plan_UnderscoreHost_OneLineNamingTheKey_Exit1(string yaml, string key)
    {
        string config = _files.Write("datadog.yaml", yaml);
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain($": {key}: "));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase("squid", false)]
    [TestCase("domains", false)]
    [TestCase("cilium", true)]
    public async Task GenerateByName_PlainHttpRemoteConfigurationUrl_WarnsWhyItIsNotAllowed(string format, bool byName)
    {
        string config = _files.Write("datadog.yaml", "api_key: x\nremote_configuration:\n  rc_dd_url: http://rc.internal:3846\n");
        string[] args = ["generate", "-f", format, .. byName ? new[] { "--by-name" } : [], "--agent-config", config, "--agent-version", TestAgent.Version];
        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Not.Contain("rc.internal").And.Not.Contain("config.datadoghq.com"));
        Assert.That(result.Error, Does.Contain("fwrules: warning: remote_configuration.rc_dd_url is not an https:// URL"));
    }

    [Test]
    public async Task Plan_AgentVersionBesideADifferentImageTag_WinsAndWarnsNamingBoth()
    {
        string values = _files.Write("values.yaml", $"datadog:\n  apiKey: x\nagents:\n  image:\n    tag: \"{TestAgent.Version}\"\n");
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--helm-values", values, "--agent-version", "7.70.0");
        ProcessResult same = await FwrulesInProcess.RunAsync(null, "plan", "--helm-values", values, "--agent-version", TestAgent.Version);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith("Agent 7.70.0 sending to"));
        Assert.That(result.Error.Split('\n').Where(l => l.StartsWith("fwrules: warning:", StringComparison.Ordinal)), Has.One.EqualTo(
            $"fwrules: warning: --agent-version 7.70.0 wins over the Helm values' image tag {TestAgent.Version} ({values}:5): the plan follows Agent 7.70.0"));
        Assert.That(same.Error, Does.Not.Contain("wins over"));
    }
}
