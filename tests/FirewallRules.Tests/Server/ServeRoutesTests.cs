using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using FirewallRules.Emitters;
using FirewallRules.Ranges;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// Every route of a running <c>fwrules serve</c> (the built tool, on 127.0.0.1), mirroring a real document
/// (v52) from a local upstream, asked by real clients: HttpClient, curl, and the tool's own fetch.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeRoutesTests
{
    private const int Version = 52;
    private IpRangesServer _upstream = null!;
    private MirrorProcess _mirror = null!;
    private HttpClient _http = null!;
    private string _work = null!;
    private byte[] _document = null!;

    private static IEnumerable<string> Formats => EmitterRegistry.Default.Formats.Select(f => f.Format);

    [OneTimeSetUp]
    public async Task StartMirror()
    {
        _work = Directory.CreateTempSubdirectory("fwrules-serve-").FullName;
        _document = await File.ReadAllBytesAsync(FetchTesting.Document(Version));
        _upstream = await IpRangesServer.StartAsync(FetchTesting.Document(Version));
        _mirror = await MirrorProcess.StartAsync("--site", "us1", "--base-url", _upstream.BaseUri.AbsoluteUri, "--cache", Path.Combine(_work, "cache"));
        _http = MirrorClient.Create(_mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(_http);
    }

    [OneTimeTearDown]
    public async Task StopMirror()
    {
        _http.Dispose();
        await _mirror.DisposeAsync();
        await _upstream.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    /// <summary>
    /// Without a public URL the page's and the feed's absolute links follow the Host header a client sent, in that client's answer
    /// alone: each is sent for revalidation only (<c>no-cache</c>) with an entity tag of its own body, so a cache that stored the
    /// answer to a forged Host, asked again with it for another client, gets that client's links, never a 304.
    /// </summary>
    [TestCase("")]
    [TestCase("v1/us1/changes.atom")]
    public async Task PageAndFeed_WithoutAPublicUrl_LinksOfAForgedHost_AreNeverRevalidatedForAnotherClient(string path)
    {
        const string Forged = "evil.example:666";
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        forged.Headers.Host = Forged;
        using HttpResponseMessage poisoned = await _http.SendAsync(forged);
        string poisonedBody = await poisoned.Content.ReadAsStringAsync();
        Assert.That(poisonedBody, Does.Contain("http://" + Forged + "/v1/us1/"), "the forged Host's answer holds its links");
        Assert.That(poisoned.Headers.CacheControl?.NoCache == true || poisoned.Headers.CacheControl?.NoStore == true, Is.True,
            $"the answer is not served from a cache without asking: Cache-Control {poisoned.Headers.CacheControl}");

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (poisoned.Headers.ETag is { } tag)
        {
            revalidate.Headers.IfNoneMatch.Add(tag);
        }

        using HttpResponseMessage answer = await _http.SendAsync(revalidate);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a cache revalidating the forged answer for another client");
        string body = await answer.Content.ReadAsStringAsync();
        Assert.That(body, Does.Not.Contain("evil.example"));
        Assert.That(body, Does.Contain(_mirror.BaseUri.GetLeftPart(UriPartial.Authority) + "/v1/us1/"));
    }

    /// <summary>HTTP/1.0 allows a request without a Host header: the links then name the address and port the client connected to.</summary>
    [TestCase("/")]
    [TestCase("/v1/us1/changes.atom")]
    public async Task PageAndFeed_RequestWithoutAHostHeader_LinkToTheAddressItReached(string path)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _mirror.BaseUri.Port);
        await using System.Net.Sockets.NetworkStream stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\n\r\n"));
        string answer = await new StreamReader(stream).ReadToEndAsync();

        Assert.That(answer, Does.StartWith("HTTP/1.1 200"));
        Assert.That(answer, Does.Contain($"http://127.0.0.1:{_mirror.BaseUri.Port}/v1/us1/"));
        Assert.That(answer, Does.Not.Contain("http:///"));
    }

    [TestCase("v1/us1/ip-ranges.json")]
    [TestCase("v1/us1/")]
    [TestCase("v1/US1/ip-ranges.json")]
    [TestCase("v1/datadoghq.com/ip-ranges.json")]
    public async Task Document_IsTheUpstreamDocumentByteForByte(string path)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(_document));
    }

    [Test]
    public async Task Section_EverySection_IsThatSectionOfTheDocument()
    {
        var document = IpRangesDocument.Parse(_document);
        foreach (IpRangesSection expected in document.SectionList)
        {
            byte[] body = await _http.GetByteArrayAsync(new Uri($"v1/us1/{expected.Name}.json", UriKind.Relative));
            IpRangesSection served = IpRangesSection.Parse(expected.Name, body);

            Assert.That(served.ListedIPv4, Is.EqualTo(expected.ListedIPv4), expected.Name);
            Assert.That(served.ListedIPv6, Is.EqualTo(expected.ListedIPv6), expected.Name);
            Assert.That(served.PrefixesByLocation.Keys, Is.EquivalentTo(expected.PrefixesByLocation.Keys), expected.Name);
        }
    }

    [Test]
    public async Task FetchThroughTheMirror_StoresTheDocumentAsDatadogServedIt()
    {
        string cache = Path.Combine(_work, "fetch-cache");
        string baseUrl = _mirror.Site("us1").AbsoluteUri;

        ProcessResult first = await FwrulesProcess.RunAsync(null, "fetch", "--base-url", baseUrl, "--cache", cache);
        ProcessResult second = await FwrulesProcess.RunAsync(null, "fetch", "--base-url", baseUrl, "--cache", cache);
        IpRangesSection logs = await IpRangesClient.Create().GetSectionAsync(Site.Custom(_mirror.Site("us1")), Section.Logs);

        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(Directory.GetFiles(cache, $"v{Version}.json", SearchOption.AllDirectories).Select(File.ReadAllBytes).Single(), Is.EqualTo(_document));
        Assert.That(second.ExitCode, Is.Zero, second.Error);
        Assert.That(second.Output, Does.StartWith("not modified"), "the second fetch is a conditional GET answered 304");
        Assert.That(logs.Prefixes, Is.EqualTo(IpRangesDocument.Parse(_document)[Section.Logs].Prefixes));
    }

    [TestCase("ipv4")]
    [TestCase("ipv6")]
    [TestCase("both")]
    public async Task List_IsWhatGenerateListPrints(string family)
    {
        string served = await _http.GetStringAsync(new Uri($"v1/us1/lists/agents.txt?family={family}", UriKind.Relative));
        ProcessResult generated = await FwrulesInProcess.RunAsync(null,
            "generate", "--format", "list", "--input", FetchTesting.Document(Version), "--section", "agents", "--family", family, "--no-comments");

        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        Assert.That(served, Is.EqualTo(generated.Output));
        Assert.That(served, Does.Not.Contain("#"), "no comments unless asked: Palo Alto's external dynamic lists take none");
    }

    [Test]
    public async Task List_IsTheSectionsPrefixesAggregated()
    {
        string served = await _http.GetStringAsync(new Uri("v1/us1/lists/synthetics.txt", UriKind.Relative));

        Assert.That(PrefixSet.Parse(served), Is.EqualTo(IpRangesDocument.Parse(_document)[Section.Synthetics].Prefixes));
        Assert.That(served, Is.EqualTo(IpRangesDocument.Parse(_document)[Section.Synthetics].Prefixes.ToString()));
    }

    [Test]
    public async Task List_WithComments_StartsWithAHeaderNamingTheSiteVersionAndDate()
    {
        string served = await _http.GetStringAsync(new Uri("v1/us1/lists/logs.txt?comments=true", UriKind.Relative));
        string[] header = served.Split('\n').TakeWhile(line => line.StartsWith('#')).ToArray();

        Assert.That(string.Join('\n', header), Does.Contain("version 52").And.Contain("2022-11-14T22:00:00Z").And.Contain("US1 (datadoghq.com)"));
        Assert.That(PrefixSet.Parse(served), Is.EqualTo(IpRangesDocument.Parse(_document)[Section.Logs].Prefixes));
    }

    [TestCaseSource(nameof(Formats))]
    public async Task Rules_EveryFormat_IsWhatTheLibraryRenders(string format)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri($"v1/us1/rules/{format}?section=logs,apm", UriKind.Relative));
        var document = IpRangesDocument.Parse(_document, Site.US1);
        string expected = RuleSet.For(document, ["logs", "apm"]).Render(EmitterRegistry.Default.Create(format));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
        Assert.That(response.Content.Headers.ContentType?.MediaType,
            Is.EqualTo(format is "aws-cloudformation" or "aws-network-firewall" or "aws-waf" or "azure-arm" ? "application/json" : "text/plain"));
    }

    [TestCase("", "egress")]
    [TestCase("?direction=ingress", "ingress")]
    public async Task Rules_WithoutSections_CoverEverySectionOfTheDirection(string query, string direction)
    {
        string served = await _http.GetStringAsync(new Uri($"v1/us1/rules/nftables{query}", UriKind.Relative));
        ProcessResult generated = await FwrulesInProcess.RunAsync(
            null, "generate", "--format", "nftables", "--live", "--base-url", _upstream.BaseUri.AbsoluteUri, "--direction", direction);

        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        Assert.That(Body(served), Is.EqualTo(Body(generated.Output)), "the same rules; only the header's site differs (US1 here, the upstream's address there)");

        static string Body(string text) => string.Join('\n', text.Split('\n').Where(line => !line.StartsWith("# Source:", StringComparison.Ordinal)));
    }

    [Test]
    public async Task Rules_AskedTwice_AreRenderedOnce()
    {
        var rules = new Uri("v1/us1/rules/iptables?section=webhooks&name=once", UriKind.Relative);
        double before = await MirrorClient.MetricAsync(_http, "fwrules_mirror_renders_total{site=\"us1\"}");
        string first = await _http.GetStringAsync(rules);
        double afterFirst = await MirrorClient.MetricAsync(_http, "fwrules_mirror_renders_total{site=\"us1\"}");
        string second = await _http.GetStringAsync(rules);
        double afterSecond = await MirrorClient.MetricAsync(_http, "fwrules_mirror_renders_total{site=\"us1\"}");

        Assert.That(second, Is.EqualTo(first));
        Assert.That(afterFirst - before, Is.EqualTo(1));
        Assert.That(afterSecond, Is.EqualTo(afterFirst), "the second request is served from the cache of this version");
    }

    [TestCase("v1/us1/ip-ranges.json")]
    [TestCase("v1/us1/logs.json")]
    [TestCase("v1/us1/lists/logs.txt")]
    [TestCase("v1/us1/rules/nftables?section=logs")]
    public async Task ConditionalGet_WithTheETagOrTheDate_IsNotModified(string path)
    {
        var uri = new Uri(path, UriKind.Relative);
        using HttpResponseMessage full = await _http.GetAsync(uri);
        EntityTagHeaderValue etag = full.Headers.ETag!;
        DateTimeOffset modified = full.Content.Headers.LastModified!.Value;

        using HttpResponseMessage byTag = await SendAsync(uri, request => request.Headers.IfNoneMatch.Add(etag));
        using HttpResponseMessage byWeakTag = await SendAsync(uri, request => request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag, isWeak: true)));
        using HttpResponseMessage byDate = await SendAsync(uri, request => request.Headers.IfModifiedSince = modified);
        using HttpResponseMessage otherTag = await SendAsync(uri, request => request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\"")));
        using HttpResponseMessage olderDate = await SendAsync(uri, request => request.Headers.IfModifiedSince = modified.AddSeconds(-1));

        Assert.That(modified, Is.EqualTo(new DateTimeOffset(2022, 11, 14, 22, 0, 0, TimeSpan.Zero)), "the document's own date");
        Assert.That(byTag.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(byTag.Headers.ETag, Is.EqualTo(etag));
        Assert.That(await byTag.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(byWeakTag.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(byDate.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(otherTag.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(olderDate.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("v1/us1/ip-ranges.json")]
    [TestCase("v1/us1/rules/terraform?section=logs")]
    public async Task Gzip_WhenAccepted_DecompressesToTheSameBytesUnderItsOwnETag(string path)
    {
        var uri = new Uri(path, UriKind.Relative);
        using HttpResponseMessage plain = await _http.GetAsync(uri);
        using HttpResponseMessage gzip = await SendAsync(uri, request => request.Headers.AcceptEncoding.ParseAdd("gzip"));
        using HttpResponseMessage refused = await SendAsync(uri, request => request.Headers.AcceptEncoding.ParseAdd("gzip;q=0"));
        using HttpResponseMessage revalidated = await SendAsync(uri, request => request.Headers.IfNoneMatch.Add(gzip.Headers.ETag!));

        await using var unzip = new GZipStream(await gzip.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        await unzip.CopyToAsync(decompressed);
        Assert.That(gzip.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(gzip.Content.Headers.ContentLength, Is.LessThan(plain.Content.Headers.ContentLength!.Value));
        Assert.That(decompressed.ToArray(), Is.EqualTo(await plain.Content.ReadAsByteArrayAsync()));
        Assert.That(gzip.Headers.ETag, Is.Not.EqualTo(plain.Headers.ETag), "a strong tag names one representation");
        Assert.That(gzip.Headers.Vary, Does.Contain("Accept-Encoding"));
        Assert.That(refused.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), "a client that cached the gzip form revalidates with its tag");
    }

    [TestCase("v1/us1/ip-ranges.json")]
    [TestCase("v1/us1/lists/logs.txt")]
    [TestCase("healthz")]
    public async Task Head_HasTheHeadersOfGetAndNoBody(string path)
    {
        var uri = new Uri(path, UriKind.Relative);
        using HttpResponseMessage get = await _http.GetAsync(uri);
        using HttpResponseMessage head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, uri));

        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Headers.ETag, Is.EqualTo(get.Headers.ETag));
        Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(get.Content.Headers.ContentLength));
        Assert.That(head.Content.Headers.LastModified, Is.EqualTo(get.Content.Headers.LastModified));
        Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [TestCase("v1/eu1/ip-ranges.json", 404, "unknown site 'eu1': this mirror serves us1")]
    [TestCase("v1/us1/nothing.json", 404, "has no section 'nothing': it has agents, api,")]
    [TestCase("v1/us1/lists/nothing.txt", 404, "has no section 'nothing'")]
    [TestCase("v1/us1/rules/pf", 404, "unknown format 'pf': use one of aerleon, apache, aws-cloudformation,")]
    [TestCase("v1/us1/rules/nftables?section=nothing", 404, "has no section 'nothing'")]
    [TestCase("v1/us1/rules/nftables?section=%1B%5B31mX%1B%5D0;x%07", 404, "has no section '\\u001B[31mX\\u001B]0;x\\u0007'")]
    [TestCase("v1/us1/%1B%5B2J.json", 404, "has no section '\\u001B[2J'")]
    [TestCase("v1/us1/lists/", 404, "not found: '/v1/us1/lists/'. Routes:")]
    [TestCase("nothing-here", 404, "not found: '/nothing-here'")]
    [TestCase("v1/", 404, "not found")]
    [TestCase("v1/us1/lists/logs.txt?family=ipv5", 400, "family 'ipv5': use ipv4, ipv6 or both")]
    [TestCase("v1/us1/lists/logs.txt?family=ipv4&family=ipv6", 400, "family is given 2 times")]
    [TestCase("v1/us1/ip-ranges.json?x=1", 400, "unknown parameter 'x': this address takes none")]
    [TestCase("v1/us1/rules/nftables?direction=up", 400, "direction 'up': use egress or ingress")]
    [TestCase("v1/us1/rules/nftables?section=", 400, "section names none: name one or more")]
    [TestCase("v1/us1/rules/nftables?section=,&section=", 400, "section names none: name one or more")]
    [TestCase("v1/us1/rules/nftables?name=a;b", 400, "name 'a;b'")]
    [TestCase("v1/us1/lists/webhooks.txt?family=ipv6", 422, "webhooks list no IPv6 prefixes: refusing")]
    public async Task BadRequest_GetsItsStatusAndAOneLineReason(string path, int status, string reason)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(body, Does.Contain(reason));
        Assert.That(body.TrimEnd('\n'), Does.Not.Contain('\n'));
        Assert.That(body.TrimEnd('\n').Where(char.IsControl), Is.Empty, "a control character of the request sent back");
        Assert.That(response.Headers.ETag, Is.Null);
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task OtherMethods_AreRefusedWith405AndBodiesWith413()
    {
        using HttpResponseMessage post = await _http.PostAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative), new StringContent("x"));
        using HttpResponseMessage delete = await _http.DeleteAsync(new Uri("healthz", UriKind.Relative));
        using var withBody = new HttpRequestMessage(HttpMethod.Get, new Uri("v1/us1/ip-ranges.json", UriKind.Relative)) { Content = new StringContent("x") };
        using HttpResponseMessage get = await _http.SendAsync(withBody);

        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(post.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "HEAD" }));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task OversizedRequest_IsRefusedByTheServer()
    {
        using HttpResponseMessage longLine = await _http.GetAsync(new Uri("v1/us1/lists/logs.txt?family=" + new string('a', 8000), UriKind.Relative));
        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, new Uri("healthz", UriKind.Relative));
        bigHeaders.Headers.Add("X-Padding", new string('a', 20_000));
        using HttpResponseMessage headers = await _http.SendAsync(bigHeaders);

        Assert.That((int)longLine.StatusCode, Is.EqualTo(414));
        Assert.That((int)headers.StatusCode, Is.EqualTo(431));
    }

    [Test]
    public async Task Healthz_WhenEverySiteHasADocument_IsReady()
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("ready: us1 version 52\n"));
    }

    [Test]
    public async Task Metrics_AreValidPrometheusTextWithTheVersionAndTheRequests()
    {
        await _http.GetAsync(new Uri("v1/us1/lists/logs.txt", UriKind.Relative));
        using HttpResponseMessage response = await _http.GetAsync(new Uri("metrics", UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();
        string file = Path.Combine(_work, "metrics.txt");
        await File.WriteAllTextAsync(file, text);

        // The Prometheus project's own Python client parses the text back (Debian's python3-prometheus-client).
        ToolResult parsed = ExternalTool.Run(ExternalTool.SystemPython("prometheus_client"), ["-c", """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    print(family.type, sample.name, sorted(sample.labels.items()), sample.value)
            """, file]);

        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        Assert.That(parsed.ExitCode, Is.Zero, parsed.Error);
        Assert.That(parsed.Output, Does.Contain("gauge fwrules_mirror_document_version [('site', 'us1')] 52.0"));
        Assert.That(parsed.Output, Does.Contain("gauge fwrules_mirror_ready [('site', 'us1')] 1.0"));
        Assert.That(parsed.Output, Does.Contain("counter fwrules_mirror_fetches_total [('result', 'updated'), ('site', 'us1')] 1.0"));
        Assert.That(parsed.Output, Does.Match(@"counter fwrules_mirror_requests_total \[\('code', '200'\), \('route', 'list'\)\] [1-9]"));
        Assert.That(parsed.Output, Does.Match(@"gauge fwrules_mirror_document_age_seconds \[\('site', 'us1'\)\] [1-9]"));
    }

    [TestCase("v1/us1/ip-ranges.json")]
    [TestCase("v1/us1/")]
    [TestCase("v1/us1/synthetics-private-locations.json")]
    [TestCase("v1/us1/lists/agents.txt?family=ipv4")]
    [TestCase("v1/us1/lists/synthetics.txt?comments=true")]
    [TestCase("v1/us1/rules/nftables?section=logs&direction=egress")]
    [TestCase("v1/us1/rules/azure-arm?section=webhooks")]
    [TestCase("v1/us1/rules/list?section=logs,apm&family=ipv6")]
    [TestCase("v1/us1/rules/capirca?section=logs,apm")]
    [TestCase("v1/us1/rules/aerleon?section=synthetics&family=ipv4")]
    [TestCase("healthz")]
    public async Task Curl_EveryRoute_GetsTheBodyCompressedOrNotAndRevalidatesWith304(string path)
    {
        string curl = ExternalTool.Command("curl");
        string url = new Uri(_mirror.BaseUri, path).AbsoluteUri;
        string etag = Path.Combine(_work, $"etag-{Guid.NewGuid():N}");
        string plain = Path.Combine(_work, $"plain-{Guid.NewGuid():N}");
        string compressed = Path.Combine(_work, $"gzip-{Guid.NewGuid():N}");

        ToolResult get = ExternalTool.Run(curl, ["-sS", "--etag-save", etag, "-o", plain, "-w", "%{http_code}", url]);
        ToolResult gzip = ExternalTool.Run(curl, ["-sS", "--compressed", "-o", compressed, "-w", "%{http_code}", url]);
        ToolResult revalidate = ExternalTool.Run(curl, ["-sS", "--etag-compare", etag, "-o", "/dev/null", "-w", "%{http_code}", url]);
        ToolResult head = ExternalTool.Run(curl, ["-sS", "--head", url]);

        Assert.That(get.Output, Is.EqualTo("200"), get.Error);
        Assert.That(await File.ReadAllBytesAsync(plain), Is.EqualTo(await _http.GetByteArrayAsync(new Uri(path, UriKind.Relative))));
        Assert.That(gzip.Output, Is.EqualTo("200"), gzip.Error);
        Assert.That(await File.ReadAllBytesAsync(compressed), Is.EqualTo(await File.ReadAllBytesAsync(plain)));
        Assert.That(revalidate.Output, Is.EqualTo("304"), revalidate.Error);
        Assert.That(head.Output, Does.StartWith("HTTP/1.1 200 OK").And.Contain("ETag: \"").And.Contain($"Content-Length: {new FileInfo(plain).Length}"));
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, Action<HttpRequestMessage> configure)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        configure(request);
        return await _http.SendAsync(request);
    }
}
