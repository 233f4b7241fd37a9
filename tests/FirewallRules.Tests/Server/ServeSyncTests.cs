using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Sync;

namespace FirewallRules.Tests.Server;

/// <summary>
/// A fleet host behind the mirror: <c>fwrules sync --base-url</c> pointed at a running <c>fwrules serve</c> applies, in a
/// network namespace, exactly what the same sync applies against the upstream itself (a loopback Kestrel stand-in for
/// Datadog), version after version; and a document the mirror refuses never reaches the hosts behind it.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeSyncTests
{
    private static readonly string[] Sync = ["--format", "nftables", "--section", "agents", "--section", "logs", "--section", "webhooks", "--retries", "1"];

    [Test]
    public async Task Sync_ThroughARunningMirror_AppliesTheSameRulesAsAgainstTheUpstream()
    {
        await using SyncHost direct = await SyncHost.StartAsync(47, "nft");
        await using SyncHost fleet = await SyncHost.StartAsync(47, "nft");
        string mirrorCache = Path.Combine(fleet.Directory, "mirror");
        await using MirrorProcess mirror = await MirrorProcess.StartInNamespaceAsync(
            fleet.Namespace.Name, "--site", "us1", "--base-url", fleet.Mirror.BaseUri.AbsoluteUri, "--cache", mirrorCache, "--refresh", "1s", "--retries", "0");
        string throughMirror = mirror.Site("us1").AbsoluteUri;

        foreach (int version in new[] { 47, 52, 59 })
        {
            direct.Mirror.Serve(FetchTesting.Document(version));
            fleet.Mirror.Serve(FetchTesting.Document(version));
            await MirrorClient.WaitUntilAsync(
                () => Task.FromResult(mirror.Log.Contains($"us1: serving version {version}", StringComparison.Ordinal)), $"the mirror never served v{version}");

            ToolResult upstream = await direct.SyncAsync(Sync);
            ToolResult behindMirror = await SyncThroughAsync(fleet, throughMirror);

            Assert.That(upstream.ExitCode, Is.Zero, upstream.Error);
            Assert.That(behindMirror.ExitCode, Is.Zero, behindMirror.Error);
            Assert.That(behindMirror.Output, Does.StartWith($"sync: applied ip-ranges version {version} "));
            Assert.That(Readback.NftSets(fleet.Namespace, "datadog"), Is.EqualTo(Readback.NftSets(direct.Namespace, "datadog")), $"v{version}: the sets' elements");
            Assert.That(fleet.NftRuleset(), Is.EqualTo(direct.NftRuleset()), $"v{version}: nft list ruleset, byte for byte");
        }

        // A rollback upstream: the direct host's sync refuses it and keeps its vetted copy (exit 5, one line); the mirror
        // refuses it too, so the fleet has nothing to do.
        string ruleset = fleet.NftRuleset();
        fleet.Mirror.Serve(FetchTesting.Document(52));
        direct.Mirror.Serve(FetchTesting.Document(52));
        await MirrorClient.WaitUntilAsync(() => Task.FromResult(mirror.Log.Contains("fetch result rollback", StringComparison.Ordinal)), "the mirror never fetched the rollback");

        ToolResult refused = await direct.SyncAsync(Sync);
        ToolResult unchanged = await SyncThroughAsync(fleet, throughMirror);

        Assert.That(refused.ExitCode, Is.EqualTo(5), refused.Error);
        Assert.That(refused.Error, Does.Contain("versions only go up").And.Contain("kept the cached ip-ranges version 59 instead"));
        Assert.That(unchanged.ExitCode, Is.Zero, unchanged.Error);
        Assert.That(unchanged.Output, Does.StartWith("sync: nothing to do: table inet datadog already holds ip-ranges version 59 "));
        Assert.That(fleet.NftRuleset(), Is.EqualTo(ruleset));
        Assert.That(await mirror.TerminateAsync(), Is.Zero, mirror.Log);
    }

    private static Task<ToolResult> SyncThroughAsync(SyncHost host, string mirror) =>
        host.RunAsync(null, ["sync", "--base-url", mirror, "--cache", host.Cache, "--state", host.State, .. Sync]);
}
