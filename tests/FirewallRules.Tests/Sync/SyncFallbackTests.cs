using System.Globalization;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A host booting (the ruleset flushed) when the newest document cannot be used, whatever the reason: an older or shrunk
/// version refused, a malformed body, a cache that cannot be written, a damaged state. Each time the kernel ends with the
/// newest vetted copy of the cache, exit 4 and one line saying why. Ages of the cached copy hold against clocks: a time
/// ahead of the clock counts as now (a clock reset at boot still loads the copy, with a warning); state written before
/// <c>confirmed</c> existed is read.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class SyncFallbackTests
{
    private static readonly string[] Args = ["--format", "nftables", "--retries", "0", .. SyncNamespaceTests.SectionArgs];

    [Test]
    public async Task Sync_OlderVersionOfferedAfterAFlush_LoadsTheCachedCopyAndExitsFive()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Serve(FetchTesting.Document(46));

        ToolResult booted = await host.SyncAsync(Args);

        AssertCachedCopyLoaded(host, booted, "refused ip-ranges version 46 for ", exit: 5);
    }

    [Test]
    public async Task Sync_ShrunkDocumentOfferedAfterAFlush_LoadsTheCachedCopyAndExitsFive()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Serve(DocumentEdits.Edit(47, root =>
        {
            root["version"] = 48;
            root["logs"]!["prefixes_ipv4"] = new JsonArray("3.233.144.0/24");
        }));

        ToolResult booted = await host.SyncAsync(Args);

        AssertCachedCopyLoaded(host, booted, "refused ip-ranges version 48 for ", exit: 5);
    }

    [Test]
    public async Task Sync_MalformedDocumentAfterAFlush_LoadsTheCachedCopyAndExitsFive()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Body("{ \"version\": 48, \"modified\": "u8.ToArray()));

        ToolResult booted = await host.SyncAsync(Args);

        AssertCachedCopyLoaded(host, booted, host.Mirror.BaseUri.AbsoluteUri, exit: 5);
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
    public async Task Sync_ConfirmedTimeAheadOfTheClock_CountsAsConfirmedNowNotAsTheOlderCopysTime()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Status(503));
        SetConfirmed(host, DateTimeOffset.UtcNow.AddDays(1));
        File.SetLastWriteTimeUtc(CachedCopy(host), DateTime.UtcNow.AddDays(-10));

        ToolResult booted = await host.SyncAsync([.. Args, "--max-stale", "7d"]);

        AssertCachedCopyLoaded(host, booted, "could not fetch ", System.Text.RegularExpressions.Regex.Escape(AheadOfTheClock));
    }

    [Test]
    public async Task Sync_StateWrittenBeforeVouchedExisted_ItsConfirmationAheadOfTheClockStillCountsAsNow()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Status(503));
        SetConfirmed(host, DateTimeOffset.UtcNow.AddDays(1));
        string path = Path.Combine(host.State, "state.json");
        JsonObject state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.That(state.Remove("vouched"), Is.True);
        File.WriteAllText(path, state.ToJsonString());
        File.SetLastWriteTimeUtc(CachedCopy(host), DateTime.UtcNow.AddDays(-10));

        ToolResult booted = await host.SyncAsync([.. Args, "--max-stale", "7d"]);

        AssertCachedCopyLoaded(host, booted, "could not fetch ", System.Text.RegularExpressions.Regex.Escape(AheadOfTheClock));
    }

    [Test]
    public async Task Sync_ClockBehindEveryRecordAtBoot_BootUnitAndTimerLoadTheCachedCopyAndTheGraceListWithOneLineEach()
    {
        // Synced v46, then v47: the prefixes v46 alone published are in their grace period (24h by default).
        await using SyncHost host = await SyncHost.StartAsync(46, "nft");
        (await host.SyncAsync(Args)).Succeeded();
        host.Mirror.Serve(FetchTesting.Document(47));
        (await host.SyncAsync(Args)).Succeeded();
        Assert.That(SyncNamespaceTests.Expected([46, 47]), Is.Not.EqualTo(SyncNamespaceTests.Expected([47])), "v46 publishes nothing v47 does not");
        // The real-time clock was reset (or the host powered off for a year): every time recorded is a year ahead of it.
        ShiftRecords(host, TimeSpan.FromDays(400));
        string recorded = File.ReadAllText(Path.Combine(host.State, "state.json"));
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        host.Mirror.Always(IpRangesServer.Status(503));

        ToolResult boot = await host.SyncAsync([.. Args, "--offline", "--max-stale", "7d"]);

        Assert.That(boot.ExitCode, Is.Zero, boot.Error);
        Assert.That(boot.Error, Does.Match(@"^fwrules: warning: this host's clock \(\S+ \S+Z\) is behind the time the cached ip-ranges version 47 was last " +
            @"confirmed \(\S+ \S+Z\): it counts as confirmed now, and each grace period runs from the time recorded; set the clock \(NTP\)\n$"), "not one warning line");
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([46, 47])), "the boot did not load v47 and its grace list");
        Assert.That(Times(File.ReadAllText(Path.Combine(host.State, "state.json"))), Is.EqualTo(Times(recorded)),
            "a recorded time was moved back to the clock's: each grace period would end early once the clock is right");

        ToolResult timer = await host.SyncAsync([.. Args, "--max-stale", "7d"]);

        Assert.That(timer.ExitCode, Is.EqualTo(4), timer.Error);
        // The clock's time since the boot found the records ahead counts: --max-stale is still reached if the clock is never set.
        Assert.That(timer.Error, Does.StartWith("fwrules: sync: could not fetch ").And.Match(
            @"; kept the cached ip-ranges version 47 instead, last confirmed \d+s ago, counted from when that time was first found ahead of this host's clock " +
            @"\(set the clock\)\n$"));
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([46, 47])));
    }

    [Test]
    public async Task Sync_StateWrittenBeforeConfirmedExisted_FirstOutageAfterTheUpgradeLoadsTheCachedCopy()
    {
        await using SyncHost host = await BootedAsync();
        host.Mirror.Always(IpRangesServer.Status(503));
        string path = Path.Combine(host.State, "state.json");
        JsonObject state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.That(state.Remove("confirmed") && state.Remove("vouched"), Is.True);
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

    /// <summary>How the line of a run that fell back on the cache names a confirmation time ahead of the clock.</summary>
    private const string AheadOfTheClock = "at a time ahead of this host's clock, counted as now (set the clock)";

    /// <summary>
    /// Asserts the copy was loaded, with one line naming <paramref name="cause"/> and when it was <paramref name="confirmed"/> (a pattern),
    /// and the exit status: 4, or 5 when the newer document was refused.
    /// </summary>
    private static void AssertCachedCopyLoaded(SyncHost host, ToolResult run, string cause, string confirmed = @"\d+[smhd]\S* ago", int exit = 4)
    {
        Assert.That(run.ExitCode, Is.EqualTo(exit), run.Error);
        Assert.That(run.Error, Does.StartWith("fwrules: sync: " + cause).And.Match(
            @"; loaded the cached ip-ranges version 47 instead, last confirmed " + confirmed +
            @"(; if Datadog really changed that much, store it with: " +
            @"fwrules fetch --force --base-url \S+ --cache \S+)?\n$"), "a refused document's line ends with the way out (SyncRefusalWayOutTests)");
        Assert.That(run.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(SyncNamespaceTests.Expected([47])));
    }

    private static string CachedCopy(SyncHost host) =>
        Directory.GetFiles(host.Cache, "v47.json", SearchOption.AllDirectories).Single();

    /// <summary>Moves every time the host recorded by <paramref name="by"/>: the state's confirmed, vouched and last-seen times, the cached copies' write times.</summary>
    private static void ShiftRecords(SyncHost host, TimeSpan by)
    {
        string path = Path.Combine(host.State, "state.json");
        JsonObject state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (string time in new[] { "confirmed", "vouched" }.Where(time => state[time] is not null))
        {
            state[time] = DateTimeOffset.Parse(state[time]!.GetValue<string>(), CultureInfo.InvariantCulture).Add(by).ToString("O");
        }

        foreach ((_, JsonNode? section) in state["published"]!.AsObject())
        {
            foreach ((string prefix, JsonNode? at) in section!.AsObject().ToArray())
            {
                section[prefix] = DateTimeOffset.Parse(at!.GetValue<string>(), CultureInfo.InvariantCulture).Add(by).ToString("O");
            }
        }

        File.WriteAllText(path, state.ToJsonString());
        foreach (string copy in Directory.GetFiles(host.Cache, "v*.json", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(copy).Add(by));
        }
    }

    /// <summary>The confirmed and last-seen times of a state file, by name.</summary>
    private static Dictionary<string, DateTimeOffset> Times(string stateJson)
    {
        JsonObject state = JsonNode.Parse(stateJson)!.AsObject();
        var times = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)
        {
            ["confirmed"] = DateTimeOffset.Parse(state["confirmed"]!.GetValue<string>(), CultureInfo.InvariantCulture),
        };
        foreach ((string section, JsonNode? prefixes) in state["published"]!.AsObject())
        {
            foreach ((string prefix, JsonNode? at) in prefixes!.AsObject())
            {
                times[$"{section} {prefix}"] = DateTimeOffset.Parse(at!.GetValue<string>(), CultureInfo.InvariantCulture);
            }
        }

        return times;
    }

    /// <summary>Records the last confirmation at <paramref name="confirmed"/>, as an upstream's Date vouched for it (the state's vouched too).</summary>
    private static void SetConfirmed(SyncHost host, DateTimeOffset confirmed)
    {
        string path = Path.Combine(host.State, "state.json");
        JsonObject state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        state["confirmed"] = confirmed.ToString("O");
        state["vouched"] = confirmed.ToString("O");
        File.WriteAllText(path, state.ToJsonString());
    }
}
