using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A document the guards refuse is refused on every run until the operator acts: sync's one line ends with the exact
/// <c>fwrules fetch --force</c> command (this run's source and cache), and that command, run as printed, lets the next sync apply it.
/// </summary>
[TestFixture]
[Category("RealTools")]
[NonParallelizable]
public sealed class SyncRefusalWayOutTests
{
    private static readonly string[] Args = ["--format", "nftables", "--section", "agents", "--section", "logs", "--retries", "0"];

    [Test]
    public async Task Sync_RefusedGrowth_EndsItsOneLineWithTheForcedFetchWhichLetsTheNextSyncApplyIt()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        host.Mirror.Serve(DocumentEdits.WithPublicSlash8sAdded(59, "logs", 200, newVersion: 60));
        string command = $"fwrules fetch --force --base-url {host.Mirror.BaseUri.AbsoluteUri} --cache {host.Cache}";
        string wayOut = $"; if Datadog really changed that much, store it with: {command}\n";

        ToolResult refused = await host.SyncAsync(Args);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        ToolResult stale = await host.SyncAsync([.. Args, "--max-stale", "1s"]);
        ToolResult fetched = await host.RunAsync(null, command.Split(' ')[1..]);
        ToolResult applied = await host.SyncAsync(Args);

        Assert.That(refused.ExitCode, Is.EqualTo(5), refused.Error);
        Assert.That(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), refused.Error);
        Assert.That(refused.Error, Does.StartWith("fwrules: sync: refused ip-ranges version 60 ").And.Contain("; kept the cached ip-ranges version 59 instead")
            .And.EndWith(wayOut));
        Assert.That(stale.ExitCode, Is.EqualTo(1), "a refusal with no usable cached copy: " + stale.Error);
        Assert.That(stale.Error, Does.Contain("nothing was loaded, the firewall was left as it was").And.EndWith(wayOut));
        Assert.That(fetched.ExitCode, Is.Zero, fetched.Error);
        Assert.That(fetched.Error, Does.StartWith("fwrules: warning: --force overrode a refusal: refused ip-ranges version 60 "));
        Assert.That(applied.ExitCode, Is.Zero, applied.Error);
        Assert.That(applied.Output, Does.StartWith("sync: applied ip-ranges version 60 "));
    }

    /// <summary>
    /// A section new in the next version is vetted for growth from nothing: a host that syncs every section (v52, before Datadog
    /// published remote-configuration), offered a next version whose new remote-configuration section holds two /8s, refuses it and
    /// keeps the rules in force (nft's own listing before and after), never opened to those /8s.
    /// </summary>
    [Test]
    public async Task Sync_ASectionNewInTheNextVersionHoldingWideBlocks_IsRefusedAndTheKernelKeepsItsRules()
    {
        string[] every = ["--format", "nftables", "--retries", "0"];
        await using SyncHost host = await SyncHost.StartAsync(52, "nft");
        (await host.SyncAsync(every)).Succeeded();
        string ruleset = host.NftRuleset();
        host.Mirror.Serve(DocumentEdits.Edit(52, root =>
        {
            root["version"] = 53;
            root["remote-configuration"] = new JsonObject { ["prefixes_ipv4"] = new JsonArray("11.0.0.0/8", "12.0.0.0/8"), ["prefixes_ipv6"] = new JsonArray() };
        }));

        ToolResult offered = await host.SyncAsync(every);

        Assert.That(offered.ExitCode, Is.EqualTo(5), offered.Output + offered.Error);
        Assert.That(offered.Error, Does.StartWith("fwrules: sync: refused ip-ranges version 53 ").And.Contain("remote-configuration"));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset), "the new section's /8s reached the kernel");
    }
}
