namespace FirewallRules.Tests.Cli;

/// <summary><c>sync</c> and <c>verify</c> with the agent's configuration: its site, sections and endpoints, offline.</summary>
[TestFixture]
public class AgentConfigSyncVerifyTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private string Write(string name, string text) => _files.Write(name, text);

    [Test]
    public async Task Sync_AgentConfig_UsesTheAgentsSite()
    {
        string state = Path.Combine(_files.DirectoryPath, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "state.json"), "{ \"source\": \"https://ip-ranges.datadoghq.com/\", \"published\": {} }");
        string env = Write("environment", "DD_SITE=datadoghq.eu\n");

        ProcessResult result =
            await FwrulesInProcess.RunAsync(null, "sync", "-f", "nftables", "--state", state, "--cache", Path.Combine(_files.DirectoryPath, "cache"), "--agent-env", env);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("belongs to https://ip-ranges.datadoghq.com/, not https://ip-ranges.datadoghq.eu/"), "the agent's site, not --site's default");
        Assert.That(result.Error, Does.Contain("fwrules: warning: " +
            "not loaded: ntp (123/udp to 0.datadog.pool.ntp.org) has no published addresses: give them with --open ntp=NETWORKS"),
            "sync loads the listeners itself now, and says what it cannot");
        Assert.That(result.Error, Does.Not.Contain("sync keeps Datadog's ranges only"));
    }

    [Test]
    public async Task Sync_AgentEverythingThroughANamedProxy_ExitsTwoAsGenerateInOneLineNamingWhatRendersIt()
    {
        string config = Write("datadog.yaml", "proxy:\n  https: http://user:pa55@proxy.corp.example:3128\n");

        ProcessResult result =
            await FwrulesInProcess.RunAsync(null, "sync", "-f", "nftables", "--state", Path.Combine(_files.DirectoryPath, "state"),
                "--cache", Path.Combine(_files.DirectoryPath, "cache"), "--agent-config", config, "--dry-run");
        ProcessResult generate = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nftables", "--agent-config", config);

        Assert.That((result.ExitCode, generate.ExitCode), Is.EqualTo((2, 2)), "a usage error, as generate's refusal of the same configuration");
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error,
            Is.EqualTo("fwrules: with this configuration the agent reaches Datadog only through its proxy proxy.corp.example:3128, so sync has no Datadog range "
            + "to keep in step: the rule toward the proxy does not change with the ranges, so load it once (fwrules generate -f nftables --agent-config ... "
            + "--open proxy=CIDR renders it, as a host name nftables cannot hold) and give the proxy its allow-list (fwrules plan --agent-config ... --allow-list squid)\n"));
    }

    [Test]
    public async Task Verify_AgentConfig_ChecksExactlyItsPublishedEndpoints()
    {
        string config = Write("datadog.yaml", "logs_enabled: true\nlogs_config:\n  force_use_tcp: true\napm_config:\n  enabled: false\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "verify", "--agent-config", config, "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"),
            "--agent-version", "7.61.0");

        string[] hosts = [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(' ', 2)[0])];
        Assert.That(hosts, Is.EqualTo(new[] { "7-61-0-app.agent.datadoghq.com", "config.datadoghq.com", "agent-intake.logs.datadoghq.com", "process.datadoghq.com" }));
        Assert.That(result.Output, Does.Contain("10516/tcp"));
        Assert.That(result.Error, Does.Contain("fwrules: warning: not verified: 7-61-0-flare.agent.datadoghq.com (flare, 443/tcp)"));
    }

    [TestCase("7.46.0", "us1")]
    [TestCase("7.80.0", "us1-fed")]
    public async Task Verify_SectionsTheAgentUsesNoEndpointOf_IsRefusedNotAnEmptyPass(string version, string site)
    {
        // Remote Configuration before 7.47 or on US1-FED: verify checked nothing and said every address was usable.
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "verify", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"),
            "--agent-version", version, "--site", site, "-s", "remote-configuration");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.StartWith($"fwrules: the Agent {version} uses no endpoint of the sections given on ").And.EndWith(": nothing to verify\n"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Sync_AgentConfigWithAgent_IsAUsageError()
    {
        string config = Write("datadog.yaml", "logs_enabled: true\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sync", "-f", "nftables", "--agent", "datadog", "--agent-config", config);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("give one or the other"));
    }
}
