namespace FirewallRules.Tests.Aws;

/// <summary>
/// <c>sync -f aws-prefix-list|aws-sg</c> with the agent's configuration: it decides the site, the sections and each
/// section's ports as it does for a host, and what the AWS formats cannot keep is refused or named, never ignored.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsAgentConfigSyncTests
{
    [Test]
    public async Task AgentSendingLogsOverHttpsOnly_GroupsOpenNo10516AndListsHoldOnlyItsSections()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(TestData.IpRangesDocuments[^1], "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string config = Path.Combine(account.Directory, "datadog.yaml");
        File.WriteAllText(config, "logs_enabled: true\nlogs_config:\n  force_use_http: true\napm_config:\n  enabled: false\n");

        ProcessResult run = await account.SyncAsync("--group-id", group, "--rules-per-group", "1000", "--agent-config", config);

        Assert.That(run.ExitCode, Is.Zero, run.Error + run.Output);
        string[] owned = AwsGroups.Owned(account, group);
        Assert.That(owned, Has.Some.StartsWith("tcp 443-443 "));
        Assert.That(owned, Has.None.StartsWith("tcp 10516-10516 "), "logs over HTTPS only opened the TCP intake");
        string sections = run.Output.Split('\n')[0].Split("prefixes for ")[1];
        Assert.That(sections.Split(", "), Does.Contain("logs").And.Not.Contain("apm"), "the sections are not the agent's");
        IpRangesDocument document = IpRangesDocument.Load(TestData.IpRangesDocuments[^1]);
        PrefixSet expected = RuleSet.For(document, sections.Split(", ")).Prefixes;
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(expected.IPv4));
    }

    [Test]
    public async Task Eu1Agent_TheRunIsForEu1()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(TestData.IpRangesDocuments[^1]);
        string state = Path.Combine(account.Directory, "state");
        string listState = Path.Combine(state, "aws", account.Name);
        Directory.CreateDirectory(listState);
        File.WriteAllText(Path.Combine(listState, "state.json"), "{ \"source\": \"https://ip-ranges.datadoghq.com/\", \"published\": {} }");
        string env = Path.Combine(account.Directory, "environment");
        File.WriteAllText(env, "DD_SITE=datadoghq.eu\n");

        ProcessResult run = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null,
            "sync", "-f", "aws-prefix-list", "--state", state, "--cache", Path.Combine(account.Directory, "cache"), "--name", account.Name, "--agent-env", env, "--retries", "0");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.Contain("belongs to https://ip-ranges.datadoghq.com/, not https://ip-ranges.datadoghq.eu/"), "the agent's site, not --site's default");
        Assert.That(account.Lists(), Is.Empty);
    }

    [TestCase("--agent", "datadog")]
    [TestCase("--open", "dogstatsd=10.0.0.0/8")]
    public async Task HostListenerOptions_AreRefusedWithOneLine(string option, string value)
    {
        await using AwsAccount account = await AwsAccount.StartAsync(TestData.IpRangesDocuments[^1]);
        string config = Path.Combine(account.Directory, "datadog.yaml");
        File.WriteAllText(config, "logs_enabled: true\n");
        string[] agent = option == "--agent" ? [] : ["--agent-config", config];

        ProcessResult run = await account.SyncAsync([option, value, .. agent]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Error);
        Assert.That(run.Error.Trim().Split('\n')[0], Does.Contain($"{option} loads a host's listener protection"));
        Assert.That(account.Lists(), Is.Empty);
    }
}
