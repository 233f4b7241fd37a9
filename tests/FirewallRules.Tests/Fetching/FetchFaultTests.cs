using System.Net;
using FirewallRules.Fetching;
using FirewallRules.Ranges;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// Every fault the server can throw at an update of a cache that holds version 47: what the caller gets, and
/// that the cache stays byte-for-byte as it was. The server serves version 52 when not faulting.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class FetchFaultTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(FetchTesting.Start);
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-faults-").FullName;
    private readonly SnapshotStore _store;
    private readonly IpRangesClient _client;
    private IpRangesServer _server = null!;
    private Site _site = null!;
    private string[] _cached = [];

    public FetchFaultTests()
    {
        _store = new SnapshotStore(_directory);
        _client = IpRangesClient.Create(FetchTesting.Options(), timeProvider: _time);
    }

    [SetUp]
    public async Task FillCache()
    {
        _server = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        _site = Site.Custom(_server.BaseUri);
        SnapshotUpdate first = await _store.UpdateAsync(_client, _site);
        Assert.That(first.Current.Version, Is.EqualTo(47));
        _server.Serve(FetchTesting.Document(52));
        _cached = FetchTesting.Contents(_directory);
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Update_500Then503ThenSuccess_SavesTheNewVersionWithItsDiff()
    {
        _server.Enqueue(IpRangesServer.Status(500), IpRangesServer.Status(503));

        SnapshotUpdate update = await Update();

        Assert.That(update.Previous!.Version, Is.EqualTo(47));
        Assert.That(update.Current.Version, Is.EqualTo(52));
        Assert.That(update.Previous.DiffTo(update.Current).SectionsAdded, Is.EqualTo(new[] { "synthetics-private-locations" }));
        Assert.That(FetchTesting.Contents(_directory), Has.Length.EqualTo(_cached.Length + 1), "v52.json is added; current.json is replaced");
        Assert.That(_server.Requests.Select(r => r.IfNoneMatch), Is.EqualTo(new[] { string.Empty, "\"v47\"", "\"v47\"", "\"v47\"" }),
            "every attempt is conditional on the cached copy");
    }

    [Test]
    public void Update_503EveryTime_FailsAfterTheRetriesAndLeavesTheCache()
    {
        _server.Always(IpRangesServer.Status(503));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(Update)!;

        Assert.That(error.Message, Is.EqualTo($"could not fetch {_server.BaseUri} (4 attempts): HTTP 503 (ServiceUnavailable)"));
        AssertCacheUnchanged();
    }

    [Test]
    public void Update_429EveryTimeWithRetryAfter_FailsAfterWaitingAsAskedAndLeavesTheCache()
    {
        _server.Always(IpRangesServer.Status(429, "5"));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(Update)!;

        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(error.Attempts, Is.EqualTo(4));
        Assert.That(_time.GetUtcNow() - FetchTesting.Start, Is.EqualTo(TimeSpan.FromSeconds(15)), "three waits of the 5 s asked for");
        AssertCacheUnchanged();
    }

    [Test]
    public void Update_NoFirstByteEver_FailsWithAttemptTimeoutsAndLeavesTheCache()
    {
        _server.Always(IpRangesServer.Hang(new TaskCompletionSource()));

        // Here the attempt timeouts are meant to fire, so the clock may jump past them.
        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(
            () => _time.RunAsync(_store.UpdateAsync(_client, _site), FetchTesting.AttemptTimeout))!;

        Assert.That(error.Message, Is.EqualTo($"could not fetch {_server.BaseUri} (4 attempts): timed out after 60 s"));
        Assert.That(error.InnerException, Is.InstanceOf<Polly.Timeout.TimeoutRejectedException>());
        AssertCacheUnchanged();
    }

    [Test]
    public void Update_BodyCutOffEveryTime_FailsAndLeavesTheCache()
    {
        _server.Always(IpRangesServer.CutOff(File.ReadAllBytes(FetchTesting.Document(52))));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(Update)!;

        // The reason is the operating system's words for a reset connection; the status shows the cut came mid-body.
        Assert.That(error.Message, Does.StartWith($"could not fetch {_server.BaseUri} (4 attempts): "));
        Assert.That(error.Message, Does.EndWith("(last response: HTTP 200 (OK))"));
        Assert.That(error.InnerException, Is.InstanceOf<IOException>());
        AssertCacheUnchanged();
    }

    [Test]
    public void Update_InvalidJson_FailsWithTheLocationAndLeavesTheCache()
    {
        _server.Enqueue(IpRangesServer.Body("{\"version\": 53, \"logs\": {\"prefixes_ipv4\": [\"3.233.144.0/20\",]}}"u8.ToArray()));

        IpRangesFormatException error = Assert.ThrowsAsync<IpRangesFormatException>(Update)!;

        Assert.That(error.Message, Is.EqualTo("logs: invalid JSON at line 1, byte 61: The JSON array contains a trailing comma at the end which is not supported in this mode."));
        AssertCacheUnchanged();
    }

    [Test]
    public void Update_HugeBody_IsRefusedAndLeavesTheCache()
    {
        _server.Enqueue(IpRangesServer.Huge(64L * 1024 * 1024, declareLength: false));

        IpRangesFormatException error = Assert.ThrowsAsync<IpRangesFormatException>(Update)!;

        Assert.That(error.Message, Is.EqualTo("the document is larger than the 8388608 bytes allowed"));
        AssertCacheUnchanged();
    }

    [Test]
    public async Task Update_MatchingETag_IsNotModifiedAndLeavesTheCache()
    {
        _server.Serve(FetchTesting.Document(47));

        SnapshotUpdate update = await Update();

        Assert.That(update.IsNotModified, Is.True);
        Assert.That(update.Current.Version, Is.EqualTo(47));
        Assert.That(_server.Requests[^1].IfNoneMatch, Is.EqualTo("\"v47\""));
        AssertCacheUnchanged();
    }

    [Test]
    public void Update_LowerVersionThanCached_IsRefusedAndLeavesTheCache()
    {
        _server.Serve(FetchTesting.Document(46));

        SnapshotRollbackException error = Assert.ThrowsAsync<SnapshotRollbackException>(Update)!;

        Assert.That(error.Message, Does.StartWith($"refused ip-ranges version 46 for {_server.BaseUri}: version 47 is already stored"));
        AssertCacheUnchanged();
    }

    [Test]
    public void Update_SectionEmptied_IsRefusedAndLeavesTheCache()
    {
        _server.Serve(DocumentEdits.WithSectionEmptied(47, "webhooks", 48));

        SnapshotShrinkException error = Assert.ThrowsAsync<SnapshotShrinkException>(Update)!;

        Assert.That(error.Shrinkages.Single().ToString(), Is.EqualTo("webhooks IPv4: 146 to 0 addresses (emptied)"));
        AssertCacheUnchanged();
    }

    [Test]
    public async Task Update_ServerGone_FailsWithTheConnectionErrorAndLeavesTheCache()
    {
        await _server.DisposeAsync();

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(Update)!;

        // The reason is the operating system's words for a refused connection.
        Assert.That(error.Message, Does.StartWith($"could not fetch {_server.BaseUri} (4 attempts): "));
        Assert.That(
            error.InnerException,
            Is.InstanceOf<HttpRequestException>().With.Property(nameof(HttpRequestException.HttpRequestError)).EqualTo(HttpRequestError.ConnectionError));
        Assert.That(error.StatusCode, Is.Null);
        AssertCacheUnchanged();
        _server = await IpRangesServer.StartAsync(FetchTesting.Document(52));
    }

    private Task<SnapshotUpdate> Update() => _time.RunAsync(_store.UpdateAsync(_client, _site), FetchTesting.RetryStep);

    private void AssertCacheUnchanged() =>
        Assert.That(FetchTesting.Contents(_directory), Is.EqualTo(_cached), "the cache is byte-for-byte as it was");
}
