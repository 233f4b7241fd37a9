using System.Text.Json;

namespace FirewallRules.Tests.Cli;

/// <summary><c>fwrules plan</c> and the agent-configuration options of <c>generate</c>, as a user runs them.</summary>
[TestFixture]
public class PlanCommandTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private string Write(string name, string text) => _files.Write(name, text);

    private static string Template => TestData.Path_("agent", "datadog.yaml.example");

    [Test]
    public async Task Plan_Template_PrintsEachHostFeatureSectionAndListener()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", Template);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain($"metrics                        {TestAgent.InHostNames}-app.agent.datadoghq.com                  443/tcp   agents"));
        Assert.That(result.Output, Does.Contain(
            $"{TestAgent.InHostNames}-flare.agent.datadoghq.com                443/tcp   not covered by the published ranges: " +
            "allow it by name, through the proxy, or by PrivateLink"));
        Assert.That(result.Output, Does.Contain("dogstatsd  8125/udp  localhost  this host only"));
        Assert.That(result.Output, Does.Contain("apm-debug  5012/tcp  127.0.0.1  this host only").And.Not.Contain("process-expvar"));
        Assert.That(result.Error, Does.StartWith($"plan: agent {TestAgent.Version} on US1 (datadoghq.com)").And.Contain("sections agents, apm, process, remote-configuration"));
    }

    [Test]
    public async Task Plan_WithInput_NamesThePrefixes()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", Template, "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("PREFIXES").And.Contain("3.233.144.0/20 2600:1f18:24e6:b900::/56"));
    }

    [Test]
    public async Task Plan_Json_IsTheSamePlanForTooling()
    {
        string env = Write("environ", "DD_LOGS_ENABLED=true\0DD_SITE=datadoghq.eu\0DD_API_KEY=0123456789abcdef0123456789abcdef\0");
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-env", env, "--json", "-q");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        Assert.That(json.RootElement.GetProperty("site").GetString(), Is.EqualTo("EU1"));
        Assert.That(
            json.RootElement.GetProperty("sections").EnumerateArray().Select(s => s.GetString()),
            Is.EqualTo(new[] { "agents", "apm", "logs", "process", "remote-configuration" }));
        JsonElement logs = json.RootElement.GetProperty("destinations").EnumerateArray().Single(d => d.GetProperty("feature").GetString() == "logs");
        Assert.That((logs.GetProperty("host").GetString(), logs.GetProperty("port").GetInt32(), logs.GetProperty("coverage").GetString()),
            Is.EqualTo(("agent-http-intake.logs.datadoghq.eu", 443, "published-ranges")));
        Assert.That(result.Output + result.Error, Does.Not.Contain("0123456789abcdef"));
    }

    [Test]
    public async Task Plan_Proxy_SaysSo_WithoutTheCredentials()
    {
        string config = Write("datadog.yaml", "api_key: 0123456789abcdef0123456789abcdef\nproxy:\n  https: http://agent:pa55word@proxy.corp.example:3128\n");
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(
            result.Output,
            Does.Contain("the proxy proxy.corp.example:3128").And.Contain("note: The agent sends its HTTPS traffic through the proxy proxy.corp.example:3128"));
        Assert.That(result.Output + result.Error, Does.Not.Contain("pa55word").And.Not.Contain("0123456789abcdef"));
    }

    [TestCase("logs_enabled: maybe\n", 1, "datadog.yaml:1: logs_enabled: must be true or false, not 'maybe'")]
    [TestCase("site: datadoghq.moon\n", 1, "datadog.yaml:1: site: unknown site 'datadoghq.moon'")]
    [TestCase("apm_config: [\n", 1, "datadog.yaml:")]
    public async Task Plan_BadConfiguration_OneLineNothingOnStdout(string yaml, int code, string message)
    {
        string config = Write("datadog.yaml", yaml);
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config);

        Assert.That(result.ExitCode, Is.EqualTo(code));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith($"fwrules: {config.Replace("datadog.yaml", string.Empty, StringComparison.Ordinal)}").And.Contain(message));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Plan_WithoutAConfiguration_IsAUsageError()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith("fwrules: plan reads an agent's configuration"));
    }

    [Test]
    public async Task Plan_MissingFile_NamesIt()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", Path.Combine(_files.DirectoryPath, "absent.yaml"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith($"fwrules: cannot read {Path.Combine(_files.DirectoryPath, "absent.yaml")}"));
    }

    [Test]
    public async Task Generate_AgentConfigWithPorts_IsAUsageError()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", Template, "--port", "443/tcp");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--port does not apply with an agent's configuration"));
    }

    [Test]
    public async Task Generate_AgentConfigForAnotherSite_RefusesTheUs1Snapshot()
    {
        string config = Write("datadog.yaml", "site: datadoghq.eu\n");
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", config);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("the agent sends to EU1 but the ranges are US1's"));
    }

    [Test]
    public async Task Generate_ExplicitSection_WinsWithAWarning()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", Template, "-s", "agents", "-s", "logs");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("for agents, logs (ip-ranges v59)").And.Not.Contain("remote-configuration"));
        Assert.That(result.Error, Does.Contain("fwrules: warning: --section leaves out apm").And.Contain("fwrules: warning: --section logs: the configuration does not use it"));
    }

    [Test]
    public async Task Plan_InputOfAnotherSite_IsRefusedNamingBoth()
    {
        string config = Write("datadog.yaml", "site: datadoghq.eu\n");
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config, "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("the agent sends to EU1 (datadoghq.eu) but").And.Contain("is US1 (datadoghq.com)'s document (by its path)"));
    }

    [Test]
    public async Task PlanAndGenerate_SiteAgainstTheSiteItsPathNames_SiteStandsWithAWarningNamingBoth()
    {
        string config = Write("datadog.yaml", "site: datadoghq.eu\n");
        string us1 = TestData.Path_("ip-ranges", "datadoghq.com-v59.json");

        ProcessResult plan = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config, "--input", us1, "--site", "eu1");
        ProcessResult generate = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", config, "--input", us1, "--site", "eu1");

        foreach (ProcessResult result in new[] { plan, generate })
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            Assert.That(result.Error, Does.Contain(
                $"fwrules: warning: {us1} is named as US1 (datadoghq.com)'s document (by its path); read as EU1 (datadoghq.eu)'s because --site eu1 says so"));
        }
    }

    [Test]
    public async Task Plan_InputWhoseSiteNothingNames_IsUsedOnlyWithSite()
    {
        string config = Write("datadog.yaml", "site: datadoghq.eu\n");
        string ranges = Write("ranges.json", File.ReadAllText(TestData.Path_("ip-ranges", "datadoghq.com-v59.json")));

        ProcessResult unknown = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config, "--input", ranges);
        ProcessResult declared = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config, "--input", ranges, "--site", "eu1");
        ProcessResult other = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", config, "--input", ranges, "--site", "us1");

        Assert.That((unknown.ExitCode, unknown.Output), Is.EqualTo((1, string.Empty)));
        Assert.That(unknown.Error, Does.Contain("which site's document this is is not known").And.Contain("--site eu1"));
        Assert.That(declared.ExitCode, Is.EqualTo(0), declared.Error);
        Assert.That(declared.Output, Does.Contain("PREFIXES"));
        Assert.That((other.ExitCode, other.Output), Is.EqualTo((2, string.Empty)), "a --site against the agent's is a usage error (AgentSiteChoiceTests)");
        Assert.That(other.Error, Does.StartWith("fwrules: --site us1 names US1 (datadoghq.com), but the agent's configuration sends to EU1 (datadoghq.eu)"));
    }
}
