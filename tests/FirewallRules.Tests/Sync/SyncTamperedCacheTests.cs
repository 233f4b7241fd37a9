using System.Text.Json.Nodes;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// <c>fwrules sync</c> with a cache someone else wrote: a vetted copy edited in place, a version planted beside them with a
/// grace record asking to keep its prefix, a cache or state directory or record others may write, a first document claiming a
/// version that would block every real one. Whatever was written, only what the snapshot store vetted reaches the
/// kernel: checked in a network namespace's real nftables.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Platform("Linux")]
[Category("RealTools")]
public sealed class SyncTamperedCacheTests
{
    private static readonly string[] Args = ["--format", "nftables", "--retries", "0", .. SyncNamespaceTests.SectionArgs];

    [Test]
    public async Task Sync_CachedCurrentEditedInPlace_LoadsTheFetchedCopyNeverTheEditAndRestoresTheFile()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        string copy = CachedPath(host, 59);
        CacheTampering.EditInPlace(copy);
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();

        ToolResult run = await host.SyncAsync(Args);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Error, Does.Contain($"fwrules: warning: {copy} no longer holds ip-ranges version 59 as the cache vetted it").And.Contain(
            "it was never loaded, and is replaced by the copy just fetched and vetted"));
        Assert.That(host.NftRuleset(), Does.Not.Contain("8.8.8.0"));
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([59])));
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(59))));
    }

    [Test]
    public async Task Sync_OfflineWithTheCachedCurrentEdited_LoadsTheLastCopyItCanProveExitsFourAndSaysWhy()
    {
        await using SyncHost host = await SyncHost.StartAsync(52, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        host.Mirror.Serve(FetchTesting.Document(59));
        (await host.SyncAsync(Args)).Succeeded();
        CacheTampering.EditInPlace(CachedPath(host, 59));
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        int hits = host.Mirror.Hits;

        ToolResult offline = await host.SyncAsync([.. Args, "--offline"]);

        Assert.That(offline.ExitCode, Is.EqualTo(4), offline.Error);
        Assert.That(offline.Error, Does.Match(
            $@"fwrules: sync: {Regex(CachedPath(host, 59))} no longer holds ip-ranges version 59 as the cache vetted it \(.*\); loaded the cached ip-ranges " +
            @"version 52 instead, last confirmed (\d+m)?\d+s ago\n$"));
        Assert.That(host.Mirror.Hits, Is.EqualTo(hits), "no request");
        Assert.That(host.NftRuleset(), Does.Not.Contain("8.8.8.0"));
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([52])));
    }

    [Test]
    public async Task Sync_OfflineWithTheOnlyCachedCopyEdited_ExitsThreeInOneLineAndLoadsNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        CacheTampering.EditInPlace(CachedPath(host, 59));
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();

        ToolResult offline = await host.SyncAsync([.. Args, "--offline"]);

        Assert.That((offline.ExitCode, offline.Output), Is.EqualTo((3, string.Empty)), offline.Error);
        Assert.That(offline.Error, Is.EqualTo($"fwrules: --offline: {CachedPath(host, 59)} no longer holds ip-ranges version 59 as the cache vetted it (its SHA-256 is "
            + "not the one recorded when it was stored: changed since, by hand or tampering?), and the cache holds no earlier vetted copy: nothing was loaded, "
            + "the firewall was left as it was; run once without --offline (or 'fwrules fetch') to fetch it again\n"));
        Assert.That(host.NftRuleset(), Is.Empty);
    }

    [Test]
    public async Task Sync_PlantedOlderVersionWithAGraceRecord_ItsPrefixNeverReachesTheKernel()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        string[] args = [.. Args, "--keep-removed", "30d"];
        (await host.SyncAsync(args)).Succeeded();
        File.WriteAllBytes(CachedPath(host, 58), CacheTampering.Forged(59, 58));
        string state = Path.Combine(host.State, "state.json");
        JsonNode record = JsonNode.Parse(File.ReadAllText(state))!;
        record["published"]!["agents"]![CacheTampering.Planted] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(state, record.ToJsonString());

        ToolResult run = await host.SyncAsync(args);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Error, Does.Contain($"the sync state asks to keep {CacheTampering.Planted} in 'agents', which no vetted document in the cache"));
        Assert.That(host.NftRuleset(), Does.Not.Contain("8.8.8.0"));
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([59])));
    }

    [TestCase("cache", 0x1FF, false)]
    [TestCase("state", 0x1FD, false)]
    [TestCase("cache", 0x1ED, true)]
    [TestCase("state", 0x1C0, true)]
    public async Task Sync_CacheOrStateDirectoryAnotherUserCouldWrite_ExitsOneInOneLineNamingTheFixAndReadsNothing(string which, int mode, bool nobody)
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        string directory = which == "cache" ? host.Cache : host.State;
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)mode);
        if (nobody)
        {
            UnixFileStatus.SetOwner(directory, 65534, 65534);
        }

        ToolResult run = await host.SyncAsync(Args);

        // Failures: a refused operation is exit 1, one line.
        Assert.That((run.ExitCode, run.Output), Is.EqualTo((1, string.Empty)), run.Error);
        Assert.That(run.Error, Does.StartWith($"fwrules: refusing {directory}: ").And.EndWith(
            nobody ? $"(chown 0 {directory}) or choose another directory\n" : $"(chmod go-w {directory})\n"));
        Assert.That(run.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
        Assert.That(host.Mirror.Hits, Is.Zero, "nothing fetched");
        Assert.That(host.NftRuleset(), Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(directory), Is.Empty, "nothing written");
    }

    [TestCase("state", 0x1B6)]
    [TestCase("current", 0x1B4)]
    public async Task Sync_StateOrCacheRecordOthersMayWrite_ExitsOneInOneLineAndTheLastRulesStay(string which, int mode)
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        string ruleset = host.NftRuleset();
        string file = which == "state" ? Path.Combine(host.State, "state.json")
            : Path.Combine(Path.GetDirectoryName(CachedPath(host, 59))!, "current.json");
        File.SetUnixFileMode(file, (UnixFileMode)mode);

        ToolResult run = await host.SyncAsync(Args);

        Assert.That((run.ExitCode, run.Output), Is.EqualTo((1, string.Empty)), run.Error);
        Assert.That(run.Error, Is.EqualTo($"fwrules: refusing {file}: {(mode == 0x1B6 ? "group and others" : "its group")} may write it "
            + $"(mode 0{Convert.ToString(mode, 8)}), so anyone could change the rules loaded; make it writable by its owner alone (chmod go-w {file})\n"));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset));
    }

    [Test]
    public async Task Sync_EmptyCacheAndAVersionThatWouldBlockEveryRealOne_IsRefusedAndTheNextRealVersionLoads()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft");
        host.Mirror.Serve(DocumentEdits.Edit(59, root => root["version"] = long.MaxValue));

        ToolResult refused = await host.SyncAsync(Args);
        string[] cached = FetchTesting.Contents(host.Cache);
        host.Mirror.Serve(FetchTesting.Document(59));
        ToolResult real = await host.SyncAsync(Args);

        Assert.That((refused.ExitCode, refused.Output), Is.EqualTo((1, string.Empty)), refused.Error);
        Assert.That(refused.Error, Does.StartWith($"fwrules: refused ip-ranges version {long.MaxValue} for {host.Mirror.BaseUri}: it is more than 1000 versions "
            + "ahead of version 59, the newest known (the snapshot shipped in the library; the cache holds none)"));
        Assert.That(cached.Where(file => file.Contains("/v", StringComparison.Ordinal)), Is.Empty, "nothing stored");
        Assert.That(real.ExitCode, Is.Zero, real.Error);
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([59])));
    }

    private static string CachedPath(SyncHost host, long version) => new SnapshotStore(host.Cache).GetPath(Site.Custom(host.Mirror.BaseUri), version);

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
