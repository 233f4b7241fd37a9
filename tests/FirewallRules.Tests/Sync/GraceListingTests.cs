using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using FirewallRules.Fetching;
using FirewallRules.Sync;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A grace record of any size prints a bounded listing: a state planted with 150,000 prefixes no vetted document published
/// printed one warning for each (24 MB on stderr), and a dry run keeping many prefixes listed every one. Now each listing
/// names the first <see cref="SyncReport.ListedAtMost"/> and counts the rest; and a state file too large to be a record is
/// refused in one line that says so.
/// </summary>
[TestFixture]
[SupportedOSPlatform("linux")]
[Platform("Linux")]
[Category("RealTools")]
public sealed class GraceListingTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("fwrules-grace-listing-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static string Planted(int count)
    {
        var text = new StringBuilder("{\"source\":\"").Append(Site.US1.IpRangesUri.AbsoluteUri).Append("\",\"published\":{\"agents\":{");
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}\"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}/32\":\"2026-01-01T00:00:00Z\"");
        }

        return text.Append("}}}").ToString();
    }

    [Test]
    public async Task Vet_150000UnvettedRecords_WarnsAboutTheFirstAndCountsTheRest()
    {
        File.WriteAllText(Path.Combine(_directory, "state.json"), Planted(150_000));
        SyncState state = new SyncStateFile(_directory).Read(Site.US1);
        var store = new SnapshotStore(Path.Combine(_directory, "cache"));

        IReadOnlyList<string> warnings = await GraceRecord.VetAsync(state, IpRangesDocument.Load(FetchTesting.Document(47)), store, Site.US1,
            CancellationToken.None);

        Assert.That(warnings, Has.Count.EqualTo(SyncReport.ListedAtMost + 1));
        Assert.That(warnings[0], Does.StartWith("the sync state asks to keep 10.0.0.0/32 in 'agents', which no vetted document"));
        Assert.That(warnings[^1], Does.StartWith($"the sync state asks to keep {150_000 - SyncReport.ListedAtMost} more prefixes no vetted document"));
        Assert.That(state.Published["agents"], Is.Empty, "every one is dropped, listed or not");
    }

    [Test]
    public void StateLargerThanTheLimit_IsRefusedInOneLineSayingWhy()
    {
        File.WriteAllText(Path.Combine(_directory, "state.json"), Planted(500_000));

        FirewallSyncException error = Assert.Throws<FirewallSyncException>(() => new SyncStateFile(_directory).Read(Site.US1))!;

        Assert.That(error.Message, Does.Contain("is larger than the 16 MiB").And.Not.Contain("regular file").And.Not.Contain("\n"));
        Assert.That(error.Message, Does.Contain("move it away"));
    }

    [Test]
    [Category("RealTools")]
    public async Task Sync_150000PlantedRecords_PrintsABoundedWarning()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        string[] sync = ["--format", "nftables", .. SyncNamespaceTests.SectionArgs];
        (await host.SyncAsync(sync)).Succeeded();
        string path = Path.Combine(host.State, "state.json");
        JsonNode state = JsonNode.Parse(File.ReadAllText(path))!;
        state["published"]!["agents"] = JsonNode.Parse(Planted(150_000))!["published"]!["agents"]!.DeepClone();
        File.WriteAllText(path, state.ToJsonString());

        ToolResult run = await host.SyncAsync([.. sync, "--dry-run"]);

        Assert.That(run.ExitCode, Is.Zero, run.Error.Length > 2000 ? run.Error[..2000] : run.Error);
        string[] lines = run.Error.TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(SyncReport.ListedAtMost + 1), "a line per listed record, and one for the rest");
        Assert.That(lines[^1], Does.StartWith($"fwrules: warning: the sync state asks to keep {150_000 - SyncReport.ListedAtMost} more prefixes"));
    }

    [Test]
    [Category("RealTools")]
    public async Task DryRun_KeepingManyPrefixes_ListsTheFirstAndCountsTheRest()
    {
        const int Extra = 60;
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        string[] sync = ["--format", "nftables", "--keep-removed", "30d", .. SyncNamespaceTests.SectionArgs];
        host.Mirror.Serve(Version(48, Extra));
        (await host.SyncAsync(sync)).Succeeded();
        host.Mirror.Serve(Version(49, 0));

        ToolResult run = await host.SyncAsync([.. sync, "--dry-run"]);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        string[] kept = [.. run.Output.Split('\n').Where(line => line.StartsWith("    = ", StringComparison.Ordinal))];
        Assert.That(run.Output, Does.Contain($"  kept {Extra} prefixes Datadog no longer publishes"));
        Assert.That(kept, Has.Length.EqualTo(SyncReport.ListedAtMost));
        Assert.That(run.Output, Does.Contain($"\n    ... and {Extra - SyncReport.ListedAtMost} more\n"));
    }

    // Version 47 renumbered, its agents section with `extra` more single addresses (public, beside its own), none next to another (so none merge).
    private static byte[] Version(int version, int extra)
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(FetchTesting.Document(47)))!;
        document["version"] = version;
        JsonArray prefixes = document["agents"]!["prefixes_ipv4"]!.AsArray();
        for (int i = 0; i < extra; i++)
        {
            prefixes.Add($"3.233.200.{2 * i}/32");
        }

        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }
}
