using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Sync;

namespace FirewallRules.Tests.Server;

/// <summary>
/// A fleet host behind a mirror whose own upstream died: the mirror keeps serving its version, but every answer's <c>Age</c> header says
/// how long ago its upstream last confirmed it, so the host's <c>--max-stale</c> counts from there, whether the mirror answers (exit 3,
/// nothing loaded, the rules in force kept, one line naming the mirror and the age) or not (the cached copy is as old as the origin's
/// confirmation, not as the mirror's last answer); and the mirror's <c>/healthz</c> and <c>/metrics</c> say degraded and how old.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeStaleUpstreamTests
{
    private static readonly string[] Sync = ["--format", "nftables", "--section", "logs", "--retries", "0"];

    [Test]
    public async Task Sync_BehindAMirrorWhoseUpstreamDied_CountsMaxStaleFromTheUpstreamsLastConfirmation()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "curl");
        await using MirrorProcess mirror = await MirrorProcess.StartInNamespaceAsync(host.Namespace.Name, "--site", "us1", "--base-url",
            host.Mirror.BaseUri.AbsoluteUri, "--cache", Path.Combine(host.Directory, "mirror"), "--refresh", "1s", "--retries", "0");
        string site = mirror.Site("us1").AbsoluteUri;
        await MirrorClient.WaitUntilAsync(() => Task.FromResult(mirror.Log.Contains("us1: serving version 59", StringComparison.Ordinal)), "the mirror never served v59");
        ToolResult fresh = await ThroughAsync(host, site);
        string freshHeaders = Curl(host, "-D", "-", "-o", "/dev/null", site + "ip-ranges.json");

        host.Mirror.Always(IpRangesServer.Status(503));
        await MirrorClient.WaitUntilAsync(() => Task.FromResult(mirror.Log.Contains("us1: fetch result failed", StringComparison.Ordinal)), "the mirror never failed");
        await Task.Delay(TimeSpan.FromSeconds(3));
        string staleHeaders = Curl(host, "-D", "-", "-o", "/dev/null", site + "ip-ranges.json");
        string notModified = Curl(host, "-D", "-", "-o", "/dev/null", "-H", $"If-None-Match: {Header(freshHeaders, "ETag")}", site + "ip-ranges.json");
        string health = Curl(host, mirror.BaseUri.AbsoluteUri + "healthz");
        string metrics = Curl(host, mirror.BaseUri.AbsoluteUri + "metrics");
        string ruleset = host.NftRuleset();
        ToolResult stale = await ThroughAsync(host, site, "--max-stale", "2s");
        string afterStale = host.NftRuleset();
        ToolResult unbounded = await ThroughAsync(host, site, "--max-stale", "0");
        Assert.That(await mirror.TerminateAsync(), Is.Zero, mirror.Log);
        ToolResult gone = await ThroughAsync(host, site, "--max-stale", "2s");

        Assert.That(fresh.ExitCode, Is.Zero, fresh.Error);
        Assert.That(AgeOf(freshHeaders), Is.InRange(0L, 2L), freshHeaders);
        Assert.That(AgeOf(staleHeaders), Is.GreaterThanOrEqualTo(3L), staleHeaders);
        Assert.That(notModified, Does.StartWith("HTTP/1.1 304"));
        Assert.That(AgeOf(notModified), Is.GreaterThanOrEqualTo(3L), "a 304 carries the Age too: " + notModified);
        Assert.That(health, Does.StartWith("degraded: us1 version 59 (serving version 59 unconfirmed; the last fetch: failed: ").And.Contain("; last confirmed by the upstream "));
        Assert.That(metrics, Does.Match(@"fwrules_mirror_confirmed_age_seconds\{site=""us1""\} ([3-9]|[1-9][0-9])\n"));
        Assert.That(stale.ExitCode, Is.EqualTo(3), "a copy its origin confirmed longer than --max-stale ago counted as confirmed now: " + stale.Output + stale.Error);
        Assert.That(stale.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stale.Error);
        Assert.That(stale.Error, Does.Contain(mirror.BaseUri.Authority).And.Contain("answered with ip-ranges version 59, which its own upstream last confirmed ")
            .And.Contain("ago (its Age header), longer than --max-stale 2s: nothing was loaded, the firewall was left as it was"));
        Assert.That(afterStale, Is.EqualTo(ruleset), "the rules in force stay in force");
        Assert.That(unbounded.ExitCode, Is.Zero, "--max-stale 0 takes any age: " + unbounded.Error);
        Assert.That(gone.ExitCode, Is.EqualTo(3), "with the mirror gone, the cached copy's age counted from the mirror's answer, not the origin's: " + gone.Error);
        Assert.That(gone.Error, Does.Contain("longer than --max-stale 2s: nothing was loaded, the firewall was left as it was"));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset));
    }

    private static Task<ToolResult> ThroughAsync(SyncHost host, string mirror, params string[] args) =>
        host.RunAsync(null, ["sync", "--base-url", mirror, "--cache", host.Cache, "--state", host.State, .. Sync, .. args]);

    private static string Curl(SyncHost host, params string[] args) => host.Namespace.Exec("curl", ["-sS", "--max-time", "10", .. args]).Succeeded();

    private static long AgeOf(string headers) => long.Parse(Header(headers, "Age"), System.Globalization.CultureInfo.InvariantCulture);

    private static string Header(string headers, string name) =>
        Regex.Match(headers, $"^{name}: *(.*?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase) is { Success: true } match
            ? match.Groups[1].Value
            : throw new AssertionException($"no {name} header in:\n{headers}");
}
