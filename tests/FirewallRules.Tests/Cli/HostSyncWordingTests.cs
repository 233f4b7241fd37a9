namespace FirewallRules.Tests.Cli;

/// <summary>
/// How the tool words what host sync and its outputs share: sync's help names both things it keeps in step, a failed
/// name lookup says so with the host, and the outputs' headers date the document as the summaries do (ISO 8601, UTC, Z).
/// </summary>
[TestFixture]
public class HostSyncWordingTests
{
    [Test]
    public async Task SyncHelp_FirstLine_NamesTheHostFirewallAndTheAwsFormats()
    {
        ProcessResult help = await FwrulesInProcess.RunAsync(null, "sync", "--help");

        Assert.That(help.ExitCode, Is.Zero, help.Error);
        string description = help.Output[help.Output.IndexOf("Description:\n", StringComparison.Ordinal)..help.Output.IndexOf(". ", StringComparison.Ordinal)];
        Assert.That(description, Does.Contain("this host's firewall").And.Contain("AWS account").And.Contain("aws-prefix-list").And.Contain("aws-sg"));
    }

    [Test]
    public async Task Fetch_HostThatDoesNotResolve_SaysNameResolutionFailedForItWithTheSystemsReason()
    {
        // .invalid never resolves (RFC 6761).
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "fetch", "--base-url", "https://s9h-none.invalid/", "--retries", "0",
            "--cache", Path.Combine(TestContext.CurrentContext.WorkDirectory, $"cache-{Guid.NewGuid():N}"));

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Error);
        Assert.That(result.Error, Does.Match(
            @"^fwrules: could not fetch https://s9h-none\.invalid/ \(1 attempt\): name resolution failed for s9h-none\.invalid: [A-Z][^;\n]+; the cache is unchanged\n$"));
    }

    [TestCase("nftables")]
    [TestCase("iptables")]
    [TestCase("ipset")]
    [TestCase("kubernetes")]
    public async Task Generate_Header_DatesTheDocumentAsTheSummaryDoes(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--section", "logs");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("Source: Datadog ip-ranges version 59, modified 2024-10-17T00:00:00Z, site US1 (datadoghq.com)."));
        Assert.That(result.Output, Does.Not.Contain("2024-10-17T00:00:00,"));
    }
}
