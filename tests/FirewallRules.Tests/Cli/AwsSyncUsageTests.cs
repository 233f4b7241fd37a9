namespace FirewallRules.Tests.Cli;

/// <summary>The host sync's cached-copy options given to an account sync: refused as usage, before any request.</summary>
[TestFixture]
public sealed class AwsSyncUsageTests
{
    [TestCase("aws-prefix-list", "--offline")]
    [TestCase("aws-sg", "--offline")]
    [TestCase("aws-prefix-list", "--max-stale", "1d")]
    public async Task AwsSync_HostCacheOption_IsRefusedOnOneLineWithExit2(string format, params string[] option)
    {
        using var work = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["sync", "-f", format, "-s", "logs", .. option, "--state", work.DirectoryPath]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain($"{option[0]} is for the host formats"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task HostSync_Offline_IsNotRefusedAsUsage()
    {
        using var work = new TempFiles();

        ProcessResult result = await FwrulesInProcess.RunAsync(null,
            ["sync", "-f", "nftables", "-s", "logs", "--offline", "--dry-run", "--state", work.DirectoryPath, "--cache", work.DirectoryPath]);

        Assert.That(result.ExitCode, Is.Not.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Not.Contain("is for the host formats"));
    }
}
