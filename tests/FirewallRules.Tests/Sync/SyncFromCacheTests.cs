using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// <c>fwrules sync</c> when the upstream cannot be reached: the newest vetted document of the cache is loaded (a host
/// booting during an outage still gets its rules), with exit status 4 and one line saying so; a copy older than
/// <c>--max-stale</c> is refused and the kernel left as it was; <c>--offline</c> makes no request at all.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class SyncFromCacheTests
{
    private static readonly string[] Args = ["--format", "nftables", "--retries", "0", .. SyncNamespaceTests.SectionArgs];

    [Test]
    public async Task Sync_RebootDuringAnOutage_LoadsTheCachedCopyExitsFourAndSaysWhyInOneLine()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        host.Mirror.Always(IpRangesServer.Status(503));

        ToolResult booted = await host.SyncAsync(Args);

        Assert.That(booted.ExitCode, Is.EqualTo(4), booted.Error);
        Assert.That(booted.Error, Does.Match(
            @"^fwrules: sync: could not fetch .*HTTP 503 \(ServiceUnavailable\).*; loaded the cached ip-ranges version 47 instead, last confirmed \d+s ago\n$"));
        Assert.That(booted.Output, Does.StartWith("sync: applied ip-ranges version 47 "));
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([47])));

        // Still down, and the kernel holds the cached copy: nothing to do, but the status still says "from the cache".
        string ruleset = host.NftRuleset();
        ToolResult again = await host.SyncAsync(Args);

        Assert.That(again.ExitCode, Is.EqualTo(4), again.Error);
        Assert.That(again.Error, Does.Contain("; kept the cached ip-ranges version 47 instead"));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset));
    }

    [Test]
    public async Task Sync_CachedCopyOlderThanMaxStale_ExitsThreeAndLeavesTheKernelAsItWas()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        host.Mirror.Always(IpRangesServer.Status(503));
        string[] state = host.StateFiles();
        await Task.Delay(TimeSpan.FromSeconds(2.1));

        ToolResult refused = await host.SyncAsync([.. Args, "--max-stale", "2s"]);

        Assert.That((refused.ExitCode, refused.Output), Is.EqualTo((3, string.Empty)), refused.Error);
        Assert.That(refused.Error, Does.Match(
            @"^fwrules: could not fetch .*, and the cached ip-ranges version 47 \(.*\) was last confirmed \d+s ago, longer than --max-stale 2s: " +
            @"nothing was loaded, the firewall was left as it was\n$"));
        Assert.That(host.NftRuleset(), Is.Empty);
        Assert.That(host.StateFiles(), Is.EqualTo(state));
    }

    [Test]
    public async Task Sync_NoCachedCopyAndTheUpstreamDown_ExitsThreeAndLoadsNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        host.Mirror.Always(IpRangesServer.Status(503));

        ToolResult failed = await host.SyncAsync(Args);

        Assert.That((failed.ExitCode, failed.Output), Is.EqualTo((3, string.Empty)), failed.Error);
        Assert.That(failed.Error, Does.EndWith("; the firewall was left as it was\n"));
        Assert.That(host.NftRuleset(), Is.Empty);
    }

    [Test]
    public async Task Sync_Offline_LoadsTheCacheWithoutAnyRequestAndExitsZero()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        int hits = host.Mirror.Hits;

        ToolResult offline = await host.SyncAsync([.. Args, "--offline"]);

        Assert.That(offline.ExitCode, Is.Zero, offline.Error);
        Assert.That(offline.Error, Is.Empty);
        Assert.That(host.Mirror.Hits, Is.EqualTo(hits), "no request");
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([47])));
    }

    [Test]
    public async Task Sync_OfflineWithAnEmptyCache_ExitsThreeAsHelpSaysSayingWhatToDo()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");

        ToolResult offline = await host.SyncAsync([.. Args, "--offline"]);

        // sync --help: "3 network failure (or --offline) with no usable cached copy (nothing loaded)".
        Assert.That(offline.ExitCode, Is.EqualTo(3));
        Assert.That(offline.Error, Does.StartWith("fwrules: --offline: the cache ").And.Contain("run once without --offline"));
        Assert.That(host.Mirror.Hits, Is.Zero);
        Assert.That(host.NftRuleset(), Is.Empty);
    }
}
