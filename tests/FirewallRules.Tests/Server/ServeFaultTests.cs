using System.Net;
using System.Text;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Server;

/// <summary>
/// Faults upstream while the mirror serves (503s, a body that is not JSON, a rollback, a shrunk or grown section): it
/// keeps serving the last good document byte for byte, /metrics and the log say what was refused, and the
/// next good version is served as soon as it comes.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeFaultTests
{
    private const string Site = "site=\"us1\"";

    [Test]
    public async Task FaultsUpstream_KeepTheLastGoodDocumentInServiceByteForByte()
    {
        string cache = Directory.CreateTempSubdirectory("fwrules-serve-faults-").FullName;
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", cache, "--refresh", "1s", "--retries", "0");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);
        byte[] good = await File.ReadAllBytesAsync(FetchTesting.Document(47));

        upstream.Enqueue(IpRangesServer.Status(503), IpRangesServer.Status(503));
        await AfterAsync(http, "failed", good);
        upstream.Enqueue(IpRangesServer.Body(Encoding.UTF8.GetBytes("{\"version\": 48, \"modified\": ")));
        await AfterAsync(http, "invalid", good);
        upstream.Serve(FetchTesting.Document(46));
        await AfterAsync(http, "rollback", good);
        upstream.Serve(DocumentEdits.WithSectionEmptied(47, "logs", newVersion: 48));
        await AfterAsync(http, "shrink", good);
        upstream.Serve(DocumentEdits.WithPublicSlash8sAdded(47, "logs", 200, newVersion: 48));
        await AfterAsync(http, "growth", good);

        Assert.That(await MirrorClient.MetricAsync(http, $"fwrules_mirror_refusals_total{{{Site}}}"), Is.EqualTo(4));
        Assert.That(await MirrorClient.MetricAsync(http, $"fwrules_mirror_last_fetch_success{{{Site}}}"), Is.Zero);
        Assert.That(mirror.Log, Does.Contain("us1: fetch result shrink: ").And.Contain("still serving version 47"));
        Assert.That(
            FetchTesting.Contents(cache).Select(line => line.Split(' ')[0]),
            Is.EquivalentTo(new[] { Path.Combine("127.0.0.1-" + upstream.BaseUri.Port, "current.json"), Path.Combine("127.0.0.1-" + upstream.BaseUri.Port, "v47.json") }));

        upstream.Serve(FetchTesting.Document(52));
        await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(http, $"fwrules_mirror_document_version{{{Site}}}") == 52, "v52 was never served");
        Assert.That(await http.GetByteArrayAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative)), Is.EqualTo(await File.ReadAllBytesAsync(FetchTesting.Document(52))));
        Directory.Delete(cache, recursive: true);
    }

    [Test]
    public async Task Serve_RefusedGrowth_LogLineEndsWithTheForcedFetchIntoTheMirrorsCache()
    {
        string cache = Directory.CreateTempSubdirectory("fwrules-serve-way-out-").FullName;
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", cache, "--refresh", "1s", "--retries", "0");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        upstream.Serve(DocumentEdits.WithPublicSlash8sAdded(47, "logs", 200, newVersion: 48));
        await AfterAsync(http, "growth", await File.ReadAllBytesAsync(FetchTesting.Document(47)));

        string line = mirror.Log.Split('\n').First(line => line.Contains("us1: fetch result growth: ", StringComparison.Ordinal)).TrimEnd();
        Assert.That(line, Does.Contain("; still serving version 47; next attempt in ")
            .And.EndWith($"; if Datadog really changed that much, store it with: fwrules fetch --force --base-url {upstream.BaseUri.AbsoluteUri} --cache {cache}"));
        Directory.Delete(cache, recursive: true);
    }

    /// <summary>Waits until a fetch ended with <paramref name="result"/>, then checks that the good document is still served, whole and healthy.</summary>
    private static async Task AfterAsync(HttpClient http, string result, byte[] good)
    {
        string sample = $"fwrules_mirror_fetches_total{{{Site},result=\"{result}\"}}";
        await MirrorClient.WaitUntilAsync(async () => await MirrorClient.MetricAsync(http, sample) >= 1, $"no fetch ended with {result}");

        Assert.That(await http.GetByteArrayAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative)), Is.EqualTo(good), $"after {result}");
        Assert.That(
            await http.GetStringAsync(new Uri("v1/us1/lists/logs.txt", UriKind.Relative)), Is.EqualTo(IpRangesDocument.Parse(good)[Section.Logs].Prefixes.ToString()),
            $"after {result}");
        Assert.That((await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"after {result}");
    }
}
