using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Sync;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The sync state directory and the cache written by someone else: links, FIFOs, devices, a prefix spelt two ways, a
/// time at the end of the calendar, a prefix no document ever published. The files are never followed, written
/// through or read without bound, and the state can narrow what is loaded but never widen it: checked against a real
/// sync in a network namespace, in the kernel.
/// </summary>
[TestFixture]
[SupportedOSPlatform("linux")]
[Platform("Linux")]
[Category("RealTools")]
public sealed class HostileStateDirectoryTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("fwrules-hostile-state-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string StatePath => Path.Combine(_directory, "state.json");

    private static string State(string published) =>
        "{\"source\":\"" + Site.US1.IpRangesUri.AbsoluteUri + "\",\"published\":{\"agents\":{" + published + "}}}";

    [Test]
    public void SamePrefixSpeltTwoWays_IsOnePrefixAtTheLaterTime()
    {
        File.WriteAllText(StatePath, State("\"203.0.113.7\":\"2026-01-01T00:00:00Z\",\"203.0.113.7/32\":\"2026-02-01T00:00:00Z\""));

        SyncState state = new SyncStateFile(_directory).Read(Site.US1);

        Assert.That(SyncStateFile.LastSeen(state)["agents"].Values.Single(),
            Is.EqualTo(DateTimeOffset.Parse("2026-02-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void LastSeenAtTheEndOfTheCalendar_DoesNotOverflow()
    {
        var now = DateTimeOffset.UtcNow;
        var lastSeen = new Dictionary<string, Dictionary<System.Net.IPNetwork, DateTimeOffset>>
        {
            ["agents"] = new() { [System.Net.IPNetwork.Parse("203.0.113.0/24")] = DateTimeOffset.MaxValue },
        };

        RetainedPrefixes retained = Retention.Apply(new Dictionary<string, PrefixSet> { ["agents"] = PrefixSet.Empty }, lastSeen, now, TimeSpan.FromHours(1));

        // Ahead of the clock counts as now: kept for the keep period from this run, never to the end of the calendar.
        Assert.That(retained.Kept.Single().Until, Is.EqualTo(now + TimeSpan.FromHours(1)));
    }

    [Test]
    public void StateThatIsALink_IsNeitherReadNorWrittenThrough()
    {
        string outside = Path.Combine(_directory, "outside.txt");
        File.WriteAllText(outside, State(string.Empty));
        File.CreateSymbolicLink(StatePath, outside);
        var file = new SyncStateFile(_directory);

        Assert.That(Assert.Throws<FirewallSyncException>(() => file.Read(Site.US1))!.Message, Does.Contain("symbolic link"));
        Assert.ThrowsAsync<FirewallSyncException>(() => file.WriteAsync(new SyncState { Source = "x" }, CancellationToken.None));
        Assert.That(File.ReadAllText(outside), Is.EqualTo(State(string.Empty)));
    }

    [TestCase("fifo")]
    [TestCase("zero")]
    public void StateThatIsAFifoOrDevice_IsRefusedAtOnce(string kind)
    {
        Special(StatePath, kind);

        Task<SyncState> read = Task.Run(() => new SyncStateFile(_directory).Read(Site.US1));

        Assert.That(Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))).Result, Is.SameAs(read), "read ended");
        Assert.That(read.Exception?.InnerException, Is.TypeOf<FirewallSyncException>());
    }

    [Test]
    public async Task DanglingLockLink_IsRefusedAndItsTargetNeverCreated()
    {
        string target = Path.Combine(_directory, "elsewhere", "created");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.CreateSymbolicLink(Path.Combine(_directory, "sync.lock"), target);

        Assert.ThrowsAsync<InputFileException>(() => SyncLock.TakeAsync(_directory, TimeSpan.Zero, TimeProvider.System, CancellationToken.None));
        Assert.That(File.Exists(target), Is.False);

        File.Delete(Path.Combine(_directory, "sync.lock"));
        using FileLock taken = await SyncLock.TakeAsync(_directory, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);
        Assert.That(UnixFileStatus.Read(Path.Combine(_directory, "sync.lock"), followLinks: false)!.Value.Kind, Is.EqualTo(UnixFileKind.Regular));
    }

    [Test]
    public void LockThatIsAFifo_IsRefusedNotWaitedOn()
    {
        Special(Path.Combine(_directory, "sync.lock"), "fifo");

        Assert.ThrowsAsync<InputFileException>(() => SyncLock.TakeAsync(_directory, TimeSpan.Zero, TimeProvider.System, CancellationToken.None));
    }

    [TestCase("fifo")]
    [TestCase("zero")]
    public async Task CacheCurrentThatIsAFifoOrDevice_IsIgnoredNotReadAndNeverWrittenThrough(string kind)
    {
        var store = new SnapshotStore(_directory);
        await store.SaveAsync(Site.US1, IpRangesDocument.Load(FetchTesting.Document(47)), validators: null);
        string current = Path.Combine(store.SiteDirectory(Site.US1), "current.json");
        File.Delete(current);
        Special(current, kind);

        Task<IpRangesDocument?> read = store.GetCurrentAsync(Site.US1);
        Assert.That(await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(read), "read ended");
        // As for a damaged current.json: the newest version stored, which without the record of its SHA-256 nothing vouches for.
        Assert.That(read.Exception?.InnerException, Is.TypeOf<SnapshotUnvettedException>().With.Property("Version").EqualTo(47));
        Assert.ThrowsAsync<InputFileException>(() => store.SaveAsync(Site.US1, IpRangesDocument.Load(FetchTesting.Document(52)), validators: null));
    }

    [Test]
    public async Task Sync_PlantedGraceRecord_IsDroppedWithAWarningAndNeverReachesTheKernel()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        string[] args = ["--format", "nftables", "--keep-removed", "30d", .. SyncNamespaceTests.SectionArgs];
        ToolResult first = await host.SyncAsync(args);
        Assert.That(first.ExitCode, Is.Zero, first.Error);

        string path = Path.Combine(host.State, "state.json");
        JsonNode state = JsonNode.Parse(File.ReadAllText(path))!;
        JsonObject agents = state["published"]!["agents"]!.AsObject();
        string now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        agents["10.0.0.0/8"] = now;
        agents["198.51.100.0/24"] = "9999-12-31T23:59:59.9999999+00:00";
        agents["203.0.113.7"] = now;
        agents["203.0.113.7/32"] = now;
        File.WriteAllText(path, state.ToJsonString());
        host.Mirror.Serve(FetchTesting.Document(52));

        ToolResult second = await host.SyncAsync(args);

        Assert.That(second.ExitCode, Is.Zero, second.Error);
        Assert.That(second.Error, Does.Contain("10.0.0.0/8").And.Contain("no vetted document").And.Contain("198.51.100.0/24").And.Contain("203.0.113.7/32"));
        Assert.That(second.Error, Does.Not.Contain("   at "));
        string ruleset = host.NftRuleset();
        foreach (string planted in new[] { "10.0.0.0/8", "198.51.100.0", "203.0.113.7" })
        {
            Assert.That(ruleset, Does.Not.Contain(planted), "never loaded into the kernel");
        }

        Assert.That(File.ReadAllText(path), Does.Not.Contain("10.0.0.0/8"), "dropped from the record too");
    }

    [Test]
    public async Task Sync_StateThatIsALinkOrAFifo_ExitsOneAndTouchesNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        Directory.CreateDirectory(host.State);
        string outside = Path.Combine(host.Directory, "outside.json");
        File.WriteAllText(outside, "keep me");
        File.CreateSymbolicLink(Path.Combine(host.State, "state.json"), outside);

        ToolResult linked = await host.SyncAsync(["--format", "nftables", .. SyncNamespaceTests.SectionArgs]);

        Assert.That(linked.ExitCode, Is.EqualTo(1), linked.Error);
        Assert.That(linked.Error, Does.Contain("symbolic link"));
        Assert.That(linked.Error, Does.Not.Contain("   at "));
        Assert.That(File.ReadAllText(outside), Is.EqualTo("keep me"));
        Assert.That(host.NftRuleset(), Is.Empty);

        File.Delete(Path.Combine(host.State, "state.json"));
        Special(Path.Combine(host.State, "state.json"), "fifo");
        ToolResult fifo = await host.SyncAsync(["--format", "nftables", .. SyncNamespaceTests.SectionArgs]);

        Assert.That(fifo.ExitCode, Is.EqualTo(1), fifo.Error);
        Assert.That(fifo.Error, Does.Contain("FIFO"));
        Assert.That(host.NftRuleset(), Is.Empty);
    }

    private static void Special(string path, string kind)
    {
        if (kind == "fifo")
        {
            LinuxTools.Require("mkfifo");
            LinuxTools.Run("mkfifo", [path]).Succeeded();
        }
        else
        {
            LinuxTools.Require("mknod");
            LinuxTools.Run("mknod", [path, "c", "1", "5"]).Succeeded(); // the same device as /dev/zero
        }
    }
}
