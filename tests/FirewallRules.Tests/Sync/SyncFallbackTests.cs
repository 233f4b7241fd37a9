using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A host booting (the ruleset flushed) when the newest document cannot be used, whatever the reason: an older or shrunk
/// version refused, a malformed body, a cache that cannot be written, a damaged state. Each time the kernel ends with the
/// newest vetted copy of the cache, exit 4 and one line saying why. Ages of the cached copy hold against clocks: a time
/// ahead of the clock is unknown, not fresh; state written before <c>confirmed</c> existed is read.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class SyncFallbackTests
{
    private static readonly string[] Args = ["--format", "nftables", "--retries", "0", .. SyncNamespaceTests.SectionArgs];

    [Test]
    public async Task Sync_OlderVersionOfferedAfterAFlush_LoadsTheCachedCopyAndExitsFour()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Serve(FetchTesting.Document(46));

        ToolResult booted = await host.SyncAsync(Args);

        AssertCachedCopyLoaded(host, booted, "refused ip-ranges version 46 for ");
    }

    [Test]
    public async Task Sync_ShrunkDocumentOfferedAfterAFlush_LoadsTheCachedCopyAndExitsFour()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Serve(DocumentEdits.Edit(47, root =>
        {
            root["version"] = 48;
            root["logs"]!["prefixes_ipv4"] = new JsonArray("3.233.144.0/24");
        }));

        ToolResult booted = await host.SyncAsync(Args);

        AssertCachedCopyLoaded(host, booted, "refused ip-ranges version 48 for ");
    }

    [Test]
    public async Task Sync_MalformedDocumentAfterAFlush_LoadsTheCachedCopyAndExitsFour()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Body("{ \"version\": 48, \"modified\": "u8.ToArray()));

        ToolResult booted = await host.SyncAsync(Args);

        AssertCachedCopyLoaded(host, booted, host.Mirror.BaseUri.AbsoluteUri);
    }

    [Test]
    public async Task Sync_CacheDiskFullWhenANewerVersionArrivesAfterAFlush_LoadsTheCachedCopyAndExitsFour()
    {
        await using SyncHost host = await BootedAsync("unshare");
        host.Mirror.Serve(FetchTesting.Document(59));

        ToolResult booted = await FullDisk.SyncAsync(host, null, Args);

        AssertCachedCopyLoaded(host, booted, $"the cache {host.Cache} cannot be written (");
        Assert.That(booted.Error, Does.Contain("No space left on device"));
    }

    [Test]
    public async Task Sync_DamagedStateAfterAFlush_LoadsTheCachedCopyLeavesTheFileAndExitsFour()
    {
        await using SyncHost host = await BootedAsync();
        string path = Path.Combine(host.State, "state.json");
        File.WriteAllText(path, "{ \"source\": ");
        int hits = host.Mirror.Hits;

        ToolResult booted = await host.SyncAsync(Args);

        Assert.That(booted.ExitCode, Is.EqualTo(4), booted.Error);
        Assert.That(booted.Error,
            Does.Match($"^fwrules: sync: the sync state {path} is damaged \\(.*\\); loaded ip-ranges version 47 without its grace list and left the file as it was\\n$"));
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([47])));
        Assert.That(File.ReadAllText(path), Is.EqualTo("{ \"source\": "));
        Assert.That(host.Mirror.Hits, Is.EqualTo(hits), "no request without a state to vet it against");
    }

    [TestCase("a link")]
    [TestCase("damaged")]
    public async Task Sync_UnusableStateOnARunningHost_KeepsTheRulesInForceWithTheirGracePrefixesAndExitsOne(string fault)
    {
        string[] keep = [.. Args, "--keep-removed", "1d"];
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        (await host.SyncAsync(keep)).Succeeded();
        host.Mirror.Serve(FetchTesting.Document(52));
        (await host.SyncAsync(keep)).Succeeded();
        Assert.That(SyncNamespaceTests.Expected([47, 52]), Is.Not.EqualTo(SyncNamespaceTests.Expected([52])), "v52 drops prefixes of v47, which the grace list keeps");
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([47, 52])));
        string path = Path.Combine(host.State, "state.json");
        if (fault == "a link")
        {
            File.Move(path, path + ".real");
            File.CreateSymbolicLink(path, path + ".real");
        }
        else
        {
            File.WriteAllText(path, "{ \"source\": ");
        }

        string ruleset = host.NftRuleset();

        ToolResult running = await host.SyncAsync(keep);

        Assert.That(running.ExitCode, Is.EqualTo(1), running.Error);
        Assert.That(running.Error, Does.StartWith($"fwrules: the sync state {path} ")
            .And.Contain("; table inet datadog holds the rules of an earlier run, kept as they are: loading ip-ranges version 52 without the state's grace list")
            .And.EndWith("; the firewall was left as it was\n"));
        Assert.That(running.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset), "the grace prefixes stay in force");

        // At boot there is nothing to narrow: the newest vetted copy is loaded without the grace list (exit 4).
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        ToolResult booted = await host.SyncAsync(keep);

        Assert.That(booted.ExitCode, Is.EqualTo(4), booted.Error);
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([52])));
    }

    [Test]
    public async Task Sync_ConfirmedTimeAheadOfTheClock_CountsAsUnknownNotFreshAndMaxStaleRefuses()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Status(503));
        SetConfirmed(host, DateTimeOffset.UtcNow.AddDays(1));
        File.SetLastWriteTimeUtc(CachedCopy(host), DateTime.UtcNow.AddDays(-10));

        ToolResult refused = await host.SyncAsync([.. Args, "--max-stale", "7d"]);

        Assert.That((refused.ExitCode, refused.Output), Is.EqualTo((3, string.Empty)), refused.Error);
        Assert.That(refused.Error, Does.Contain("was last confirmed 10d0h ago, longer than --max-stale 7d0h"));
        Assert.That(host.NftRuleset(), Is.Empty);
    }

    [Test]
    public async Task Sync_CachedCopyWrittenAheadOfTheClock_CountsAsUnknownNotFresh()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Status(503));
        SetConfirmed(host, DateTimeOffset.UtcNow.AddDays(2));
        File.SetLastWriteTimeUtc(CachedCopy(host), DateTime.UtcNow.AddDays(1));

        ToolResult refused = await host.SyncAsync([.. Args, "--max-stale", "7d"]);

        Assert.That((refused.ExitCode, refused.Output), Is.EqualTo((3, string.Empty)), refused.Error);
        Assert.That(refused.Error, Does.Contain("has an unknown age (every time recorded for it is ahead of this host's clock)"));
        Assert.That(host.NftRuleset(), Is.Empty);
    }

    [Test]
    public async Task Sync_StateWrittenBeforeConfirmedExisted_FirstOutageAfterTheUpgradeLoadsTheCachedCopy()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Status(503));
        string path = Path.Combine(host.State, "state.json");
        JsonObject state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.That(state.Remove("confirmed"), Is.True);
        File.WriteAllText(path, state.ToJsonString());
        // The copy was saved long ago; the old tool confirmed it unchanged on every run since, recording only its state.
        File.SetLastWriteTimeUtc(CachedCopy(host), DateTime.UtcNow.AddDays(-30));

        ToolResult booted = await host.SyncAsync([.. Args, "--max-stale", "7d"]);

        AssertCachedCopyLoaded(host, booted, "could not fetch ");
    }

    [Test]
    public async Task SyncOffline_CachedCopyPastMaxStale_ExitsThree()
    {
        await using SyncHost host = await BootedAsync();
        File.SetLastWriteTimeUtc(CachedCopy(host), DateTime.UtcNow.AddDays(-10));
        SetConfirmed(host, DateTimeOffset.UtcNow.AddDays(-10));

        ToolResult offline = await host.SyncAsync([.. Args, "--offline", "--max-stale", "7d"]);

        Assert.That((offline.ExitCode, offline.Output), Is.EqualTo((3, string.Empty)), offline.Error);
        Assert.That(offline.Error, Does.StartWith("fwrules: --offline: the cached ip-ranges version 47 "));
    }

    [Test]
    public async Task SyncDryRun_FromTheCache_SaysItWouldLoadNotThatItLoaded()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Status(503));

        ToolResult dry = await host.SyncAsync([.. Args, "--dry-run"]);

        Assert.That(dry.ExitCode, Is.EqualTo(4), dry.Error);
        Assert.That(dry.Error, Does.Contain("; would load the cached ip-ranges version 47 instead").And.Not.Contain("; loaded"));
        Assert.That(host.NftRuleset(), Is.Empty);
    }

    /// <summary>A host that synced v47, then rebooted (the ruleset flushed).</summary>
    private static async Task<SyncHost> BootedAsync(params string[] tools)
    {
        SyncHost host = await SyncHost.StartAsync(47, ["nft", .. tools]);
        (await host.SyncAsync(Args)).Succeeded();
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        return host;
    }

    private static void AssertCachedCopyLoaded(SyncHost host, ToolResult run, string cause)
    {
        Assert.That(run.ExitCode, Is.EqualTo(4), run.Error);
        Assert.That(run.Error, Does.StartWith("fwrules: sync: " + cause).And.Match(
            @"; loaded the cached ip-ranges version 47 instead, last confirmed \d+[smhd]\S* ago(; if Datadog really changed that much, store it with: " +
            @"fwrules fetch --force --base-url \S+ --cache \S+)?\n$"), "a refused document's line ends with the way out (SyncRefusalWayOutTests)");
        Assert.That(run.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([47])));
    }

    private static string CachedCopy(SyncHost host) =>
        Directory.GetFiles(host.Cache, "v47.json", SearchOption.AllDirectories).Single();

    private static void SetConfirmed(SyncHost host, DateTimeOffset confirmed)
    {
        string path = Path.Combine(host.State, "state.json");
        JsonObject state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        state["confirmed"] = confirmed.ToString("O");
        File.WriteAllText(path, state.ToJsonString());
    }
}
