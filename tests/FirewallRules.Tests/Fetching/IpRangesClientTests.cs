using System.Globalization;
using System.Net;
using FirewallRules.Fetching;
using FirewallRules.Ranges;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FirewallRules.Tests.Fetching;

/// <summary>The client against a real HTTP server serving real documents and faults; time is a manual clock.</summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class IpRangesClientTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(FetchTesting.Start);
    private readonly RecordingLoggerProvider _log = new();
    private IpRangesServer _server = null!;
    private IpRangesClient _client = null!;
    private Site _site = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await IpRangesServer.StartAsync(FetchTesting.Document(52));
        _site = Site.Custom(_server.BaseUri);
        _client = IpRangesClient.Create(FetchTesting.Options(), timeProvider: _time, loggerFactory: LoggerFactory.Create(b => b.AddProvider(_log)));
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    public void Dispose() => _log.Dispose();

    [Test]
    public async Task GetAsync_RealDocument_ParsesItAndKeepsTheBytesAsReceived()
    {
        IpRangesDocument document = await _client.GetAsync(_site);

        Assert.That(document.Version, Is.EqualTo(52));
        Assert.That(document.Utf8Json.ToArray(), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(52))));
        Assert.That(document.Site, Is.EqualTo(_site));
        Assert.That(_server.Requests.Single().UserAgent, Does.StartWith("FirewallRules/"));
    }

    [Test]
    public async Task GetAsync_500Then503_RetriesAndReturnsTheDocument()
    {
        _server.Enqueue(IpRangesServer.Status(500), IpRangesServer.Status(503));

        IpRangesDocument document = await _time.RunAsync(_client.GetAsync(_site), FetchTesting.RetryStep);

        Assert.That(document.Version, Is.EqualTo(52));
        Assert.That(_server.Hits, Is.EqualTo(3));
        Assert.That(_time.GetUtcNow() - FetchTesting.Start, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(2 * FetchTesting.MaxRetryDelay),
            "the retries waited (exponential backoff with jitter, capped)");
        Assert.That(_log.Entries.Where(e => e.Id.Id == 4).Select(e => e.Message), Has.Exactly(1).Contains("HTTP 500").And.Exactly(1).Contains("HTTP 503"),
            "each retry is logged as event 4, RetryScheduled");
    }

    [TestCase("7", 7)]
    [TestCase("3600", 25)] // longer than MaxRetryDelay: cut to it
    public async Task GetAsync_429WithRetryAfterSeconds_WaitsThatLongUpToTheCapThenSucceeds(string retryAfter, int expectedSeconds)
    {
        _server.Enqueue(IpRangesServer.Status(429, retryAfter));

        IpRangesDocument document = await _time.RunAsync(_client.GetAsync(_site), FetchTesting.RetryStep);

        Assert.That(document.Version, Is.EqualTo(52));
        Assert.That(_time.GetUtcNow() - FetchTesting.Start, Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }

    [Test]
    public async Task GetAsync_503WithRetryAfterDate_WaitsUntilThatDateThenSucceeds()
    {
        string date = (FetchTesting.Start + TimeSpan.FromSeconds(20)).ToString("R", CultureInfo.InvariantCulture);
        _server.Enqueue(IpRangesServer.Status(503, date));

        IpRangesDocument document = await _time.RunAsync(_client.GetAsync(_site), FetchTesting.RetryStep);

        Assert.That(document.Version, Is.EqualTo(52));
        Assert.That(_time.GetUtcNow() - FetchTesting.Start, Is.EqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public async Task GetAsync_SlowFirstByte_TimesOutTheAttemptThenRetriesAndSucceeds()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Enqueue(IpRangesServer.Hang(arrived));

        Task<IpRangesDocument> fetch = _client.GetAsync(_site);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(FetchTesting.AttemptTimeout);
        IpRangesDocument document = await _time.RunAsync(fetch, FetchTesting.RetryStep);

        Assert.That(document.Version, Is.EqualTo(52));
        Assert.That(_server.Hits, Is.EqualTo(2));
        Assert.That(_log.Entries.Single(e => e.Id.Id == 4).Message, Does.Contain("timed out after 60 s"));
    }

    [Test]
    public async Task GetAsync_BodyCutOffMidStream_RetriesAndSucceeds()
    {
        _server.Enqueue(IpRangesServer.CutOff(File.ReadAllBytes(FetchTesting.Document(52))));

        IpRangesDocument document = await _time.RunAsync(_client.GetAsync(_site), FetchTesting.RetryStep);

        Assert.That(document.Version, Is.EqualTo(52));
        Assert.That(_server.Hits, Is.EqualTo(2));
    }

    [Test]
    public async Task GetAsync_InvalidJson_ThrowsFormatErrorWithoutRetrying()
    {
        byte[] real = File.ReadAllBytes(FetchTesting.Document(52));
        _server.Enqueue(IpRangesServer.Body(real[..(real.Length / 2)]));

        IpRangesFormatException error = Assert.ThrowsAsync<IpRangesFormatException>(() => _time.RunAsync(_client.GetAsync(_site), FetchTesting.RetryStep))!;

        Assert.That(error.Message, Does.Contain("invalid JSON at line 131"));
        Assert.That(_server.Hits, Is.EqualTo(1), "a bad body is not retried: the server would send it again");
    }

    [TestCase(false, "the document is larger than the 8388608 bytes allowed")]
    [TestCase(true, "the document is 8388609 bytes, more than the 8388608 allowed")]
    public void GetAsync_BodyOverTheCap_IsRefusedWithoutRetrying(bool declareLength, string message)
    {
        const long Cap = 8 * 1024 * 1024;
        _server.Enqueue(IpRangesServer.Huge(Cap + 1, declareLength));

        IpRangesFormatException error = Assert.ThrowsAsync<IpRangesFormatException>(() => _time.RunAsync(_client.GetAsync(_site), FetchTesting.RetryStep))!;

        Assert.That(error.Message, Is.EqualTo(message), "refused while streaming, or from Content-Length before reading");
        Assert.That(_server.Hits, Is.EqualTo(1));
    }

    [Test]
    public void GetAsync_404_FailsAtOnceWithTheStatus()
    {
        _server.Enqueue(IpRangesServer.Status(404));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(() => _time.RunAsync(_client.GetAsync(_site), FetchTesting.RetryStep))!;

        Assert.That(error.Message, Is.EqualTo($"could not fetch {_server.BaseUri} (1 attempt): HTTP 404 (NotFound)"));
        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(_server.Hits, Is.EqualTo(1), "404 is not transient");
    }

    [Test]
    public async Task GetAsync_CallerCancels_ThrowsCancellationAndNeverRetries()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Always(IpRangesServer.Hang(arrived));
        using var cancellation = new CancellationTokenSource();

        Task<IpRangesDocument> fetch = _client.GetAsync(_site, cancellation.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        Assert.That(async () => await fetch, Throws.InstanceOf<OperationCanceledException>());
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.That(_server.Hits, Is.EqualTo(1));
    }

    [Test]
    public void GetAsync_PlainHttpToAnotherHost_IsRefusedBeforeAnyRequest()
    {
        Site mirror = Site.Custom(new Uri("http://mirror.example.net/datadog/"));

        InsecureTransportException error = Assert.ThrowsAsync<InsecureTransportException>(() => _client.GetAsync(mirror))!;

        Assert.That(error.Message, Does.StartWith("refusing to fetch http://mirror.example.net/datadog/: only https:// is allowed")
            .And.Contain("IpRangesClientOptions.AllowInsecureHttp allows other hosts"));
        Assert.That(error.ParamName, Is.EqualTo("site"));
        Assert.That(error.Advice?.Settings, Is.EqualTo(new[] { "IpRangesClientOptions.AllowInsecureHttp" }));
    }

    [Test]
    public async Task GetIfModifiedAsync_MatchingETag_ReportsNotModified()
    {
        IpRangesFetchResult first = await _client.GetIfModifiedAsync(_site, validators: null);

        IpRangesFetchResult second = await _client.GetIfModifiedAsync(_site, first.Validators);

        Assert.That(first.IsNotModified, Is.False);
        Assert.That(first.Validators, Is.EqualTo(new IpRangesValidators("\"v52\"", IpRangesServer.LastModified)));
        Assert.That(second.IsNotModified, Is.True);
        Assert.That(second.Document, Is.Null);
        Assert.That(second.Validators, Is.EqualTo(first.Validators));
        Assert.That(_server.Requests[1].IfNoneMatch, Is.EqualTo("\"v52\""));
        Assert.That(_server.Requests[1].IfModifiedSince, Is.EqualTo("Mon, 14 Nov 2022 22:00:00 GMT"));
        Assert.That(_log.Entries.Select(e => e.Id.Id), Does.Contain(2).And.Contain(3), "Fetched, then NotModified");
    }

    [Test]
    public async Task GetIfModifiedAsync_ChangedDocument_ReturnsItWithItsValidators()
    {
        _server.Serve(FetchTesting.Document(47));
        IpRangesFetchResult old = await _client.GetIfModifiedAsync(_site, validators: null);
        _server.Serve(FetchTesting.Document(52));

        IpRangesFetchResult changed = await _client.GetIfModifiedAsync(_site, old.Validators);

        Assert.That(changed.IsNotModified, Is.False);
        Assert.That(changed.Document!.Version, Is.EqualTo(52));
        Assert.That(changed.Validators.ETag, Is.EqualTo("\"v52\""));
    }

    [Test]
    public async Task GetSectionAsync_RealSection_ParsesThePerSectionDocument()
    {
        IpRangesSection synthetics = await _client.GetSectionAsync(_site, Section.Synthetics);

        Assert.That(_server.Requests.Single().Path, Is.EqualTo("/synthetics.json"));
        Assert.That(synthetics.Name, Is.EqualTo("synthetics"));
        Assert.That(synthetics.ListedIPv4, Has.Count.EqualTo(57));
        Assert.That(synthetics.PrefixesByLocation, Has.Count.EqualTo(19));
        Assert.That(synthetics.Prefixes, Is.EqualTo(IpRangesDocument.Load(FetchTesting.Document(52))[Section.Synthetics].Prefixes));
    }

    [Test]
    public async Task Constructor_YourOwnHttpClient_IsUsedAsIsWithoutRetries()
    {
        using var http = new HttpClient();
        var client = new IpRangesClient(http);
        _server.Enqueue(IpRangesServer.Status(503));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(() => client.GetAsync(_site))!;
        IpRangesDocument document = await client.GetAsync(_site);

        Assert.That(error.Attempts, Is.EqualTo(1));
        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(document.Version, Is.EqualTo(52));
    }

    [Test]
    public void Create_TotalTimeoutShorterThanAttemptTimeout_ThrowsNamingTheRule()
    {
        IpRangesClientOptions options = FetchTesting.Options();
        options.TotalTimeout = TimeSpan.FromSeconds(5);

        Assert.That(() => IpRangesClient.Create(options),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("TotalTimeout (00:00:05) must not be less than AttemptTimeout (00:01:00)"));
    }

    [Test]
    public void Create_RetriesOutOfRange_ThrowsNamingTheOption()
    {
        Assert.That(() => IpRangesClient.Create(new IpRangesClientOptions { MaxRetryAttempts = 11 }),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("MaxRetryAttempts"));
    }
}
