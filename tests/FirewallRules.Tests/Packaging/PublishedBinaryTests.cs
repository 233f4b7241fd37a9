using FirewallRules.Tests.Cli;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Server;

namespace FirewallRules.Tests.Packaging;

/// <summary>
/// The self-contained single-file binary, published with the README's command. That build is trimmed, and
/// trimming removes whatever it cannot see being used: the binary must print what the built tool prints,
/// and reach the network, write the cache and read the embedded data the same way.
/// </summary>
[TestFixture]
[Category("Package")]
[NonParallelizable]
public sealed class PublishedBinaryTests
{
    private string _work = null!;

    private string Fwrules => Path.Combine(_work, "publish", "fwrules");

    [OneTimeSetUp]
    public async Task Publish()
    {
        _work = Directory.CreateTempSubdirectory("fwrules-publish-").FullName;
        // The project treats warnings as errors, so a trim or AOT analysis warning fails this too.
        await BuildCommand.RunAsync(
            "dotnet", _work, "publish", Path.Combine(TestData.RepositoryRoot, "src", "FirewallRules.Cli"), "-c", "Release", "-r", "linux-x64",
            "-p:PublishSingleFile=true", "-o", Path.Combine(_work, "publish"));
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_work, recursive: true);

    [TestCase("generate --section logs --format nftables")]
    [TestCase("generate --section webhooks --format azure-arm")]
    [TestCase("generate --agent datakit --feature statsd --format iptables-script")]
    [TestCase("diff {v47} {v52} --format json")]
    [TestCase("sites")]
    [TestCase("privatelink --site ap1 --agent-network 10.0.0.0/16 --endpoint-subnet 10.1.0.0/24 --format terraform")]
    public async Task Verb_PrintsWhatTheBuiltToolPrints(string command)
    {
        string[] args = command
            .Replace("{v47}", FetchTesting.Document(47), StringComparison.Ordinal)
            .Replace("{v52}", FetchTesting.Document(52), StringComparison.Ordinal)
            .Split(' ');

        ProcessResult published = await FwrulesProcess.RunExecutableAsync(Fwrules, null, null, args);
        ProcessResult built = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(published.ExitCode, Is.EqualTo(0), published.Error);
        Assert.That(published.Output, Is.EqualTo(built.Output));
        Assert.That(published.Output, Is.Not.Empty);
    }

    [Test]
    public async Task Fetch_ThroughTheResilientClient_SavesTheSnapshot()
    {
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        string cache = Path.Combine(_work, "cache");

        ProcessResult result = await FwrulesProcess.RunExecutableAsync(Fwrules, null, null, "fetch", "--base-url", server.BaseUri.AbsoluteUri, "--cache", cache);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith($"fetched ip-ranges version 47 (2022-01-25-20-00-00) from {server.BaseUri}"));
        Assert.That(Directory.GetFiles(cache, "v47.json", SearchOption.AllDirectories), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Serve_TrimmedWithTheWebStack_ServesTheVettedDocumentAndRules()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        await using MirrorProcess mirror = await MirrorProcess.StartExecutableAsync(
            Fwrules, null, "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", Path.Combine(_work, "serve-cache"));
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        byte[] document = await http.GetByteArrayAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative));
        string rules = await http.GetStringAsync(new Uri("v1/us1/rules/nftables?section=logs", UriKind.Relative));
        string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));

        Assert.That(document, Is.EqualTo(await File.ReadAllBytesAsync(FetchTesting.Document(47))));
        Assert.That(rules, Is.EqualTo(RuleSet.For(IpRangesDocument.Parse(document, Site.US1), Section.Logs).ToNftables()));
        Assert.That(metrics, Does.Contain("fwrules_mirror_document_version{site=\"us1\"} 47"));
        Assert.That(await mirror.TerminateAsync(), Is.Zero, mirror.Log);
    }
}
