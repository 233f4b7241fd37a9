namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>--site</c> and <c>--base-url</c> beside an agent's configuration, in every verb that takes both: one that names another
/// site than the agent sends to is refused in one line (exit 2) before anything is fetched or changed, since its ranges
/// would be loaded for an agent that sends elsewhere; one that agrees, or a mirror whose address names no site, stands.
/// </summary>
[TestFixture]
public class AgentSiteChoiceTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    /// <summary>Each verb's arguments up to the site's, for an agent that sends to EU1; nothing it could reach listens.</summary>
    private string[] Verb(string verb)
    {
        string config = _files.Write("datadog.yaml", "api_key: 0123456789abcdef0123456789abcdef\nsite: datadoghq.eu\nlogs_enabled: true\n");
        string state = Path.Combine(_files.DirectoryPath, "state"), cache = Path.Combine(_files.DirectoryPath, "cache");
        return verb switch
        {
            "sync" => ["sync", "-f", "nftables", "--agent-config", config, "--state", state, "--cache", cache, "--retries", "0", "--dry-run"],
            "sync-aws" => ["sync", "-f", "aws-prefix-list", "--agent-config", config, "--state", state, "--cache", cache, "--retries", "0", "--region", "eu-west-1"],
            "generate" => ["generate", "-f", "nftables", "--agent-config", config, "--live", "--retries", "0"],
            "plan" => ["plan", "--agent-config", config, "--live", "--retries", "0"],
            _ => ["verify", "--agent-config", config, "--retries", "0", "--timeout", "1s"],
        };
    }

    [TestCase("sync", "--site", "us1")]
    [TestCase("sync-aws", "--site", "us1")]
    [TestCase("generate", "--site", "us1")]
    [TestCase("plan", "--site", "us1")]
    [TestCase("verify", "--site", "us1")]
    [TestCase("sync", "--base-url", "http://127.0.0.1:9/v1/us1/")]
    [TestCase("sync-aws", "--base-url", "http://127.0.0.1:9/v1/us1/")]
    [TestCase("generate", "--base-url", "http://127.0.0.1:9/v1/us1/")]
    [TestCase("plan", "--base-url", "https://ip-ranges.datadoghq.com/")]
    [TestCase("verify", "--base-url", "http://127.0.0.1:9/mirror/datadoghq.com-v59.json")]
    public async Task AgentConfigurationOfEu1_SiteOrMirrorOfUs1_IsRefusedInOneLineExitTwo(string verb, string option, string value)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, [.. Verb(verb), option, value]);

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)), result.Error);
        Assert.That(result.Error, Does.StartWith($"fwrules: {option} ").And.Contain(
            " names US1 (datadoghq.com), but the agent's configuration sends to EU1 (datadoghq.eu): its rules would allow US1's ranges to an agent that sends to EU1; " +
            $"drop {option} (the agent's site is used), or name EU1's (--site eu1, or a mirror of it)\n"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "not one line");
    }

    [TestCase("--site", "eu1")]
    [TestCase("--base-url", "http://127.0.0.1:9/v1/eu1/")]
    [TestCase("--base-url", "http://127.0.0.1:9/ranges/")]
    public async Task AgentConfigurationOfEu1_SiteOrMirrorThatAgreesOrNamesNone_Stands(string option, string value)
    {
        string config = _files.Write("datadog.yaml", "api_key: 0123456789abcdef0123456789abcdef\nsite: datadoghq.eu\n");

        // Allowed by name, these rules read no document: the site the command line names is only checked.
        ProcessResult generate = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--agent-config", config, "--live", "--retries", "0",
            option, value);

        Assert.That(generate.ExitCode, Is.Zero, generate.Error);
        Assert.That(generate.Output, Does.Contain("matchName: config.datadoghq.eu\n"));
    }
}
