using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The listener protection (<c>generate --agent</c>, table <c>datadog-agent</c> by default) and the Datadog allow-list
/// (<c>sync</c>, table <c>datadog</c>): applied by hand, the listener protection leaves the allow-list alone; under the
/// allow-list's name (an older file, <c>--name datadog</c>) sync takes its table back keeping both, refuses what it cannot
/// read back, and <c>sync --agent</c> owns both in one table, in any order and over re-runs.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class SyncOwnersTests
{
    private static readonly string[] Args = ["--format", "nftables", .. SyncNamespaceTests.SectionArgs];

    [Test]
    public async Task Sync_TableReplacedByTheListenerProtection_ReTakesItKeepingBothOverReRuns()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        await ApplyListenerProtectionAsync(host);

        ToolResult retaken = await host.SyncAsync(Args);
        ToolResult again = await host.SyncAsync(Args);

        Assert.That((retaken.ExitCode, again.ExitCode), Is.EqualTo((0, 0)), retaken.Error + again.Error);
        Assert.That(retaken.Output,
            Does.Contain("  kept fwrules' listener protection found in table inet datadog (datadog:dogstatsd, applied by 'fwrules generate --agent') beside the allow-list\n"));
        Assert.That(again.Output, Does.StartWith("sync: nothing to do: "));
        AssertBothHeld(host);
    }

    [Test]
    [NonParallelizable] // alone: another test's sync would remove the first namespace's record before it is given the inode
    public async Task Sync_InANamespaceGivenTheInodeOfADeletedOne_IsNotRefusedAsASecondOwner()
    {
        // A sync in a namespace, then the namespace deleted while the sync's state stays (a container's volume).
        string firstState;
        await using (SyncHost first = await SyncHost.StartAsync(47, "nft", "stat"))
        {
            (await first.SyncAsync(Args)).Succeeded();
            firstState = first.State;
        }

        Directory.CreateDirectory(firstState);
        try
        {
            await using SyncHost host = await SyncHost.StartAsync(47, "nft", "stat");
            // The kernel gives a freed inode to the next namespace created, unless another took it meanwhile: the first's
            // record is given the new namespace's inode, as the kernel would have, rather than left to chance.
            string record = GiveInode(firstState, Inode(host));

            ToolResult run = await host.SyncAsync(Args);

            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(run.Error, Does.Not.Contain("owned by another fwrules sync"));
            Assert.That(File.Exists(record), Is.True, "the first's record stays: its inode is a live namespace's");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(firstState)!, recursive: true);
        }
    }

    /// <summary>Rewrites the owner record naming <paramref name="state"/> to hold <paramref name="inode"/>; returns its path.</summary>
    private static string GiveInode(string state, string inode)
    {
        string[] records = [.. Directory.EnumerateFiles("/run/fwrules/owners", "net*")
            .Where(path => File.ReadAllText(path).StartsWith(Path.GetFullPath(state) + "\n", StringComparison.Ordinal))];
        Assert.That(records, Has.Length.EqualTo(1), "the first sync left one record");
        File.Delete(records[0]);
        // A record named by the namespace's inode (kernels without cookies) is named by the new one's, as a reuse makes it.
        string name = System.Text.RegularExpressions.Regex.Replace(Path.GetFileName(records[0]), "^net[0-9]+-", $"net{inode}-");
        string path = Path.Combine("/run/fwrules/owners", name);
        File.WriteAllText(path, $"{Path.GetFullPath(state)}\nnetns-inode {inode}\n");
        return path;
    }

    private static string Inode(SyncHost host) => LinuxTools.Run("stat", ["-L", "-c", "%i", $"/run/netns/{host.Namespace.Name}"]).Succeeded().Trim();

    [TestCase("nftables")]
    [TestCase("nftables-strict")]
    public async Task GenerateAgent_AppliedByHandAfterASync_HasATableOfItsOwnAndTheAllowListStays(string format)
    {
        string[] args = ["--format", format, .. SyncNamespaceTests.SectionArgs];
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        (await host.SyncAsync(args)).Succeeded();
        string allowList = host.Namespace.Exec("nft", "-s", "list", "table", "inet", "datadog").Succeeded();

        ProcessResult generated = await FwrulesProcess.RunAsync(null, "generate", "-f", format, "--agent", "datadog", "--feature", "dogstatsd");
        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        Assert.That(generated.Error, Does.Not.Contain("is the allow-list's name"));
        host.Namespace.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();

        Assert.That(host.Namespace.Exec("nft", "-s", "list", "table", "inet", "datadog").Succeeded(), Is.EqualTo(allowList), "the allow-list is untouched");
        Dictionary<string, string[]> listener = Readback.NftSets(host.Namespace, "datadog-agent");
        Assert.That(listener["ingress-udp-8125-v4"], Is.EqualTo(new[] { "127.0.0.1/32" }));
        ToolResult next = await host.SyncAsync(args);
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(next.Output, Does.StartWith("sync: nothing to do: "), "the timer's next run finds its table as it left it");
        Assert.That(host.NftRuleset(), Does.Contain("table inet datadog-agent"), "and leaves the listener protection alone");
    }

    [Test]
    public async Task Sync_SecondOwnerWithAnotherStateOnTheSameTable_RefusedNamingTheFirstAndChangesNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        string ruleset = host.NftRuleset();
        string other = Path.Combine(host.Directory, "other-state");

        ToolResult refused = await host.RunAsync(null,
            ["sync", "--base-url", host.Mirror.BaseUri.AbsoluteUri, "--cache", host.Cache, "--state", other, "--format", "nftables", "--section", "logs"]);

        Assert.That((refused.ExitCode, refused.Output), Is.EqualTo((1, string.Empty)), refused.Error);
        Assert.That(refused.Error, Does.Match(
            $"^fwrules: table inet datadog is owned by another fwrules sync, with --state {System.Text.RegularExpressions.Regex.Escape(host.State)} " +
            $"\\(recorded in /run/fwrules/owners/net(cookie)?[0-9]+-table_inet_datadog\\): " +
            "two syncs on one target replace each other's rules on every run; use that --state, or give this sync another --name \\(or --table\\); the " +
            "firewall was left as it was\n$"));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset));

        // Under its own name it is another target, and both hold.
        ToolResult own = await host.RunAsync(null,
            ["sync", "--base-url", host.Mirror.BaseUri.AbsoluteUri, "--cache", host.Cache, "--state", other, "--format", "nftables", "--section", "logs", "--name", "second"]);
        Assert.That(own.ExitCode, Is.Zero, own.Error);
        Assert.That(host.NftRuleset(), Does.Contain("table inet datadog").And.Contain("table inet second"));
    }

    [Test]
    public async Task Sync_TableHoldsTheListenerProtectionWithoutComments_RefusesFromItsLoopbackSourcesAndChangesNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        await ApplyListenerProtectionAsync(host, "--no-comments");
        string ruleset = host.NftRuleset();
        Assert.That(ruleset, Does.Not.Contain("comment").And.Not.Contain("datadog:"), "nothing names the listener");

        ToolResult refused = await host.SyncAsync(Args);

        Assert.That((refused.ExitCode, refused.Output), Is.EqualTo((1, string.Empty)), refused.Error);
        Assert.That(SyncHost.WithoutOldCopyWarning(refused.Error), Is.EqualTo(
            "fwrules: table inet datadog holds fwrules' listener protection (rules admitting loopback, from 'fwrules generate --agent', written without " +
            "comments), which this sync would replace: " +
            "add --agent AGENT (with its --feature and --open) to sync so that one run keeps both, or give one of them another --name; the firewall was left as it was\n"));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset));

        // Owning it, the same sync loads both.
        ToolResult owned = await host.SyncAsync([.. Args, "--agent", "datadog", "--feature", "dogstatsd"]);
        Assert.That(owned.ExitCode, Is.Zero, owned.Error);
        AssertBothHeld(host);
    }

    [Test]
    public async Task SyncAgent_ListenerProtectionAppliedBeforeAndAfter_BothHoldAfterEverySync()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        string[] owning = [.. Args, "--agent", "datadog", "--feature", "dogstatsd"];
        await ApplyListenerProtectionAsync(host);

        ToolResult first = await host.SyncAsync(owning);
        ToolResult again = await host.SyncAsync(owning);

        Assert.That((first.ExitCode, again.ExitCode), Is.EqualTo((0, 0)), first.Error + again.Error);
        Assert.That(again.Output, Does.StartWith("sync: nothing to do: "));
        AssertBothHeld(host);

        // The listener protection applied again afterwards replaces the table; the next sync brings both back.
        await ApplyListenerProtectionAsync(host);
        ToolResult after = await host.SyncAsync(owning);

        Assert.That(after.ExitCode, Is.Zero, after.Error);
        AssertBothHeld(host);
    }

    private static void AssertBothHeld(SyncHost host)
    {
        Dictionary<string, string[]> sets = Readback.NftSets(host.Namespace, "datadog");
        Assert.That(sets["ingress-udp-8125-v4"], Is.EqualTo(new[] { "127.0.0.1/32" }));
        Assert.That(sets["ingress-udp-8125-v6"], Is.EqualTo(new[] { "::1/128" }));
        foreach ((string name, string[] elements) in SyncNamespaceTests.Expected([47]))
        {
            Assert.That(sets[name], Is.EqualTo(elements), name);
        }

        Assert.That(host.NftRuleset(), Does.Match(@"udp dport 8125 counter packets \d+ bytes \d+ drop"), "the closed port's drop");
    }

    private static async Task ApplyListenerProtectionAsync(SyncHost host, params string[] more)
    {
        // Under the allow-list's name, as before the listener protection had a name of its own (or as --name datadog asks).
        ProcessResult generated = await FwrulesProcess.RunAsync(null, ["generate", "-f", "nftables", "--agent", "datadog", "--feature", "dogstatsd", "--name", "datadog", .. more]);
        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        host.Namespace.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();
    }
}
