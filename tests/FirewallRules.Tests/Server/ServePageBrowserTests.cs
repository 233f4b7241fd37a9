using System.Globalization;
using System.Text.Json;
using FirewallRules.Notices;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// The mirror's page for people, in headless Chromium against a real <c>fwrules serve</c> on loopback that was fed every
/// real document of <c>data/ip-ranges/</c> in order by a loopback upstream, then restarted (so everything the page shows
/// after the first version comes from what the mirror stored).
/// </summary>
[TestFixture]
[Category("Server")]
[Category("Browser")]
public sealed class ServePageBrowserTests
{
    private readonly string _cache = Directory.CreateTempSubdirectory("fwrules-serve-page-").FullName;
    private IpRangesServer _upstream = null!;
    private MirrorProcess _mirror = null!;
    private IpRangesDocument[] _fed = [];

    // One browser for the fixture (a Chromium start is about 1.5 s of CPU), and one run per page and arguments, shared by the
    // tests that read different things from it (the front page's counts, its URLs and its copy button; the history's chart
    // and its diff).
    private BrowserSession _browser = null!;
    private readonly Dictionary<string, Task<JsonElement>> _runs = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public async Task FeedEveryDocumentThenRestart()
    {
        BrowserCheck.Require();
        _fed = [.. TestData.IpRangesDocuments.Select(path => IpRangesDocument.Load(path, Site.US1))];
        _upstream = await IpRangesServer.StartAsync(TestData.IpRangesDocuments[0]);
        await using (MirrorProcess feeding = await StartMirrorAsync())
        {
            using HttpClient http = MirrorClient.Create(feeding.BaseUri);
            foreach ((string path, IpRangesDocument document) in TestData.IpRangesDocuments.Zip(_fed))
            {
                _upstream.Serve(path);
                await MirrorClient.WaitUntilAsync(
                    async () => (await http.GetAsync(new Uri("healthz", UriKind.Relative))).IsSuccessStatusCode
                        && (await http.GetStringAsync(new Uri("healthz", UriKind.Relative))).Contains($"version {document.Version}\n", StringComparison.Ordinal),
                    $"the mirror never served version {document.Version}:\n{feeding.Log}");
            }

            Assert.That(await feeding.TerminateAsync(), Is.Zero);
        }

        _mirror = await StartMirrorAsync();
        await MirrorClient.WaitReadyAsync(MirrorClient.Create(_mirror.BaseUri));
        _browser = BrowserCheck.Start(_mirror.BaseUri);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        try
        {
            if (_browser is not null)
            {
                await _browser.DisposeAsync();
            }
        }
        finally
        {
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
    }

    [Test]
    public async Task FrontPage_ShowsTheVersionInForceAndEachSectionsPrefixCountAndSize_IPv6In64Networks()
    {
        JsonElement front = await PageAsync("front");

        IpRangesDocument latest = _fed[^1];
        string[] expected = [.. latest.SectionList.SelectMany(s => new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"{s.Name} IPv4 {s.Prefixes.IPv4.Count} {s.Prefixes.IPv4AddressCount:N0} addresses"),
            string.Create(CultureInfo.InvariantCulture, $"{s.Name} IPv6 {s.Prefixes.IPv6.Count} {s.Prefixes.IPv6AddressCount >> 64:N0} /64 networks"),
        })];
        Assert.That(front.GetProperty("version").GetString(), Is.EqualTo(latest.Version.ToString(CultureInfo.InvariantCulture)));
        Assert.That(front.GetProperty("counts").EnumerateArray().Select(c =>
            $"{c.GetProperty("section")} {c.GetProperty("family")} {c.GetProperty("prefixes")} {c.GetProperty("size")}"), Is.EqualTo(expected));
        BrowserCheck.AssertClean(front);
    }

    [Test]
    public async Task FrontPage_EveryUrlToPaste_ReturnsWhatItSays()
    {
        JsonElement front = await PageAsync("front");
        using HttpClient http = MirrorClient.Create(_mirror.BaseUri);
        var urls = front.GetProperty("urls").EnumerateArray().Select(u => (Appliance: u.GetProperty("appliance").GetString()!, Url: u.GetProperty("url").GetString()!)).ToList();

        Assert.That(urls.Select(u => u.Appliance).Distinct(), Is.EquivalentTo(new[] { "pfsense", "panos", "fortigate", "rules" }));
        Assert.That(front.GetProperty("refresh").GetArrayLength(), Is.EqualTo(3), "each appliance says what refresh interval to set");
        foreach ((string appliance, string url) in urls)
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri(url));
            string body = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{appliance}: {url}: {body}");
            if (appliance == "rules")
            {
                Assert.That(body, Is.Not.Empty, url);
                continue;
            }

            string section = Path.GetFileNameWithoutExtension(new Uri(url).AbsolutePath);
            Assert.That(body.Split('\n', StringSplitOptions.RemoveEmptyEntries),
                Is.EqualTo(_fed[^1][section].Prefixes.Select(p => p.ToString()).ToArray()), $"{appliance}: {url} is the section's collapsed prefixes");
        }

        Assert.That(urls.Count(u => u.Appliance == "pfsense"), Is.EqualTo(_fed[^1].SectionList.Count));
    }

    [Test]
    public async Task FrontPage_CopyButton_IsReachedWithTabAndCopiesItsUrl()
    {
        JsonElement front = await PageAsync("front");

        Assert.That(front.GetProperty("keyboardReached").GetString(), Is.Not.Null, "no copy button reached with Tab");
        Assert.That(front.GetProperty("buttonText").GetString(), Is.EqualTo("Copied"));
        Assert.That(front.GetProperty("copied").GetString(), Is.EqualTo(front.GetProperty("expectedCopy").GetString()).And.StartWith(_mirror.BaseUri.AbsoluteUri));
    }

    [Test]
    public async Task History_ListsEveryVersionFed_AfterARestart_AndEachFamilysChartHasOnePointPerVersion()
    {
        JsonElement history = await PageAsync("history", "us1", "46", "47");

        long[] versions = [.. _fed.Select(d => d.Version)];
        Assert.That(history.GetProperty("versions").EnumerateArray().Select(v => v.GetInt64()), Is.EqualTo(versions.Reverse()));
        string[] sections = [.. _fed.SelectMany(d => d.SectionList.Select(s => s.Name)).Distinct()];
        JsonElement[] chart = [.. history.GetProperty("chart").EnumerateArray()];
        foreach (string family in new[] { "IPv4", "IPv6" })
        {
            Assert.That(chart.Where(s => s.GetProperty("family").GetString() == family).Select(s => s.GetProperty("section").GetString()), Is.EquivalentTo(sections), family);
        }

        Assert.That(chart, Has.Length.EqualTo(2 * sections.Length), "one IPv4 and one IPv6 chart, nothing else");
        foreach (JsonElement series in chart)
        {
            Assert.That(series.GetProperty("points").EnumerateArray().Select(p => p.GetInt64()), Is.EqualTo(versions), series.ToString());
        }

        BrowserCheck.AssertClean(history);
    }

    [Test]
    public async Task Diff_OfV46AndV47ChosenInTheForm_ShowsExactlyWhatFwrulesDiffReports()
    {
        JsonElement history = await PageAsync("history", "us1", "46", "47");
        ToolResult cli = ExternalTool.Run(FwrulesProcess.Tool,
            ["diff", FetchTesting.Document(46), FetchTesting.Document(47)]);

        Assert.That(history.GetProperty("diffUrl").GetString(), Does.EndWith("/sites/us1/diff?from=46&to=47"));
        Assert.That(history.GetProperty("diffText").GetString()!.TrimEnd('\n'), Is.EqualTo(cli.Output.TrimEnd('\n')), cli.Error);
        string[] cliPrefixes = [.. cli.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 2 && l[0] is '+' or '-' && l[1] == ' ')
            .Select(l => l[0] + l[2..])];
        string[] pagePrefixes = [.. history.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()!.Split(' ')[1])];
        Assert.That(pagePrefixes, Is.EquivalentTo(cliPrefixes).And.Not.Empty);
    }

    [Test]
    public async Task Lookup_AddressListedNow_NamesTheSectionFamilyAndSinceWhichVersion()
    {
        IpRangesDocument latest = _fed[^1];
        var prefix = latest["synthetics"].Prefixes.First();
        long since = _fed.Reverse().TakeWhile(d => d.TryGetSection("synthetics", out var s) && s.Prefixes.Contains(prefix.BaseAddress)).Last().Version;

        JsonElement lookup = await _browser.RunAsync("lookup", prefix.BaseAddress.ToString());

        Assert.That(lookup.GetProperty("answer").GetString(), Is.EqualTo("listed"));
        JsonElement row = lookup.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("section").GetString() == "synthetics");
        Assert.That((row.GetProperty("site").GetString(), row.GetProperty("current").GetBoolean(), row.GetProperty("since").GetInt64()), Is.EqualTo(("us1", true, since)));
        BrowserCheck.AssertClean(lookup);
    }

    [Test]
    public async Task Lookup_AddressNoVersionLists_SaysNone()
    {
        JsonElement lookup = await _browser.RunAsync("lookup", "192.0.2.7");

        Assert.That(lookup.GetProperty("answer").GetString(), Is.EqualTo("none"));
        Assert.That(lookup.GetProperty("rows").GetArrayLength(), Is.Zero);
        BrowserCheck.AssertClean(lookup);
    }

    [Test]
    public async Task Lookup_AddressOnlyAnOlderVersionListed_SaysNotNowAndWhichVersions()
    {
        PrefixSet now = _fed[^1].SectionList.Aggregate(PrefixSet.Empty, (all, s) => all.Union(s.Prefixes));
        PrefixSet before = _fed[0].SectionList.Aggregate(PrefixSet.Empty, (all, s) => all.Union(s.Prefixes));
        System.Net.IPAddress gone = before.IPv4.Except(now).First().BaseAddress;

        JsonElement lookup = await _browser.RunAsync("lookup", gone.ToString());

        Assert.That(lookup.GetProperty("answer").GetString(), Is.EqualTo("older"), gone.ToString());
        bool[] current = [.. lookup.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("current").GetBoolean())];
        Assert.That(current, Is.Not.Empty);
        Assert.That(current, Is.All.False);
        BrowserCheck.AssertClean(lookup);
    }

    [Test]
    public async Task ChangesFeed_ParsesAsAtom_WithOneEntryPerVersionChange_InTheNoticesWords()
    {
        string feed = await MirrorClient.Create(_mirror.BaseUri).GetStringAsync(new Uri("v1/us1/changes.atom", UriKind.Relative));
        string file = Path.Combine(_cache, "changes.atom");
        await File.WriteAllTextAsync(file, feed);
        ToolResult parsed = ExternalTool.Run(ExternalTool.Command("python3"), ["-c",
            "import sys, xml.etree.ElementTree as E; a='{http://www.w3.org/2005/Atom}'; r=E.parse(sys.argv[1]).getroot(); assert r.tag==a+'feed'; " +
            "[print(e.find(a+'content').text) for e in r.findall(a+'entry')]", file]);

        string[] expected = [.. _fed.Zip(_fed.Skip(1)).Select(pair => ChangeNotice.Create(pair.First, pair.Second).Text).Reverse()];
        Assert.That(parsed.ExitCode, Is.Zero, parsed.Error);
        Assert.That(parsed.Output.TrimEnd('\n').Split('\n'), Is.EqualTo(expected));
    }

    [Test]
    public async Task ChangesFeed_WithoutAPublicUrl_IdIsTheUpstreamsWhateverTheHostHeader()
    {
        using HttpClient http = MirrorClient.Create(_mirror.BaseUri);
        var ids = new List<string>();
        foreach (string host in new[] { "mirror-a.internal:8080", "evil.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/us1/changes.atom");
            request.Headers.Host = host;
            using HttpResponseMessage response = await http.SendAsync(request);
            ids.Add(System.Xml.Linq.XElement.Parse(await response.Content.ReadAsStringAsync()).Element((System.Xml.Linq.XNamespace)"http://www.w3.org/2005/Atom" + "id")!.Value);
        }

        Assert.That(ids, Is.All.EqualTo(Site.US1.IpRangesUri.AbsoluteUri + "#changes"));
    }

    [Test]
    public async Task HistoryChart_SectionsLines_DifferForEveryColourVision_WithContrast_InLightAndDark()
    {
        JsonElement palette = await _browser.RunAsync("palette", "/sites/us1/history");

        foreach (string scheme in new[] { "light", "dark" })
        {
            JsonElement mode = palette.GetProperty(scheme);
            double[] background = ColourVision.Parse(mode.GetProperty("background").GetString()!);
            var lines = mode.GetProperty("series").EnumerateArray().Where(s => s.GetProperty("family").GetString() == "IPv4")
                .Select(s => (Section: s.GetProperty("section").GetString()!, Stroke: s.GetProperty("stroke").GetString()!, Dash: s.GetProperty("dash").GetString()!)).ToArray();
            Assert.That(lines.Select(l => (l.Stroke, l.Dash)).Distinct().Count(), Is.EqualTo(lines.Length), $"{scheme}: two sections drawn alike");
            foreach (var line in lines)
            {
                Assert.That(ColourVision.Contrast(ColourVision.Parse(line.Stroke), background), Is.GreaterThanOrEqualTo(3), $"{scheme}: {line.Section} {line.Stroke}");
            }

            // Lines drawn alike in colour differ in dash; the colours themselves stay apart for every vision.
            string[] colours = [.. lines.Select(l => l.Stroke).Distinct()];
            Assert.That(colours, Has.Length.EqualTo(Math.Min(8, lines.Length)), scheme);
            foreach (string vision in ColourVision.Visions.Keys)
            {
                double closest = colours.SelectMany((a, i) => colours.Skip(i + 1).Select(b => ColourVision.Difference(ColourVision.Parse(a), ColourVision.Parse(b), vision))).Min();
                Assert.That(closest, Is.GreaterThanOrEqualTo(12), $"{scheme}, {vision}: two sections' colours look alike (CIE76 ΔE)");
            }
        }

        BrowserCheck.AssertClean(palette);
    }

    [Test]
    public async Task Pages_HaveNoAccessibilityViolation_InLightAndDark()
    {
        JsonElement axe = await _browser.RunAsync("axe", "/", "/sites/us1/history", "/sites/us1/diff?from=46&to=47", "/lookup?q=3.233.150.7");

        string[] bad = [.. axe.GetProperty("violations").EnumerateArray().Select(v => v.ToString())];
        Assert.That(bad, Is.Empty);
        BrowserCheck.AssertClean(axe);
    }

    [Test]
    public async Task Pages_Screenshots_LightAndDark_DesktopAnd360px_NothingWiderThanTheScreen()
    {
        JsonElement shots = await _browser.RunAsync("screenshots", BrowserCheck.Artifacts,
            "front=/", "history=/sites/us1/history", "diff=/sites/us1/diff?from=46&to=47", "lookup=/lookup?q=3.233.150.7");

        string[] files = BrowserCheck.Strings(shots, "files");
        Assert.That(files, Has.Length.EqualTo(16));
        Assert.That(files.Select(f => new FileInfo(f).Length), Is.All.GreaterThan(1000));
        Assert.That(BrowserCheck.Strings(shots, "overflow"), Is.Empty, "a page is wider than its screen");
        BrowserCheck.AssertClean(shots);
    }

    [Test]
    public async Task DocumentationScreenshots_FrontHistoryAndLookup_FitTheScreen()
    {
        // tests/e2e/update-screenshots.sh sets UPDATE_SCREENSHOTS=1: they then replace docs/images/mirror-*.png, which the
        // Mirror page of the documentation shows; otherwise they go to the artifacts.
        string directory = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(TestData.RepositoryRoot, "docs", "images")
            : BrowserCheck.Artifacts;
        string listed = _fed[^1]["api"].Prefixes.IPv4.First().BaseAddress.ToString();

        JsonElement shots = await _browser.RunAsync("documentation", directory,
            "front=/", "history=/sites/us1/history", $"lookup=/lookup?q={listed}");

        Assert.That(BrowserCheck.Strings(shots, "files").Select(Path.GetFileName), Is.EqualTo(new[] { "mirror-front.png", "mirror-history.png", "mirror-lookup.png" }));
        Assert.That(BrowserCheck.Strings(shots, "files").Select(f => new FileInfo(f).Length), Is.All.GreaterThan(10_000));
        Assert.That(BrowserCheck.Strings(shots, "overflow"), Is.Empty, "a page is wider than its screen");
        BrowserCheck.AssertClean(shots);
    }

    private Task<JsonElement> PageAsync(string command, params string[] args)
    {
        string key = string.Join(' ', [command, .. args]);
        lock (_runs)
        {
            if (!_runs.TryGetValue(key, out Task<JsonElement>? run))
            {
                _runs[key] = run = _browser.RunAsync(command, args);
            }

            return run;
        }
    }

    private Task<MirrorProcess> StartMirrorAsync() => MirrorProcess.StartAsync(
        "--site", "us1", "--base-url", _upstream.BaseUri.AbsoluteUri, "--cache", _cache, "--refresh", "1s", "--retries", "0");
}
