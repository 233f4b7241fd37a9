using FirewallRules.Fetching;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>fwrules fetch</c> and <c>fwrules diff</c> with a cache someone else wrote, against a real server on 127.0.0.1: an
/// edited copy is said and replaced, a first version that would block every real one is refused, a cache directory
/// another user could write is refused in one line, and one the tool creates is its owner's alone whatever the umask.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Platform("Linux")]
public sealed class FetchTamperedCacheTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("fwrules-fetch-tampered-").FullName;
    private IpRangesServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await IpRangesServer.StartAsync(FetchTesting.Document(59));

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private string CachedPath(long version) => new SnapshotStore(_cache).GetPath(Site.Custom(_server.BaseUri), version);

    [Test]
    public async Task Fetch_CachedCurrentEditedInPlace_SaysSoEvenQuietAndReplacesItWithTheFetchedCopy()
    {
        Assert.That((await Fetch()).ExitCode, Is.Zero);
        string copy = CachedPath(59);
        CacheTampering.EditInPlace(copy);

        ProcessResult result = await Fetch("--quiet");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Is.EqualTo(
            $"fwrules: warning: {copy} no longer holds ip-ranges version 59 as the cache vetted it (its SHA-256 is not the one recorded when it was stored: "
                + "changed since, by hand or tampering?): it is not used\n"
                + $"fwrules: warning: {copy} is replaced by the copy just fetched and vetted\n"));
        Assert.That(_server.Requests[^1].IfNoneMatch, Is.Empty, "fetched whole");
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(59))));
    }

    [Test]
    public async Task Diff_CachedCopyEditedSinceItWasVetted_WarnsAndStillShowsTheChange()
    {
        _server.Serve(FetchTesting.Document(52));
        await Fetch();
        _server.Serve(FetchTesting.Document(59));
        await Fetch();
        CacheTampering.EditInPlace(CachedPath(59));

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "diff", CachedPath(52), CachedPath(59));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: warning: {CachedPath(59)} no longer holds ip-ranges version 59 as the cache vetted it (its SHA-256 is not "
            + "the one recorded when it was stored: changed since, by hand or tampering?)\n"), "one warning, for the edited copy only");
        Assert.That(result.Output, Does.Contain($"+ {CacheTampering.Planted}"));
    }

    [Test]
    public async Task Fetch_EmptyCacheAndAVersionThatWouldBlockEveryRealOne_ExitsOneAndTheNextRealVersionIsStored()
    {
        _server.Serve(DocumentEdits.Edit(59, root => root["version"] = long.MaxValue));

        ProcessResult refused = await Fetch();
        string[] cached = FetchTesting.Contents(_cache);
        _server.Serve(FetchTesting.Document(59));
        ProcessResult real = await Fetch();

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Is.EqualTo($"fwrules: refused ip-ranges version {long.MaxValue} for {_server.BaseUri}: it is more than 1000 versions ahead of "
            + "version 59, the newest known (the snapshot shipped in the library; the cache holds none), further than the feed moves between fetches (Datadog adds "
            + "one per change); stored, it would make every real version after it look like a rollback; nothing was saved. Run again with --force to store it anyway.\n"));
        Assert.That(cached, Is.Empty, "nothing stored");
        Assert.That(real.ExitCode, Is.Zero, real.Error);
        Assert.That(File.ReadAllBytes(CachedPath(59)), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(59))));
    }

    [TestCase(0x1FF, false)]
    [TestCase(0x1F8, false)]
    [TestCase(0x1ED, true)]
    public async Task Fetch_CacheDirectoryAnotherUserCouldWrite_ExitsOneInOneLineNamingTheFix(int mode, bool nobody)
    {
        File.SetUnixFileMode(_cache, (UnixFileMode)mode);
        if (nobody)
        {
            FirewallRules.IO.UnixFileStatus.SetOwner(_cache, 65534, 65534);
        }

        ProcessResult result = await Fetch();

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.StartWith($"fwrules: refusing {_cache}: ").And.EndWith(
            nobody ? $"(chown 0 {_cache}) or choose another directory\n" : $"(chmod go-w {_cache})\n"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
        Assert.That(_server.Hits, Is.Zero, "nothing fetched");
        Assert.That(Directory.GetFileSystemEntries(_cache), Is.Empty);
    }

    [Test]
    public async Task Fetch_UnderAUmaskThatLetsTheGroupWrite_CreatesTheCacheForItsOwnerAloneAndUsesItAgain()
    {
        string cache = Path.Combine(_cache, "new", "cache");
        string tool = FwrulesProcess.Tool;
        string[] fetch = ["sh", "-c", "umask 002 && exec \"$0\" \"$@\"", tool, "fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", cache, "--retries", "0"];

        ProcessResult first = await FwrulesProcess.RunExecutableAsync(fetch[0], null, null, fetch[1..]);
        ProcessResult second = await FwrulesProcess.RunExecutableAsync(fetch[0], null, null, fetch[1..]);

        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(second.ExitCode, Is.Zero, second.Error);
        foreach (string created in new[] { Path.Combine(_cache, "new"), cache, Path.GetDirectoryName(CachedPath(59))!.Replace(_cache, cache, StringComparison.Ordinal) })
        {
            Assert.That(File.GetUnixFileMode(created), Is.EqualTo((UnixFileMode)0x1ED), created);
        }
    }

    private Task<ProcessResult> Fetch(params string[] extra) =>
        FwrulesInProcess.RunAsync(null, ["fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", _cache, "--retries", "0", .. extra]);
}
