using System.Globalization;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// A mirror that starts with nothing to serve while the upstream is down comes up as soon as the upstream is
/// back (growing jittered waits, not the refresh interval); each failed refresh is one log line; a document
/// sent again unchanged counts as <c>unchanged</c>; configuration takes durations as the command line writes them.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed partial class ServeColdStartTests
{
    private string _cache = null!;

    [SetUp]
    public void CreateCache() => _cache = Directory.CreateTempSubdirectory("fwrules-serve-cold-").FullName;

    [TearDown]
    public void DeleteCache() => Directory.Delete(_cache, recursive: true);

    [Test]
    public async Task ColdStart_UpstreamDownThenBack_ServesWithinSecondsOfItsReturnNotAtTheNextRefresh()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        upstream.Enqueue([.. Enumerable.Repeat(IpRangesServer.Status(503), 6)]);
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _cache, "--refresh", "1h", "--retries", "1");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);

        await MirrorClient.WaitReadyAsync(http);

        string[] failures = [.. Lines(mirror.Log).Where(line => line.Contains("us1: fetch result failed: ", StringComparison.Ordinal))];
        double[] waits = [.. failures.Select(line => double.Parse(NextAttempt().Match(line).Groups[1].Value, CultureInfo.InvariantCulture))];
        Assert.That(failures, Has.Length.EqualTo(3), "six 503s, two requests (a retry) per refresh: three failed refreshes, one line each\n" + mirror.Log);
        Assert.That(failures, Has.All.Contain($"could not fetch {upstream.BaseUri}").And.Contain("HTTP 503").And.Contain("still serving nothing yet"));
        Assert.That(waits, Is.Ordered.And.All.InRange(0.5, 15), "growing waits of at most 15 s");
        Assert.That(waits[2], Is.InRange(2.0, 4.0));
        Assert.That(mirror.Log, Does.Not.Contain("   at ").And.Not.Contain("FirewallRules.IpRangesClient"), "no stack trace, no client lines repeating the refresher's");
        Assert.That(await MirrorClient.MetricAsync(http, "fwrules_mirror_fetches_total{site=\"us1\",result=\"failed\"}"), Is.EqualTo(3));
        Assert.That(await MirrorClient.MetricAsync(http, "fwrules_mirror_document_version{site=\"us1\"}"), Is.EqualTo(47));
    }

    [Test]
    public async Task FailedRefresh_AtDebug_AlsoLogsTheStackTrace()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        upstream.Enqueue(IpRangesServer.Status(503));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            new Dictionary<string, string> { ["FWRULES_LOGGING__LOGLEVEL__FIREWALLRULES.SERVER"] = "Debug" },
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _cache, "--retries", "0");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);

        await MirrorClient.WaitReadyAsync(http);

        Assert.That(mirror.Log, Does.Contain("us1: fetch result failed, in detail").And.Contain("IpRangesFetchException").And.Contain("   at "));
    }

    [Test]
    public async Task UpstreamWithoutValidators_SendingTheSameVersion_CountsAsUnchanged()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _cache, "--refresh", "1s", "--retries", "0");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        upstream.Always(IpRangesServer.Body(await File.ReadAllBytesAsync(FetchTesting.Document(47))));
        await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(http, Fetches("unchanged")) >= 2, "no fetch counted as unchanged");

        Assert.That(await MirrorClient.MetricAsync(http, Fetches("updated")), Is.EqualTo(1), "only the first fetch brought a new version");
        Assert.That(await MirrorClient.MetricAsync(http, "fwrules_mirror_last_fetch_success{site=\"us1\"}"), Is.EqualTo(1));
    }

    [Test]
    public async Task ConfigurationFile_DurationInTheCommandLinesForm_IsTheRefreshInterval()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        string file = Path.Combine(_cache, "serve.json");
        await File.WriteAllTextAsync(file, $$"""{ "Serve": { "BaseUrl": "{{upstream.BaseUri}}", "Cache": "{{_cache}}", "Refresh": "1h30m" } }""");

        await using MirrorProcess mirror = await MirrorProcess.StartAsync("--config", file);

        Assert.That(mirror.Log, Does.Contain("refreshing every 1h30m"));
    }

    [Test]
    public async Task ConfigurationFile_DotNetTimeSpanForm_IsRefusedWithTheFormToWrite()
    {
        string file = Path.Combine(_cache, "serve.json");
        await File.WriteAllTextAsync(file, """{ "Serve": { "Refresh": "00:00:05" } }""");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "serve", "--config", file);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo("fwrules: Serve:Refresh: '00:00:05' is not a duration between 1s and 1d, such as 90s, 15m or 1h; write 5s instead\n"));
    }

    private static string Fetches(string result) => $"fwrules_mirror_fetches_total{{site=\"us1\",result=\"{result}\"}}";

    private static string[] Lines(string log) => log.Split('\n');

    [GeneratedRegex(@"next attempt in ([0-9.]+)s")]
    private static partial Regex NextAttempt();
}
