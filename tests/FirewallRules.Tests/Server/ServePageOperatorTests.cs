using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// The mirror's pages read by an operator at a glance, over HTTP from a real <c>fwrules serve</c> on loopback configured
/// with a public URL: IPv6 sizes in /64 networks (as <c>fwrules diff</c> counts them), dates in ISO 8601 UTC rather than
/// Datadog's raw <c>modified</c> text, how the last fetch ended in words rather than a metric label, a changes feed
/// whose id does not follow the request's Host header, and no footer about lists on a page that shows none.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed partial class ServePageOperatorTests
{
    private const string PublicUrl = "https://mirror.example.com";
    private const string Rollbacks = "fwrules_mirror_fetches_total{site=\"us1\",result=\"rollback\"}";

    private readonly string _cache = Directory.CreateTempSubdirectory("fwrules-serve-operator-").FullName;
    private IpRangesServer _upstream = null!;
    private MirrorProcess _mirror = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        string config = Path.Combine(_cache, "serve.json");
        await File.WriteAllTextAsync(config, $$$"""{"Serve": {"PublicUrl": "{{{PublicUrl}}}"}}""");
        _upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        _mirror = await MirrorProcess.StartAsync(
            "--config", config, "--site", "us1", "--base-url", _upstream.BaseUri.AbsoluteUri, "--cache", Path.Combine(_cache, "store"),
            "--refresh", "1s", "--retries", "0");
        _http = MirrorClient.Create(_mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(_http);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http?.Dispose();
        if (_mirror is not null)
        {
            await _mirror.DisposeAsync();
        }

        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        Directory.Delete(_cache, recursive: true);
    }

    [Test]
    public async Task FrontPage_IPv6Sizes_AreCountedIn64Networks_IPv4SizesInAddresses()
    {
        string page = await _http.GetStringAsync(new Uri("/", UriKind.Relative));

        IpRangesDocument served = IpRangesDocument.Load(FetchTesting.Document(47), Site.US1);
        Dictionary<string, string> shown = SizeCells().Matches(page).ToDictionary(m => $"{m.Groups["section"]} {m.Groups["family"]}", m => m.Groups["size"].Value);
        foreach (var section in served.SectionList)
        {
            UInt128 slash64s = section.Prefixes.IPv6AddressCount >> 64;
            Assert.That(shown[$"{section.Name} IPv6"], Is.EqualTo(string.Format(CultureInfo.InvariantCulture, "{0:N0} /64 network{1}", slash64s, slash64s == 1 ? "" : "s")));
            Assert.That(shown[$"{section.Name} IPv4"], Is.EqualTo(string.Format(CultureInfo.InvariantCulture, "{0:N0} addresses", section.Prefixes.IPv4AddressCount)));
        }
    }

    [Test]
    public async Task FrontPageAndHistory_ShowModifiedAsIso8601InUtc_NotDatadogsRawText()
    {
        string front = await _http.GetStringAsync(new Uri("/", UriKind.Relative));
        string history = await _http.GetStringAsync(new Uri("sites/us1/history", UriKind.Relative));

        // Version 47 was published with "modified": "2022-01-25-20-00-00".
        Assert.That(front, Does.Contain("<dd class=\"modified\"><time datetime=\"2022-01-25T20:00:00Z\">2022-01-25T20:00:00Z</time></dd>"));
        Assert.That(history, Does.Contain("<td><time datetime=\"2022-01-25T20:00:00Z\">2022-01-25T20:00:00Z</time></td>")
            .And.Contain("47 (2022-01-25T20:00:00Z)</option>"));
        Assert.That(front + history, Does.Not.Contain("2022-01-25-20-00-00"));
        Assert.That(IsoTimes().Matches(front + history).Select(m => m.Groups[1].Value), Is.All.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").And.Not.Empty);
    }

    [Test]
    public async Task FrontPage_HowTheLastFetchEnded_IsWordsNotAMetricLabel()
    {
        await MirrorClient.WaitUntilAsync(
            async () => await MirrorClient.MetricAsync(_http, "fwrules_mirror_fetches_total{site=\"us1\",result=\"not_modified\"}") >= 1, "no fetch ended not modified");
        string confirmed = await _http.GetStringAsync(new Uri("/", UriKind.Relative));

        _upstream.Serve(FetchTesting.Document(46));
        await MirrorClient.WaitUntilAsync(
            async () => await MirrorClient.MetricAsync(_http, "fwrules_mirror_fetches_total{site=\"us1\",result=\"rollback\"}") >= 1, "no rollback refused");
        string refused = await _http.GetStringAsync(new Uri("/", UriKind.Relative));
        _upstream.Serve(FetchTesting.Document(47));

        Assert.That(confirmed, Does.Contain("(not modified upstream: the version in force is current)").And.Not.Contain("not_modified"));
        Assert.That(refused, Does.Contain("(refused: a lower version than the one served)")
            .And.Contain("<dd class=\"health bad\">degraded: serving version 47 unconfirmed; the last fetch: refused: a lower version than the one served (")
            .And.Not.Contain("(rollback)").And.Not.Contain("ended rollback"));
    }

    [Test]
    public async Task Refused_ThePageHealthzAndMetricsSayDegraded_UntilTheUpstreamConfirmsTheVersionAgain()
    {
        double refusals = await MirrorClient.MetricAsync(_http, Rollbacks);
        _upstream.Serve(FetchTesting.Document(46));
        string page, health;
        double degraded;
        try
        {
            await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(_http, Rollbacks) > refusals, "no rollback refused");
            page = await _http.GetStringAsync(new Uri("/", UriKind.Relative));
            health = await _http.GetStringAsync(new Uri("healthz", UriKind.Relative));
            degraded = await MirrorClient.MetricAsync(_http, "fwrules_mirror_degraded{site=\"us1\"}");
        }
        finally
        {
            _upstream.Serve(FetchTesting.Document(47));
        }

        Assert.That(page, Does.Contain("<dd class=\"health bad\">degraded: serving version 47 unconfirmed; the last fetch: refused: ").And.Not.Contain("healthy"));
        Assert.That(health, Does.StartWith("degraded: us1 version 47 (serving version 47 unconfirmed; the last fetch: refused: "));
        Assert.That(degraded, Is.EqualTo(1));
        await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(_http, "fwrules_mirror_degraded{site=\"us1\"}") == 0, "never confirmed again");
        Assert.That(await _http.GetStringAsync(new Uri("/", UriKind.Relative)), Does.Contain("<dd class=\"health ok\">healthy: the upstream confirmed the version in force"));
        Assert.That(await _http.GetStringAsync(new Uri("healthz", UriKind.Relative)), Is.EqualTo("ready: us1 version 47\n"));
    }

    [Test]
    public async Task ChangesFeed_Id_IsUnderTheConfiguredPublicUrl_WhateverTheHostHeader()
    {
        string[] ids = new string[2];
        string[] selves = new string[2];
        foreach ((string host, int i) in new[] { ("mirror-a.internal:8080", 0), ("evil.example", 1) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/us1/changes.atom");
            request.Headers.Host = host;
            using HttpResponseMessage response = await _http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), host);
            XElement feed = XElement.Parse(await response.Content.ReadAsStringAsync());
            XNamespace atom = "http://www.w3.org/2005/Atom";
            ids[i] = feed.Element(atom + "id")!.Value;
            selves[i] = feed.Elements(atom + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value;
        }

        Assert.That(ids, Is.All.EqualTo($"{PublicUrl}/v1/us1/changes.atom"));
        Assert.That(selves, Is.All.EqualTo($"{PublicUrl}/v1/us1/changes.atom"));
    }

    [Test]
    public async Task LookupPage_ShowsNoFooterAboutListsAndRules_TheFrontPageDoes()
    {
        string front = await _http.GetStringAsync(new Uri("/", UriKind.Relative));

        foreach (string lookup in new[] { "lookup", "lookup?q=192.0.2.7", "lookup?q=nonsense" })
        {
            string page = await _http.GetStringAsync(new Uri(lookup, UriKind.Relative));
            Assert.That(Footer(page), Does.Not.Contain("lists and rules"), lookup);
        }

        Assert.That(Footer(front), Does.Contain("The lists and rules above are what this mirror serves to machines."));
    }

    private static string Footer(string page) => page[page.IndexOf("<footer>", StringComparison.Ordinal)..];

    [GeneratedRegex("""<tr data-section="(?<section>[^"]+)" data-family="(?<family>IPv[46])">.*?<td class="n size">(?<size>[^<]*)</td></tr>""")]
    private static partial Regex SizeCells();

    [GeneratedRegex("""<time datetime="[^"]*">([^<]*)</time>""")]
    private static partial Regex IsoTimes();
}
