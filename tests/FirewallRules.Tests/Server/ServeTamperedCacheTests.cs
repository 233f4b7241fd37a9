using System.Net;
using FirewallRules.Fetching;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Server;

/// <summary>
/// A real <c>fwrules serve</c> whose cache someone else wrote: a vetted copy edited in place is never served (the last copy
/// the store can prove is, until the upstream gives the real one back); a first document claiming a version that would
/// block every real one is refused; a cache directory others may write stops the mirror at start.
/// </summary>
[TestFixture]
[Category("Server")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Platform("Linux")]
public sealed class ServeTamperedCacheTests
{
    private string _cache = null!;

    [SetUp]
    public void CreateCache() => _cache = Directory.CreateTempSubdirectory("fwrules-serve-tampered-").FullName;

    [TearDown]
    public void DeleteCache() => Directory.Delete(_cache, recursive: true);

    [Test]
    public async Task Restart_CachedCurrentEditedInPlace_ServesTheLastProvenCopyNeverTheEditThenTheRealOne()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(52));
        await FetchAsync(upstream);
        upstream.Serve(FetchTesting.Document(59));
        await FetchAsync(upstream);
        string copy = new SnapshotStore(_cache).GetPath(Site.Custom(upstream.BaseUri), 59);
        CacheTampering.EditInPlace(copy);
        upstream.Enqueue([.. Enumerable.Repeat(IpRangesServer.Status(503), 4)]);

        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _cache, "--refresh", "1s", "--retries", "0");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);
        byte[] whileDown = await http.GetByteArrayAsync(new Uri("v1/us1/", UriKind.Relative));
        await MirrorClient.WaitUntilAsync(
            async () => await MirrorClient.MetricAsync(http, "fwrules_mirror_document_version{site=\"us1\"}") == 59, "the real version 59 was never served");
        byte[] back = await http.GetByteArrayAsync(new Uri("v1/us1/", UriKind.Relative));

        Assert.That(whileDown, Is.EqualTo(await File.ReadAllBytesAsync(FetchTesting.Document(52))), "the last copy the store can prove");
        Assert.That(mirror.Log, Does.Contain($"us1: {copy} no longer holds ip-ranges version 59 as the cache vetted it").And.Contain("not served; serving version 52 instead"));
        Assert.That(back, Is.EqualTo(await File.ReadAllBytesAsync(FetchTesting.Document(59))));
        // The log reaches the test through the process's output, after the metric can already say 59.
        await MirrorClient.WaitUntilAsync(
            () => Task.FromResult(mirror.Log.Contains("never served, and replaced by the copy just fetched and vetted", StringComparison.Ordinal)),
            "the edited copy's replacement was never logged");
        Assert.That(await http.GetStringAsync(new Uri("v1/us1/lists/agents.txt", UriKind.Relative)), Does.Not.Contain("8.8.8.0"));
    }

    [Test]
    public async Task ColdStart_VersionThatWouldBlockEveryRealOne_IsRefusedAndTheNextRealVersionServed()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(59));
        upstream.Serve(DocumentEdits.Edit(59, root => root["version"] = long.MaxValue));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _cache, "--refresh", "1s", "--retries", "0");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);

        await MirrorClient.WaitUntilAsync(() => Task.FromResult(mirror.Log.Contains("more than 1000 versions ahead of version 59", StringComparison.Ordinal)),
            "the version was never refused\n" + mirror.Log);
        HttpStatusCode health = (await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode;
        string[] cached = FetchTesting.Contents(_cache);
        upstream.Serve(FetchTesting.Document(59));
        await MirrorClient.WaitReadyAsync(http);

        Assert.That(health, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "nothing to serve");
        Assert.That(cached.Where(file => file.Contains("/v", StringComparison.Ordinal)), Is.Empty, "nothing stored");
        Assert.That(await http.GetByteArrayAsync(new Uri("v1/us1/", UriKind.Relative)), Is.EqualTo(await File.ReadAllBytesAsync(FetchTesting.Document(59))));
    }

    [TestCase(0x1FF, false)]
    [TestCase(0x1ED, true)]
    public async Task Start_CacheDirectoryAnotherUserCouldWrite_ExitsOneInOneLineNamingTheFix(int mode, bool nobody)
    {
        File.SetUnixFileMode(_cache, (UnixFileMode)mode);
        if (nobody)
        {
            FirewallRules.IO.UnixFileStatus.SetOwner(_cache, 65534, 65534);
        }

        ProcessResult result = await FwrulesProcess.RunAsync(null, "serve", "--site", "us1", "--cache", _cache, "--listen", "127.0.0.1:0");

        // Failures: a refused operation is exit 1, one line; systemd sees the mirror fail at start.
        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.StartWith($"fwrules: refusing {_cache}: ").And.EndWith(
            nobody ? $"(chown 0 {_cache}) or choose another directory\n" : $"(chmod go-w {_cache})\n"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
        Assert.That(Directory.GetFileSystemEntries(_cache), Is.Empty);
    }

    private async Task FetchAsync(IpRangesServer upstream)
    {
        ProcessResult fetched = await FwrulesInProcess.RunAsync(null, "fetch", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _cache);
        Assert.That(fetched.ExitCode, Is.Zero, fetched.Error);
    }
}
