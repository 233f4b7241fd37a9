namespace FirewallRules.Tests.Cli;

/// <summary>
/// The agent's version decides its metrics and flare host names (<c>&lt;version&gt;-app.agent.&lt;domain&gt;</c>): the built tool,
/// given no version, plans the newest Agent it knows and lets the name-aware outputs allow those hosts for any version, so an
/// agent of another version (or after an upgrade) keeps sending; given one, it names that version's hosts alone.
/// </summary>
[TestFixture]
public class AgentVersionByNameCommandTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private async Task<string> Generate(string format, params string[] more)
    {
        string config = _files.Write("datadog.yaml", "api_key: 0123456789abcdef0123456789abcdef\nsite: us5.datadoghq.com\n");
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "-f", format, "--agent-config", config, .. more]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return result.Output;
    }

    [Test]
    public async Task Domains_NoAgentVersion_AllowTheVersionedHostsOfAnyVersion()
    {
        string text = await Generate("domains");

        Assert.That(text, Does.Contain("*-app.agent.us5.datadoghq.com 443/tcp").And.Contain("*-flare.agent.us5.datadoghq.com 443/tcp"));
        Assert.That(text, Does.Not.Match(@"\d+-\d+-\d+-(app|flare)\.agent"), "no guessed version's host");
    }

    [Test]
    public async Task Squid_NoAgentVersion_MatchesEveryVersionsMetricsHost()
    {
        string text = await Generate("squid");

        Assert.That(text, Does.Contain(@"dstdom_regex -n -i ^[0-9]+-[0-9]+-[0-9]+-app\.agent\.us5\.datadoghq\.com\.?$"));
        Assert.That(text, Does.Not.Contain($"{TestAgent.InHostNames}-app"));
    }

    [Test]
    public async Task Domains_AgentVersionGiven_NamesThatVersionsHostsOnly()
    {
        string text = await Generate("domains", "--agent-version", "7.64.2");

        Assert.That(text, Does.Contain("7-64-2-app.agent.us5.datadoghq.com 443/tcp").And.Contain("7-64-2-flare.agent.us5.datadoghq.com 443/tcp"));
        Assert.That(text, Does.Not.Contain("*-app."));
    }

    [TestCase("latest-jmx")]
    [TestCase("7-full")]
    public async Task Domains_FloatingImageTagGiven_AllowTheVersionedHostsOfAnyVersion(string tag)
    {
        string text = await Generate("domains", "--agent-version", tag);

        Assert.That(text, Does.Contain("*-app.agent.us5.datadoghq.com 443/tcp"));
    }
}
