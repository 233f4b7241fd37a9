using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Cli;

/// <summary><c>fwrules fetch</c> against a real server on 127.0.0.1 (plain HTTP to loopback is allowed).</summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class FetchCommandTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("fwrules-fetch-").FullName;
    private IpRangesServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await IpRangesServer.StartAsync(FetchTesting.Document(46));

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private string SiteDirectory => Path.Combine(_cache, $"127.0.0.1-{_server.BaseUri.Port}");

    [Test]
    public async Task Fetch_EmptyCache_SavesTheDocumentAndSaysThereIsNothingToCompare()
    {
        ProcessResult result = await Fetch();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(
            $"fetched ip-ranges version 46 (2021-12-07T10:00:00Z) from {_server.BaseUri}\nsaved to {Path.Combine(SiteDirectory, "v46.json")}\n"
            + "no earlier version in the cache to compare with\n"));
        Assert.That(File.ReadAllBytes(Path.Combine(SiteDirectory, "v46.json")), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(46))));
    }

    [Test]
    public async Task Fetch_EmptyCacheFromAMirrorServingAnOldCopy_RealProcessSavesItWithOneWarningLine_ANewerFirstCopyWithout()
    {
        _server.Serve(FetchTesting.Document(27));

        ProcessResult old = await FwrulesProcess.RunAsync(null, "fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", _cache);
        Directory.Delete(SiteDirectory, recursive: true);
        _server.Serve(FetchTesting.Document(59));
        ProcessResult current = await FwrulesProcess.RunAsync(null, "fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", _cache);

        Assert.That(old.ExitCode, Is.Zero, old.Error);
        Assert.That(old.Error, Is.EqualTo($"fwrules: warning: {_server.BaseUri}: ip-ranges version 27, the first document the cache holds, was modified "
            + "2019-10-31, before version 59, the snapshot shipped in the library (modified 2024-10-17): the mirror may serve an old copy, holding addresses "
            + "Datadog no longer publishes; it is used (a mirror counts its versions apart, so only its growth is vetted): check the mirror\n"));
        Assert.That(old.Output, Does.StartWith("fetched ip-ranges version 27 "));
        Assert.That(current.ExitCode, Is.Zero, current.Error);
        Assert.That(current.Error, Is.Empty, "a first copy as new as the snapshot is no cause for a warning");
    }

    [Test]
    public async Task Fetch_QuietEmptyCacheFromAMirrorServingAnOldCopyWithoutModified_DatedByItsVersion_OneWarningLineQuietKeeps()
    {
        _server.Serve(DocumentEdits.Edit(27, root => root.Remove("modified")));

        ProcessResult old = await FwrulesProcess.RunAsync(null, "fetch", "-q", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", _cache);
        Directory.Delete(SiteDirectory, recursive: true);
        _server.Serve(DocumentEdits.Edit(59, root => { root.Remove("modified"); root["version"] = 60; }));
        ProcessResult next = await FwrulesProcess.RunAsync(null, "fetch", "-q", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", _cache);

        Assert.That(old.ExitCode, Is.Zero, old.Error);
        Assert.That(old.Error, Is.EqualTo($"fwrules: warning: {_server.BaseUri}: ip-ranges version 27, the first document the cache holds, carries no date "
            + "(no modified in a known format), and its version is below version 59, the snapshot shipped in the library (modified 2024-10-17): the mirror may "
            + "serve an old copy, holding addresses Datadog no longer publishes; it is used (a mirror counts its versions apart, so only its growth is vetted): "
            + "check the mirror\n"), "an input fwrules cannot vouch for: -q keeps the warning, as an error");
        Assert.That(old.Output, Is.Empty, "-q: no summary");
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(next.Error, Is.Empty, "a first copy without a date, of a version past the snapshot's, is no cause for a warning");
    }

    [Test]
    public async Task Fetch_NewVersion_PrintsTheDiffAgainstTheCachedVersion()
    {
        await Fetch();
        _server.Serve(FetchTesting.Document(47));

        ProcessResult result = await Fetch();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.EndWith("""
            v47.json
            ip-ranges version 46 (2021-12-07T10:00:00Z) -> version 47 (2022-01-25T20:00:00Z)
            logs
              IPv4: listed +0 -3; aggregated +0 -2 prefixes (+0 -384 addresses)
                - 3.230.20.128/25
                - 3.230.124.0/24

            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public async Task Fetch_Unchanged_SaysNotModifiedAndLeavesTheCache()
    {
        await Fetch();
        string[] cached = FetchTesting.Contents(_cache);

        ProcessResult result = await Fetch();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(
            $"not modified: ip-ranges version 46 (2021-12-07T10:00:00Z) is current ({Path.Combine(SiteDirectory, "v46.json")})\n"));
        Assert.That(_server.Requests[^1].IfNoneMatch, Is.EqualTo("\"v46\""));
        Assert.That(FetchTesting.Contents(_cache), Is.EqualTo(cached));
    }

    [Test]
    public async Task Fetch_ServerErrorAfterRetries_ExitsThreeAndLeavesTheCache()
    {
        await Fetch();
        string[] cached = FetchTesting.Contents(_cache);
        _server.Always(IpRangesServer.Status(503));

        ProcessResult result = await Fetch();

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Is.EqualTo(
            $"fwrules: could not fetch {_server.BaseUri} (1 attempt): HTTP 503 (ServiceUnavailable); the cache is unchanged\n"));
        Assert.That(FetchTesting.Contents(_cache), Is.EqualTo(cached));
    }

    [Test]
    public async Task Fetch_LowerVersionThanCached_ExitsOneSayingHowToForce()
    {
        _server.Serve(FetchTesting.Document(47));
        await Fetch();
        string[] cached = FetchTesting.Contents(_cache);
        _server.Serve(FetchTesting.Document(46));

        ProcessResult refused = await Fetch();
        Assert.That(FetchTesting.Contents(_cache), Is.EqualTo(cached));
        ProcessResult forced = await Fetch("--force");

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Is.EqualTo(
            $"fwrules: refused ip-ranges version 46 for {_server.BaseUri}: version 47 is already stored, and versions only go up "
            + "(a stale mirror or cache, or a rollback?); nothing was saved. Run again with --force to store it anyway.\n"));
        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.Error);
        Assert.That(forced.Output, Does.Contain("ip-ranges version 47 (2022-01-25T20:00:00Z) -> version 46"));
    }

    [Test]
    public async Task Fetch_FarFutureVersion_ExitsOneSayingHowToForce()
    {
        await Fetch();
        string[] cached = FetchTesting.Contents(_cache);
        _server.Serve(DocumentEdits.Edit(46, root => root["version"] = long.MaxValue));

        ProcessResult refused = await Fetch();
        Assert.That(FetchTesting.Contents(_cache), Is.EqualTo(cached));
        ProcessResult forced = await Fetch("--force");

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Does.StartWith(
            $"fwrules: refused ip-ranges version {long.MaxValue} for {_server.BaseUri}: it is more than 1000 versions ahead of version 59, the newest known "
                + "(the snapshot shipped in the library; the cache holds version 46)")
            .And.EndWith("; nothing was saved. Run again with --force to store it anyway.\n"));
        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.Error);
    }

    [Test]
    public async Task Fetch_ForceOverridingAGrowth_NamesTheRefusalInOneStderrLineEvenQuietAndExitsZero()
    {
        await Fetch();
        _server.Serve(DocumentEdits.WithPublicSlash8sAdded(46, "logs", 200, newVersion: 47));

        ProcessResult forced = await Fetch("--force", "--quiet");

        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.Error);
        Assert.That(forced.Output, Is.Empty);
        Assert.That(forced.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), forced.Error);
        Assert.That(forced.Error, Does.StartWith(
            $"fwrules: warning: --force overrode a refusal: refused ip-ranges version 47 for {_server.BaseUri}: compared with version 46, logs IPv4: ")
            .And.EndWith("(a section may grow to at most 10 times its addresses, or by at most a /16 in IPv4 or a /48 in IPv6); it was stored all the same\n"));
        Assert.That(File.Exists(Path.Combine(SiteDirectory, "v47.json")), Is.True);
    }

    [Test]
    public async Task Fetch_ForceWithNothingToOverride_PrintsNothingOnStderr()
    {
        await Fetch();
        _server.Serve(FetchTesting.Document(47));

        ProcessResult forced = await Fetch("--force");
        ProcessResult again = await Fetch("--force");

        Assert.That((forced.ExitCode, forced.Error), Is.EqualTo((0, string.Empty)));
        Assert.That(forced.Output, Does.Contain("-> version 47"));
        Assert.That((again.ExitCode, again.Error), Is.EqualTo((0, string.Empty)), "not modified: nothing overridden");
    }

    [TestCase("file:///etc/passwd")]
    [TestCase("http://192.0.2.1/")]
    public async Task Fetch_RealProcessRedirectedWhereTheRulesForbid_ExitsThreeWithOneLine(string location)
    {
        _server.Always(IpRangesServer.Redirect(location));

        ProcessResult result = await FwrulesProcess.RunAsync(null, "fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", _cache);

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: could not fetch {_server.BaseUri} (1 attempt): the server redirected to {location}, which is not followed: "
            + "only https:// is allowed, or plain http:// to a loopback address (--allow-http allows other hosts); the cache is unchanged\n"));
        Assert.That(_server.Hits, Is.EqualTo(1), "not retried");
        Assert.That(Directory.GetFileSystemEntries(_cache), Is.Empty);
    }

    [Test]
    public async Task Fetch_SectionEmptied_ExitsOneNamingTheSection()
    {
        await Fetch();
        _server.Serve(DocumentEdits.WithSectionEmptied(46, "apm", 47));

        ProcessResult result = await Fetch();

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Is.EqualTo(
            $"fwrules: refused ip-ranges version 47 for {_server.BaseUri}: compared with version 46, apm IPv4: 4096 to 0 addresses (emptied); "
            + "apm IPv6: a /56's worth to none (emptied) (at most 50% of a section's addresses may go, and none may be emptied); "
            + "nothing was saved. Run again with --force to store it anyway.\n"));
    }

    [Test]
    public async Task Fetch_InvalidJson_ExitsOneNamingTheAddress()
    {
        _server.Enqueue(IpRangesServer.Body("{\"version\": 47, \"logs\": [\"3.233.144.0/20\"]}"u8.ToArray()));

        ProcessResult result = await Fetch();

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Is.EqualTo(
            $"fwrules: {_server.BaseUri}: logs: expected an object with prefixes_ipv4 and prefixes_ipv6, found an array; the cache is unchanged\n"));
        Assert.That(Directory.GetFileSystemEntries(_cache), Is.Empty);
    }

    [TestCase("--site", "us4", "'us4' is not a site or an http(s) URL; see 'fwrules sites'. Did you mean 'us1'?")]
    [TestCase("--site", "eu2", "'eu2' is not a site or an http(s) URL; see 'fwrules sites'. Did you mean 'eu1'?")]
    [TestCase("--site", "mars", "'mars' is not a site or an http(s) URL; see 'fwrules sites'.")]
    [TestCase("--base-url", "http://user:pw@example.com/p/?X-Amz-Signature=abc", "'http://***@example.com/p/?***' is not a site or an http(s) URL; see 'fwrules sites'.")]
    [TestCase("--base-url", "https://mirror.example/#tok", "'https://mirror.example/?***' is not a site or an http(s) URL; see 'fwrules sites'.")]
    [TestCase("--base-url", "https://user:pa/ss@host/", "'https://***@host/' is not a site or an http(s) URL; see 'fwrules sites'.")]
    [TestCase("--base-url", "https://user:pa#ss@host/", "'https://***@host/' is not a site or an http(s) URL; see 'fwrules sites'.")]
    [TestCase("--notify", "ftp://user:SECRET@host/p?sig=TOKEN", "--notify 'ftp://***@host/p?***' is not an absolute http(s) URL.")]
    [TestCase("--retries", "11", "--retries must be between 0 and 10.")]
    public async Task Fetch_BadOption_ExitsTwo(string option, string value, string message)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "fetch", option, value, "--cache", _cache);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Is.EqualTo($"fwrules: {message} See 'fwrules fetch --help'.\n"));
        Assert.That(_server.Hits, Is.Zero);
    }

    [Test]
    public async Task Fetch_PlainHttpToAnotherHost_ExitsTwoWithoutConnecting()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "fetch", "--base-url", "http://mirror.example.net/", "--cache", _cache);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(
            result.Error,
            Does.StartWith("fwrules: refusing to fetch http://mirror.example.net/: only https:// is allowed").And.EndWith("; --allow-http allows other hosts\n"));
    }

    [Test]
    public async Task Fetch_RealProcessWithServerGone_ExitsThreeIntoTheDefaultCache()
    {
        string xdg = Path.Combine(_cache, "xdg");
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = xdg };
        ProcessResult first = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, "fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--retries", "0");
        await _server.DisposeAsync();

        ProcessResult gone = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, "fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--retries", "0");

        Assert.That(first.ExitCode, Is.EqualTo(0), first.Error);
        Assert.That(File.Exists(Path.Combine(xdg, "fwrules", $"127.0.0.1-{_server.BaseUri.Port}", "v46.json")), Is.True, "$XDG_CACHE_HOME/fwrules is the default cache");
        Assert.That(gone.ExitCode, Is.EqualTo(3));
        Assert.That(gone.Error, Does.StartWith($"fwrules: could not fetch {_server.BaseUri} (1 attempt): ").And.EndWith("; the cache is unchanged\n"));
        _server = await IpRangesServer.StartAsync(FetchTesting.Document(46));
    }

    [Test]
    public async Task Fetch_Help_ShowsExamplesAndTheProxyVariables()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "fetch", "--help");

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Output, Does.Contain("Examples:").And.Contain("fwrules fetch --site eu1").And.Contain("HTTPS_PROXY"));
    }

    [Test]
    public async Task Fetch_CacheThatCannotBeWritten_ExitsOneNamingTheCache()
    {
        // A file where the cache directory should be: nothing can be created beneath it.
        string blocked = Path.Combine(_cache, "blocked");
        File.WriteAllText(blocked, "not a directory");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", blocked, "--retries", "0");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: --cache {blocked} is a regular file, not a directory\n"));
        Assert.That(_server.Hits, Is.Zero, "refused before the request");
        Assert.That(File.ReadAllText(blocked), Is.EqualTo("not a directory"));
    }

    private Task<ProcessResult> Fetch(params string[] extra) =>
        FwrulesInProcess.RunAsync(null, ["fetch", "--base-url", _server.BaseUri.AbsoluteUri, "--cache", _cache, "--retries", "0", .. extra]);
}
