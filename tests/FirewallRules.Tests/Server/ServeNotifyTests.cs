using System.Text.Json;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Notices;

namespace FirewallRules.Tests.Server;

/// <summary>
/// <c>fwrules serve --notify</c>: the mirror posts one change notice per version change it puts in service, through
/// the same outbox as <c>fetch --notify</c>; a receiver that fails at first gets the notice after a later refresh,
/// exactly once, and a refused document is no change.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeNotifyTests
{
    [Test]
    public async Task Serve_ReceiverFailsTheFirstAttempts_ExactlyOneNoticePerChangeArrives()
    {
        string cache = Directory.CreateTempSubdirectory("fwrules-serve-notify-").FullName;
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        await using NoticeReceiver receiver = await NoticeReceiver.StartAsync();
        receiver.FailFirst = 2;
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", cache, "--refresh", "1s", "--retries", "0",
            "--notify", receiver.Url.AbsoluteUri);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        upstream.Serve(FetchTesting.Document(52));
        await MirrorClient.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Count == 1), "the notice of version 52 never arrived");
        upstream.Serve(FetchTesting.Document(46));
        await MirrorClient.WaitUntilAsync(() => Task.FromResult(mirror.Log.Contains("fetch result rollback", StringComparison.Ordinal)), "the rollback was never fetched");
        upstream.Serve(FetchTesting.Document(52));
        double fetches = await GoodFetchesAsync(http);
        await MirrorClient.WaitUntilAsync(async () => await GoodFetchesAsync(http) >= fetches + 2, "the mirror stopped refreshing");

        Assert.That(receiver.Requests, Is.EqualTo(3), "two refused attempts, then the one accepted");
        Assert.That(receiver.Accepted, Has.Count.EqualTo(1));
        JsonElement notice = JsonDocument.Parse(receiver.Accepted[0].Json).RootElement;
        Assert.That((notice.GetProperty("oldVersion").GetInt64(), notice.GetProperty("newVersion").GetInt64()), Is.EqualTo((47L, 52L)));
        Assert.That(mirror.Log, Does.Contain("us1: could not post 1 change notice(s) to http://127.0.0.1:").And.Contain("us1: posted 1 change notice(s)"));
        Directory.Delete(cache, recursive: true);
    }

    private static async Task<double> GoodFetchesAsync(HttpClient http) =>
        await MirrorClient.MetricAsync(http, "fwrules_mirror_fetches_total{site=\"us1\",result=\"updated\"}")
        + await MirrorClient.MetricAsync(http, "fwrules_mirror_fetches_total{site=\"us1\",result=\"not_modified\"}");
}
