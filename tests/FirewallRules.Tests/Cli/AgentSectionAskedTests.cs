namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>--section</c> naming a section the agent's configuration does not use ("rendered as asked"): Cilium's <c>--by-name</c>
/// allows the section's documented intake hosts at the agent's site, never the section's name as a host, and needs no document;
/// the allow-lists, which list the hosts the configuration reaches, leave it out and say so naming the section.
/// </summary>
[TestFixture]
public class AgentSectionAskedTests
{
    private const string Us1 = "api_key: 0123456789abcdef0123456789abcdef\n";

    private const string Eu1 = Us1 + "site: datadoghq.eu\n";

    [Test]
    public async Task GenerateCiliumByName_SectionTheConfigurationDoesNotUse_AllowsItsIntakeHostsNotItsName()
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--agent-config", files.Write("datadog.yaml", Us1),
            "-s", "agents", "-s", "logs");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain("--section logs: the configuration does not use it; rendered as asked"));
        Assert.That(result.Output, Does.Contain("matchName: agent-http-intake.logs.datadoghq.com").And.Contain("matchName: agent-intake.logs.datadoghq.com"));
        Assert.That(result.Output, Does.Not.Contain("matchName: logs"), "the section's name is no host");
    }

    [TestCase("domains")]
    [TestCase("squid")]
    public async Task GenerateAllowList_SectionTheConfigurationDoesNotUse_IsNotAdded_AndTheWarningNamesTheSection(string format)
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--agent-config", files.Write("datadog.yaml", Us1), "-s", "agents", "-s", "logs");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain($"fwrules: warning: --section logs: {format} lists the hosts the configuration reaches, and it does not use logs: not added"));
        Assert.That(result.Error, Does.Not.Contain("--section agent-http-intake"));
        Assert.That(result.Output, Does.Not.Contain("logs.datadoghq.com"));
    }

    [Test]
    public async Task GenerateCiliumByName_Eu1AgentAndASectionItDoesNotUse_RendersWithoutADocument_TheSitesHosts()
    {
        using var files = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--agent-config", files.Write("datadog.yaml", Eu1),
            "-s", "agents", "-s", "logs");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("matchName: agent-http-intake.logs.datadoghq.eu").And.Contain("matchName: agent-intake.logs.datadoghq.eu"));
        Assert.That(result.Output, Does.Not.Contain("datadoghq.com\n"));
        Assert.That(result.Error, Does.Match(@"generate: cilium for [^;\n]*\blogs\b").And.Not.Contain("--section,"), "the summary names the section");
        Assert.That(result.Error, Does.Contain("no Datadog ranges (no ip-ranges document read)"));
    }
}
