using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// What a host sync prints: nothing on success with <c>--quiet</c> (however it is spelled), as a systemd unit or cron
/// job wants, but a warning about an input it cannot vouch for; the dry run's changes still (they are what it was asked for); and its summary with the document's date in
/// ISO 8601 and counts that agree with their nouns.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class SyncQuietTests
{
    [TestCase("sync", "-q")]
    [TestCase("-q", "sync")]
    [TestCase("sync", "--quiet")]
    public async Task Sync_Quiet_PrintsOnlyAWarningOfAnUnvouchedInput_WhenItAppliesOrHasNothingToDo(string first, string second)
    {
        await using SyncHost host = await SyncHost.StartAsync(46, "nft");
        string[] args = [first, second, .. host.Common, "--format", "nftables", "--section", "logs"];

        ToolResult applied = await host.RunAsync(null, args);
        host.Mirror.Serve(FetchTesting.Document(47));
        ToolResult changed = await host.RunAsync(null, args);
        ToolResult unchanged = await host.RunAsync(null, args);

        // Quiet keeps a warning of an error's kind: the loopback mirror's first document (v46) is older than the shipped
        // snapshot, so the first run says so in its one line, and nothing else.
        Assert.That((applied.ExitCode, applied.Output), Is.EqualTo((0, string.Empty)), applied.Error);
        string[] lines = applied.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), applied.Error);
        Assert.That(lines[0], Does.StartWith("fwrules: warning: ").And.Contain("the mirror may serve an old copy"));
        foreach ((string name, ToolResult run) in new[] { ("changed", changed), ("nothing to do", unchanged) })
        {
            Assert.That((run.ExitCode, run.Output, run.Error), Is.EqualTo((0, string.Empty, string.Empty)), name);
        }

        Assert.That(host.NftRuleset(), Does.Contain("(ip-ranges v47)"), "the quiet runs applied the rules");
    }

    [Test]
    public async Task Sync_QuietDryRun_StillPrintsThePlannedChanges()
    {
        await using SyncHost host = await SyncHost.StartAsync(46, "nft");
        await host.SyncAsync("--format", "nftables", "--section", "logs", "--keep-removed", "0", "-q");
        host.Mirror.Serve(FetchTesting.Document(47));

        ToolResult dry = await host.SyncAsync("--format", "nftables", "--section", "logs", "--keep-removed", "0", "--dry-run", "-q");

        Assert.That(dry.ExitCode, Is.Zero, dry.Error);
        Assert.That(dry.Output, Does.StartWith("sync: dry run: would apply ip-ranges version 47 ").And.Contain("    - 3.230.124.0/24\n"));
    }

    [Test]
    public async Task Sync_Summary_DatesTheDocumentInIso8601AndCountsOnePrefixInTheSingular()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");

        ToolResult run = await host.SyncAsync("--format", "nftables", "--section", "logs", "--family", "ipv6");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Output, Does.StartWith("sync: applied ip-ranges version 47 (2022-01-25T20:00:00Z) to table inet datadog: 1 IPv6 prefix for logs\n"));
    }
}
