using System.Text.Json.Nodes;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Server;

/// <summary>
/// <c>fwrules serve</c> offline, for a first look and for an air-gapped site: <c>--offline</c> serves the embedded snapshot
/// (never stored), <c>--input FILE</c> saved documents of the one site, vetted into the store as fetched ones are and read
/// again at every refresh; a file it cannot use is one line and a count, the last good document stays in service.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeOfflineTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private string Cache => Path.Combine(_files.DirectoryPath, "cache");

    [Test]
    public async Task Offline_NothingStored_ServesTheEmbeddedSnapshotAndStoresNothing()
    {
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--offline", "--cache", Cache);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);

        await MirrorClient.WaitReadyAsync(http);
        byte[] served = await http.GetByteArrayAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative));

        Assert.That(served, Is.EqualTo(IpRangesDocument.Embedded.Utf8Json.ToArray()));
        Assert.That(await MirrorClient.MetricAsync(http, "fwrules_mirror_document_version{site=\"us1\"}"), Is.EqualTo(IpRangesDocument.Embedded.Version));
        Assert.That(mirror.Log, Does.Contain("us1: serving version 59, the snapshot embedded in fwrules (old: give current documents with --input), offline"));
        Assert.That(Directory.Exists(Cache) ? Directory.EnumerateFiles(Cache, "*", SearchOption.AllDirectories) : [], Is.Empty, "a first look leaves nothing in the cache");
    }

    [Test]
    public async Task Offline_ThePageHealthzAndMetrics_SayDegradedNeverConfirmedByAnUpstream()
    {
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--offline", "--cache", Cache);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(http, Imports("updated")) >= 1, "the snapshot was never loaded");

        string page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        string health = await http.GetStringAsync(new Uri("healthz", UriKind.Relative));
        string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));

        Assert.That(page, Does.Not.Contain("confirmed the version").And.Contain("<dd class=\"confirmed\">never: offline, no upstream</dd>"));
        Assert.That(page, Does.Contain(
            "<dd class=\"health bad\">degraded: offline, serving version 59 unconfirmed (no upstream); the last refresh: version 59, the snapshot embedded"));
        Assert.That(health, Does.StartWith("degraded: us1 version 59 (offline, serving version 59 unconfirmed (no upstream)"));
        Assert.That(await MirrorClient.MetricAsync(http, "fwrules_mirror_degraded{site=\"us1\"}"), Is.EqualTo(1));
        Assert.That(metrics, Does.Not.Contain("fwrules_mirror_last_fetch_success{").And.Not.Contain("fwrules_mirror_last_fetch_timestamp_seconds{")
            .And.Not.Contain("fwrules_mirror_fetches_total{"), "an offline mirror fetches nothing, and says no fetch succeeded");
        Assert.That(metrics, Does.Contain("\nfwrules_mirror_last_import_success{site=\"us1\"} 1\n")
            .And.Contain("\nfwrules_mirror_imports_total{site=\"us1\",result=\"updated\"} 1\n"));
        Assert.That(page, Does.Not.Contain("Last fetched").And.Contain("<dt>Last read (offline)</dt>"));
    }

    [Test]
    public async Task Input_TwoVersionsInAnyOrder_ServesTheNewestAndStoresBoth()
    {
        string newer = Write("v61.json", NextOfTheSnapshot(61));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--input", newer, "--input", Write("v60.json", NextOfTheSnapshot(60)), "--cache", Cache);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);

        await MirrorClient.WaitReadyAsync(http);
        byte[] served = await http.GetByteArrayAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative));

        Assert.That(served, Is.EqualTo(await File.ReadAllBytesAsync(newer)));
        Assert.That(Directory.EnumerateFiles(Cache, "v*.json", SearchOption.AllDirectories).Select(Path.GetFileName), Is.EquivalentTo(new[] { "v60.json", "v61.json" }));
        Assert.That(mirror.Log, Does.Contain($"us1: serving version 61 from {newer}, offline"));
    }

    [Test]
    public async Task Input_OlderThanTheSnapshotShippedInFwrules_IsRefusedAsARollbackAndNothingIsServed()
    {
        string old = FetchTesting.Document(47);
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--input", old, "--cache", Cache, "--refresh", "1h");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);

        await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(http, Imports("rollback")) >= 1, "the old file was not refused");
        // A cold start retries a fetch after 0.5-1 s, then 1-2 s: a file is not read again before the next refresh.
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.That(await MirrorClient.MetricAsync(http, Imports("rollback")), Is.EqualTo(1), "the unchanged file was read again before the refresh");
        Assert.That(mirror.Log, Does.Contain($"us1: fetch result rollback: {old}: refused ip-ranges version 47 for ")
            .And.Contain(": version 59, the snapshot shipped in the library (the cache holds none), is newer")
            .And.Contain("; still serving nothing yet; next attempt in 1h; " +
                "copy us1's current document over the file, fetched where Datadog can be reached (fwrules fetch --site us1): the mirror reads it again every --refresh\n"));
        Assert.That(mirror.Log, Does.Not.Contain("--force"), "an air-gapped mirror cannot fetch the file's version");
        Assert.That((await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task Input_ReplacedByANewerThenAShrunkDocument_ServesTheNewerAndRefusesTheShrink()
    {
        string input = Write("us1.json", NextOfTheSnapshot(60));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--input", input, "--cache", Cache, "--refresh", "1s");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        await File.WriteAllBytesAsync(input, NextOfTheSnapshot(61));
        await MirrorClient.WaitUntilAsync(async () => await Version(http) == 61, "the newer file was never served");
        await File.WriteAllTextAsync(input, Shrunk(await File.ReadAllTextAsync(input), version: 62));
        await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(http, Imports("shrink")) >= 1, "the shrunk file was not refused");
        // The refusal is counted before its line is logged.
        await MirrorClient.WaitUntilAsync(() => Task.FromResult(mirror.Log.Contains("still serving version 61", StringComparison.Ordinal)), "the refusal was not logged");

        Assert.That(await Version(http), Is.EqualTo(61), "the last good document stays in service");
        Assert.That(mirror.Log, Does.Contain($"us1: fetch result shrink: {input}: refused ip-ranges version 62 ").And.Contain(
            "; still serving version 61; next attempt in 1.0s; if Datadog really changed that much, store it where Datadog can be reached, " +
            "with fwrules fetch --force --site us1 --cache DIR, and serve that DIR here with --cache DIR; the mirror reads the file again every --refresh\n"));
    }

    [Test]
    public async Task Input_AgeCountsFromWhenTheFileHoldingTheVersionInServiceWasWritten_NotFromItsModified()
    {
        string input = Write("us1.json", NextOfTheSnapshot(60));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--input", input, "--cache", Cache, "--refresh", "1s");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);
        long copied = await AgeAsync(http);

        File.SetLastWriteTimeUtc(input, DateTime.UtcNow.AddDays(-10));
        await MirrorClient.WaitUntilAsync(async () => await AgeAsync(http) >= 10 * 86400, "a copy written ten days ago was still counted as fresh");
        File.SetLastWriteTimeUtc(input, DateTime.UtcNow.AddDays(1));
        double refreshes = await MirrorClient.MetricAsync(http, Imports("unchanged"));
        await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(http, Imports("unchanged")) >= refreshes + 2, "no refresh read the file again");

        Assert.That(copied, Is.InRange(0L, 30L), "the version was copied in just now, though its modified is of 2024");
        Assert.That(await AgeAsync(http), Is.GreaterThanOrEqualTo(10L * 86400), "a write time ahead of the clock vouches for nothing");
    }

    [Test]
    public async Task Input_ModifiedAndFileTimeAheadOfTheClock_VouchForNothing_TheAgeIsTheBound()
    {
        // A copy that kept its future file time (tar, rsync -t) of a document whose modified is in the future: nothing vouches for when
        // it was confirmed, so the mirror's answers say as old as an Age can be, and its hosts' --max-stale applies.
        string input = Write("us1.json", DocumentEdits.Edit(59, root =>
        {
            root["version"] = 60;
            root["modified"] = "2040-01-01-00-00-00";
        }));
        File.SetLastWriteTimeUtc(input, new DateTime(2040, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--input", input, "--cache", Cache, "--refresh", "1s");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        Assert.That(await Version(http), Is.EqualTo(60));
        Assert.That(await AgeAsync(http), Is.EqualTo(3650L * 86400), "a modified ahead of the clock was taken for when the version was confirmed");
    }

    /// <summary>The Age header of the mirror's answer of the document.</summary>
    private static async Task<long> AgeAsync(HttpClient http)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative));
        return (long)response.Headers.Age!.Value.TotalSeconds;
    }

    [TestCase("/dev/zero", "fwrules: /dev/zero is a character device, not a regular file")]
    [TestCase("missing.json", "fwrules: cannot read {0}: cannot open {0}: No such file or directory")]
    [TestCase("not-a-document.json", "fwrules: {0}: ")]
    public async Task Input_MissingOrNoDocument_IsRefusedAtStartInOneLineAndNothingIsServed(string name, string line)
    {
        string path = name.StartsWith('/') ? name : Path.Combine(_files.DirectoryPath, name);
        if (name == "not-a-document.json")
        {
            Write(name, "{\"version\": 1"u8.ToArray());
        }

        ProcessResult result = await FwrulesProcess.RunAsync(null, "serve", "--input", path, "--cache", Cache, "--listen", "127.0.0.1:0");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.StartWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, path)));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain('\n'), "one line, and never a mirror's log: it never listened");
    }

    [TestCase("--base-url", "https://mirror.example.net/v1/us1/", "an offline mirror fetches nothing: give input files or a base URL, not both")]
    [TestCase("--site", "eu1", "input files are the documents of one site: give exactly one site with them")]
    public async Task Input_WithAnUpstreamOrSeveralSites_IsAUsageError(string option, string value, string message)
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "serve", "--input", FetchTesting.Document(47), "--site", "us1", option, value, "--cache", Cache);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {message}\n"));
    }

    /// <summary>The snapshot shipped in fwrules (v59) as a later version: real data newer than it is not in the repository.</summary>
    private static byte[] NextOfTheSnapshot(int version) => DocumentEdits.Edit(59, root => root["version"] = version);

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_files.DirectoryPath, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static async Task<double> Version(HttpClient http) => await MirrorClient.MetricAsync(http, "fwrules_mirror_document_version{site=\"us1\"}");

    private static string Imports(string result) => $"fwrules_mirror_imports_total{{site=\"us1\",result=\"{result}\"}}";

    /// <summary>The document at <paramref name="version"/> with every section's IPv4 prefixes cut to its first: a shrink.</summary>
    private static string Shrunk(string json, int version)
    {
        JsonObject document = JsonNode.Parse(json)!.AsObject();
        document["version"] = version;
        foreach ((_, JsonNode? section) in document.Where(pair => pair.Value is JsonObject).ToArray())
        {
            if (section!["prefixes_ipv4"] is JsonArray { Count: > 1 } prefixes)
            {
                section["prefixes_ipv4"] = new JsonArray(prefixes[0]!.DeepClone());
            }
        }

        return document.ToJsonString();
    }
}
