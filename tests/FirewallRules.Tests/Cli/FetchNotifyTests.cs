using System.Text.Json;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Notices;

namespace FirewallRules.Tests.Cli;

/// <summary><c>fwrules fetch --notify</c>, the real executable against a real mirror and receiver on 127.0.0.1.</summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class FetchNotifyTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("fwrules-notify-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Test]
    public async Task Fetch_ReceiverFailsTheFirstAttempt_ExactlyOneNoticePerChangeArrives()
    {
        await using IpRangesServer mirror = await IpRangesServer.StartAsync(FetchTesting.Document(46));
        await using NoticeReceiver receiver = await NoticeReceiver.StartAsync();
        receiver.FailFirst = 1;

        ProcessResult first = await Fetch(mirror, receiver);
        mirror.Serve(FetchTesting.Document(47));
        ProcessResult changed = await Fetch(mirror, receiver);
        ProcessResult unchanged = await Fetch(mirror, receiver);
        mirror.Serve(FetchTesting.Document(52));
        ProcessResult changedAgain = await Fetch(mirror, receiver);

        Assert.That(new[] { first.ExitCode, changed.ExitCode, unchanged.ExitCode, changedAgain.ExitCode }, Is.All.Zero, changed.Error);
        Assert.That(changed.Error, Is.EqualTo($"notify: posted 1 change notice to http://127.0.0.1:{receiver.Url.Port}/…\n"));
        Assert.That(receiver.Accepted.Select(n => JsonDocument.Parse(n.Json).RootElement.GetProperty("text").GetString()), Is.EqualTo(new[]
        {
            $"Datadog IP ranges for {mirror.BaseUri} changed from version 46 to 47: logs +0 -2 prefixes; egress rules affected",
            $"Datadog IP ranges for {mirror.BaseUri} changed from version 47 to 52: " +
            "synthetics +9 -0, synthetics-private-locations +2 -0, webhooks +3 -6 prefixes; egress and ingress rules affected",
        }));
    }

    [Test]
    public async Task Fetch_ReceiverDown_ExitsThreeKeepsTheNoticeAndTheNextRunSendsIt()
    {
        await using IpRangesServer mirror = await IpRangesServer.StartAsync(FetchTesting.Document(46));
        await using NoticeReceiver receiver = await NoticeReceiver.StartAsync();
        await Fetch(mirror, receiver);
        mirror.Serve(FetchTesting.Document(47));
        receiver.FailFirst = 1;

        ProcessResult down = await Fetch(mirror, receiver, "--retries", "0");
        ProcessResult next = await Fetch(mirror, receiver, "--retries", "0");

        Assert.That(down.ExitCode, Is.EqualTo(3));
        Assert.That(down.Error, Does.StartWith($"fwrules: could not post 1 change notice to http://127.0.0.1:{receiver.Url.Port}/…: HTTP 503 (ServiceUnavailable); kept in ")
            .And.EndsWith(", the next run sends it\n"));
        Assert.That(down.Output, Does.Contain("version 46 (2021-12-07T10:00:00Z) -> version 47"), "the fetch itself succeeded");
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(next.Output, Does.StartWith("not modified"));
        Assert.That(receiver.Accepted, Has.Count.EqualTo(1));
    }

    private Task<ProcessResult> Fetch(IpRangesServer mirror, NoticeReceiver receiver, params string[] more) =>
        FwrulesProcess.RunAsync(null, ["fetch", "--base-url", mirror.BaseUri.AbsoluteUri, "--cache", _cache, "--notify", receiver.Url.AbsoluteUri, .. more]);
}
