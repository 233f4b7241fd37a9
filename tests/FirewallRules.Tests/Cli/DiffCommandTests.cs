using System.Text.Json.Nodes;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Cli;

[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class DiffCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-diff-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Diff_RealV46AndV47_PrintsTheChangeAsText()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "diff", FetchTesting.Document(46), FetchTesting.Document(47));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo("""
            ip-ranges version 46 (2021-12-07T10:00:00Z) -> version 47 (2022-01-25T20:00:00Z)
            logs
              IPv4: listed +0 -3; aggregated +0 -2 prefixes (+0 -384 addresses)
                - 3.230.20.128/25
                - 3.230.124.0/24

            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public async Task Diff_FormatJson_PrintsTheListedAndAggregatedChanges()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "diff", FetchTesting.Document(46), FetchTesting.Document(47), "--format", "json");

        JsonNode logs = JsonNode.Parse(result.Output)!["sections"]!.AsArray().Single()!;
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(logs["name"]!.GetValue<string>(), Is.EqualTo("logs"));
        Assert.That(logs["ipv4"]!["listedRemoved"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That(logs["ipv4"]!["removed"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Diff_InvalidDocument_ExitsOneNamingTheFileAndThePlace()
    {
        string bad = Path.Combine(_directory, "bad.json");
        File.WriteAllText(bad, File.ReadAllText(FetchTesting.Document(47)).Replace("3.233.144.0/20", "3.233.144.0/33", StringComparison.Ordinal));

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "diff", FetchTesting.Document(46), bad);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith($"fwrules: {bad}: agents.prefixes_ipv4[0]: \"3.233.144.0/33\" is not a valid prefix"));
    }

    [Test]
    public async Task Diff_MissingFile_ExitsOne()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "diff", FetchTesting.Document(46), Path.Combine(_directory, "missing.json"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("fwrules: cannot read ").And.Contain("missing.json"));
    }

    [TestCase("diff", "a.json")]
    [TestCase("diff", "a.json", "b.json", "--format", "xml")]
    [TestCase("diff", "a.json", "--bogus")]
    public async Task Diff_UsageError_ExitsTwo(params string[] args)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.EndWith(" See 'fwrules diff --help'.\n"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain('\n'), "a usage error is one line");
    }
}
