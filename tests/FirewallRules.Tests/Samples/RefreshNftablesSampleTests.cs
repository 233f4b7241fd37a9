using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Samples;

/// <summary>
/// samples/RefreshNftables, run as its header says, against the test server: the first run writes the whole
/// table, a new version also the update, and an unchanged one nothing.
/// </summary>
[TestFixture]
public sealed class RefreshNftablesSampleTests
{
    [Test]
    public async Task RefreshNftables_NewVersionThenSameVersion_WritesTableAndUpdateThenNothing()
    {
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        string work = Directory.CreateTempSubdirectory("fwrules-sample-").FullName;
        string cache = Path.Combine(work, "cache"), output = Path.Combine(work, "rules");
        Site mirror = Site.Custom(server.BaseUri);
        RuleSet v47 = RuleSet.All(IpRangesDocument.Parse(File.ReadAllBytes(FetchTesting.Document(47)), mirror));
        RuleSet v52 = RuleSet.All(IpRangesDocument.Parse(File.ReadAllBytes(FetchTesting.Document(52)), mirror));
        try
        {
            ProcessResult first = await RunAsync(server, cache, output);
            Assert.That(first.ExitCode, Is.EqualTo(0), first.Error);
            Assert.That(first.Output, Is.EqualTo("ip-ranges version 47 (2022-01-25-20-00-00): wrote datadog.nft\n"));
            Assert.That(File.ReadAllText(Path.Combine(output, "datadog.nft")), Is.EqualTo(v47.ToNftables()));
            Assert.That(File.Exists(Path.Combine(output, "datadog-update.nft")), Is.False);

            server.Serve(FetchTesting.Document(52));
            ProcessResult second = await RunAsync(server, cache, output);
            Assert.That(second.ExitCode, Is.EqualTo(0), second.Error);
            Assert.That(second.Output, Does.StartWith("ip-ranges version 52 (2022-11-14-22-00-00): wrote datadog.nft\nwrote datadog-update.nft\nip-ranges version 47"));
            Assert.That(File.ReadAllText(Path.Combine(output, "datadog.nft")), Is.EqualTo(v52.ToNftables()));
            Assert.That(File.ReadAllText(Path.Combine(output, "datadog-update.nft")), Is.EqualTo(v52.ToNftablesUpdate(v47)));

            ProcessResult third = await RunAsync(server, cache, output);
            Assert.That(third.Output, Is.EqualTo("ip-ranges version 52 (2022-11-14-22-00-00): not modified\n"), third.Error);
            Assert.That(Directory.GetFiles(output), Has.Length.EqualTo(2), "no temporary file is left behind");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Task<ProcessResult> RunAsync(IpRangesServer server, string cache, string output) => FwrulesProcess.RunExecutableAsync(
        Path.Combine(TestContext.CurrentContext.TestDirectory, "RefreshNftables"), null, null, server.BaseUri.AbsoluteUri, cache, output);
}
