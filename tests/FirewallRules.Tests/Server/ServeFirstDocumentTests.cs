using System.Net;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;
using FirewallRules.Tests.Sync;

namespace FirewallRules.Tests.Server;

/// <summary>
/// A new mirror, with an empty cache, vets the upstream's first document against the snapshot shipped in fwrules: one adding public
/// /8s to agents is never served, and /healthz, the page and /metrics say why (not ready, refused, a refusal counted); Datadog's
/// real next version is then served.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeFirstDocumentTests
{
    private const string Site = "site=\"us1\"";

    [Test]
    public async Task Serve_EmptyCacheHostileFirstDocument_NeverServedAndThePageAndMetricsSaySo()
    {
        string cache = Directory.CreateTempSubdirectory("fwrules-serve-first-").FullName;
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(59));
        upstream.Serve(SyncFirstDocumentTests.WithSlash8sInAgents(60));
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", cache, "--refresh", "1s", "--retries", "0");
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);

        await MirrorClient.WaitUntilAsync(
            async () => await MirrorClient.MetricAsync(http, $"fwrules_mirror_fetches_total{{{Site},result=\"growth\"}}") >= 1, "the first document was never refused");
        HttpResponseMessage document = await http.GetAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative));
        HttpResponseMessage health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        string page = await http.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the refused document is served");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await health.Content.ReadAsStringAsync(), Does.Contain("us1 has no vetted document yet (last fetch: growth: refused ip-ranges version 60 "));
        Assert.That(page, Does.Contain("not ready: no vetted document yet; the last fetch: refused: it would grow a section to many times its addresses"));
        Assert.That(await MirrorClient.MetricAsync(http, $"fwrules_mirror_ready{{{Site}}}"), Is.Zero);
        Assert.That(await MirrorClient.MetricAsync(http, $"fwrules_mirror_refusals_total{{{Site}}}"), Is.GreaterThanOrEqualTo(1));
        Assert.That(await MirrorClient.MetricAsync(http, $"fwrules_mirror_last_fetch_success{{{Site}}}"), Is.Zero);

        upstream.Serve(DocumentEdits.Edit(59, root => root["version"] = 61));
        await MirrorClient.WaitReadyAsync(http);
        Assert.That(await MirrorClient.MetricAsync(http, $"fwrules_mirror_document_version{{{Site}}}"), Is.EqualTo(61), "the real next version is served");
        Assert.That(await mirror.TerminateAsync(), Is.Zero, mirror.Log);
        Directory.Delete(cache, recursive: true);
    }
}
