using System.Net;
using FirewallRules.Fetching;
using FirewallRules.Tests.Ranges;
using Microsoft.Extensions.DependencyInjection;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// A server that tries to poison the cache or send the client elsewhere, on 127.0.0.1: tags that cannot be sent
/// back, a version that would block every later one, redirects the transport rules forbid.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class FetchPoisoningTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-poison-").FullName;
    private readonly SnapshotStore _store;
    private IpRangesServer _server = null!;
    private Site _site = null!;

    public FetchPoisoningTests() => _store = new SnapshotStore(_directory);

    [SetUp]
    public async Task StartServer()
    {
        _server = await IpRangesServer.StartAsync(FetchTesting.Document(46));
        _site = Site.Custom(_server.BaseUri);
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [TestCase("\"v47\u00e9\"")]
    [TestCase("\"v47\u00ff\u00fe\"")]
    [TestCase("v47")]
    [TestCase("\"v\"47\"")]
    [TestCase("W/\"v47 with space\"")]
    public async Task UpdateAsync_ETagThatIsNoEntityTag_IsDroppedAndLaterFetchesWork(string eTag)
    {
        IpRangesClient client = Client();
        await _store.UpdateAsync(client, _site);
        _server.Enqueue(IpRangesServer.Tagged(File.ReadAllBytes(FetchTesting.Document(47)), eTag));

        SnapshotUpdate poisoned = await _store.UpdateAsync(client, _site);
        IpRangesValidators? kept = await _store.GetValidatorsAsync(_site);
        _server.Serve(FetchTesting.Document(52));
        SnapshotUpdate next = await _store.UpdateAsync(client, _site);

        Assert.That(poisoned.Current.Version, Is.EqualTo(47));
        Assert.That(kept!.ETag, Is.Null, "the tag is dropped");
        Assert.That(kept.LastModified, Is.EqualTo(IpRangesServer.LastModified), "the other validator is kept");
        Assert.That(next.Current.Version, Is.EqualTo(52));
        Assert.That(_server.Requests[^1].IfNoneMatch, Is.Empty);
    }

    [Test]
    public async Task UpdateAsync_HugeETag_IsNotReplayed()
    {
        IpRangesClient client = Client();
        _server.Enqueue(IpRangesServer.Tagged(File.ReadAllBytes(FetchTesting.Document(46)), $"\"{new string('x', 16 * 1024)}\""));
        await _store.UpdateAsync(client, _site);

        await _store.UpdateAsync(client, _site);

        Assert.That(_server.Requests[^1].IfNoneMatch, Is.Empty);
        Assert.That(File.ReadAllText(Path.Combine(SiteDirectory, "current.json")), Has.Length.LessThan(200));
    }

    [Test]
    public async Task UpdateAsync_StateFilePoisonedByAnEarlierVersion_HealsOnTheNextFetch()
    {
        IpRangesClient client = Client();
        await _store.UpdateAsync(client, _site);
        // What an earlier fwrules saved: the tag as the server sent it, which no request can carry.
        File.WriteAllText(Path.Combine(SiteDirectory, "current.json"), "{\"Version\":46,\"ETag\":\"\\\"v46\u00e9\\u0001\\\"\",\"LastModified\":null}");
        _server.Serve(FetchTesting.Document(47));

        SnapshotUpdate update = await _store.UpdateAsync(client, _site);

        Assert.That(update.Current.Version, Is.EqualTo(47));
        Assert.That(_server.Requests[^1].IfNoneMatch, Is.Empty);
        Assert.That((await _store.GetValidatorsAsync(_site))!.ETag, Is.EqualTo("\"v47\""));
    }

    [TestCase("\"v52\"")]
    [TestCase("W/\"5f3a-b2\"")]
    [TestCase("\"\"")]
    [TestCase("\"!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\"")]
    public void IpRangesValidators_EntityTag_IsKeptAsReceived(string eTag)
    {
        Assert.That(new IpRangesValidators(eTag, null).ETag, Is.EqualTo(eTag));
        Assert.That(new IpRangesValidators(null, null) with { ETag = eTag }, Has.Property("ETag").EqualTo(eTag));
    }

    [TestCase("\"a\u0001b\"")]
    [TestCase("\"a\r\nX-Injected: 1\"")]
    [TestCase("\"a\u007f\"")]
    [TestCase("w/\"lower-case weak\"")]
    [TestCase("\"unterminated")]
    [TestCase("")]
    public void IpRangesValidators_NotAnEntityTag_IsDropped(string eTag)
    {
        Assert.That(new IpRangesValidators(eTag, null).ETag, Is.Null);
        Assert.That(new IpRangesValidators("\"ok\"", null) with { ETag = eTag }, Has.Property("ETag").Null);
        Assert.That(new IpRangesValidators(eTag, null).IsEmpty, Is.True);
    }

    [Test]
    public async Task UpdateAsync_FarFutureVersion_IsRefusedUnlessForcedAndRealVersionsStillFollow()
    {
        IpRangesClient client = Client();
        await _store.UpdateAsync(client, _site);
        string[] before = FetchTesting.Contents(_directory);
        _server.Serve(DocumentEdits.Edit(46, root => root["version"] = long.MaxValue));

        SnapshotVersionJumpException error = Assert.ThrowsAsync<SnapshotVersionJumpException>(() => _store.UpdateAsync(client, _site))!;
        string[] afterRefusal = FetchTesting.Contents(_directory);
        _server.Serve(FetchTesting.Document(47));
        SnapshotUpdate real = await _store.UpdateAsync(client, _site);

        Assert.That(error.Message, Does.StartWith(
            $"refused ip-ranges version {long.MaxValue} for {_server.BaseUri}: it is more than 1000 versions ahead of version 59, the newest known "
            + "(the snapshot shipped in the library; the cache holds version 46)"));
        Assert.That(error.RefusedVersion, Is.EqualTo(long.MaxValue));
        Assert.That(afterRefusal, Is.EqualTo(before), "nothing was written");
        Assert.That(real.Current.Version, Is.EqualTo(47), "the next real version is taken");
    }

    [Test]
    public async Task UpdateAsync_FarFutureVersionForced_IsStored()
    {
        IpRangesClient client = Client();
        await _store.UpdateAsync(client, _site);
        _server.Serve(DocumentEdits.Edit(46, root => root["version"] = 46 + 1001));

        SnapshotUpdate forced = await _store.UpdateAsync(client, _site, force: true);

        Assert.That(forced.Current.Version, Is.EqualTo(1047));
        Assert.That(() => new SnapshotStore(_directory) { MaxVersionJump = 0 }, Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase("http://192.0.2.1/ip-ranges/", "which is not followed: only https:// is allowed")]
    [TestCase("file:///etc/passwd", "the server redirected to file:///etc/passwd, which is not followed")]
    [TestCase("ftp://127.0.0.1/ip-ranges.json", "the server redirected to ftp://127.0.0.1/ip-ranges.json, which is not followed")]
    public async Task GetAsync_RedirectThatBreaksTheTransportRule_FailsAtOnceWithoutRetrying(string location, string reason)
    {
        _server.Always(IpRangesServer.Redirect(location));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(() => Client(retries: 3).GetAsync(_site))!;

        Assert.That(error.Message, Does.StartWith($"could not fetch {_server.BaseUri} (1 attempt): ").And.Contain(reason));
        Assert.That(_server.Hits, Is.EqualTo(1), "a refused redirect is not retried");
    }

    [Test]
    public async Task GetAsync_RedirectWithinLoopback_IsFollowed()
    {
        _server.Enqueue(IpRangesServer.Redirect("/?hop=1", 301), IpRangesServer.Redirect($"{_server.BaseUri}?hop=2", 307));

        IpRangesDocument document = await Client().GetAsync(_site);

        Assert.That(document.Version, Is.EqualTo(46));
        Assert.That(_server.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/", "/", "/" }));
    }

    [Test]
    public async Task GetAsync_RedirectLoop_StopsAfterFiveRedirects()
    {
        _server.Always(IpRangesServer.Redirect("/?again"));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(() => Client().GetAsync(_site))!;

        Assert.That(error.Message, Does.Contain("more than 5 redirects"));
        Assert.That(_server.Hits, Is.EqualTo(6));
    }

    [Test]
    public async Task GetAsync_DependencyInjectedClient_ChecksEveryRedirect()
    {
        var services = new ServiceCollection();
        services.AddIpRangesClient(options => options.MaxRetryAttempts = 0);
        await using ServiceProvider provider = services.BuildServiceProvider();
        _server.Always(IpRangesServer.Redirect("http://192.0.2.1/"));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(() => provider.GetRequiredService<IpRangesClient>().GetAsync(_site))!;

        Assert.That(error.Message, Does.Contain("the server redirected to http://192.0.2.1/, which is not followed"));
    }

    [Test]
    public async Task GetAsync_RedirectToAnotherHostWithInsecureHttpAllowed_IsFollowed()
    {
        IpRangesClientOptions options = FetchTesting.Options();
        options.AllowInsecureHttp = true;
        _server.Enqueue(IpRangesServer.Redirect("http://192.0.2.1/"));

        IpRangesDocument document = await IpRangesClient.Create(options, ThroughTheServerAsProxy()).GetAsync(_site);

        Assert.That(document.Version, Is.EqualTo(46));
        Assert.That(_server.Requests[^1].Host, Is.EqualTo("192.0.2.1"), "the second request went to the other host");
    }

    [Test]
    public async Task GetAsync_OwnHttpClientFollowingRedirects_RefusesWhereItEndedUp()
    {
        // A caller's own client follows redirects unchecked (here to another host, reached through the test
        // server as a proxy); nothing that comes back from there is used.
        using var http = new HttpClient(ThroughTheServerAsProxy());
        _server.Enqueue(IpRangesServer.Redirect("http://192.0.2.1/"));

        IpRangesFetchException error = Assert.ThrowsAsync<IpRangesFetchException>(() => new IpRangesClient(http).GetAsync(_site))!;

        Assert.That(error.Message, Does.Contain("the server redirected to http://192.0.2.1/, which is not followed"));
        Assert.That(_server.Requests[^1].Host, Is.EqualTo("192.0.2.1"), "the caller's handler did follow it");
    }

    [TestCase("https://a.example/", "http://127.0.0.1/", false, "may not step down from https:// to plain http://")]
    [TestCase("https://a.example/", "http://b.example/", true, null)]
    [TestCase("https://a.example/", "https://b.example/", false, null)]
    [TestCase("http://127.0.0.1/", "http://[::1]:8080/", false, null)]
    [TestCase("http://127.0.0.1/", "http://b.example/", false, "only https:// is allowed")]
    public void TransportPolicy_Redirect_FollowsTheSameRuleAsTheFirstAddress(string from, string to, bool allowInsecureHttp, string? refusal)
    {
        string? reason = TransportPolicy.RedirectRefusal(new Uri(from), new Uri(to), allowInsecureHttp)?.ToString();

        Assert.That(reason, refusal is null ? Is.Null : Does.Contain(refusal));
    }

    private string SiteDirectory => Path.Combine(_directory, $"127.0.0.1-{_server.BaseUri.Port}");

    private static IpRangesClient Client(int retries = 0)
    {
        IpRangesClientOptions options = FetchTesting.Options();
        options.MaxRetryAttempts = retries;
        return IpRangesClient.Create(options);
    }

    /// <summary>A real handler that sends every request through the test server, which serves proxy requests for any host.</summary>
    private SocketsHttpHandler ThroughTheServerAsProxy() => new() { Proxy = new WebProxy(_server.BaseUri), UseProxy = true };
}
