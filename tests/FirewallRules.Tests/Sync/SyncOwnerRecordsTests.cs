using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The owner records under <c>/run/fwrules/owners</c> (one per namespace and table a sync applied) in real namespaces:
/// a sync removes the records of namespaces that are gone, and never a live namespace's, however many runs clean at once.
/// </summary>
[TestFixture]
[NonParallelizable] // alone: a namespace another test creates meanwhile may take a deleted one's inode, and its record then rightly stays
[Category("RealTools")]
public class SyncOwnerRecordsTests
{
    private const string Owners = "/run/fwrules/owners";

    private static readonly string[] Args = ["--format", "nftables", "--section", "logs"];

    [Test]
    public async Task Sync_AfterANamespaceWasDeleted_RemovesItsRecordAndKeepsTheLiveOnes()
    {
        string goneState;
        string goneRecord;
        await using (SyncHost gone = await SyncHost.StartAsync(47, "nft"))
        {
            (await gone.SyncAsync(Args)).Succeeded();
            (goneState, goneRecord) = (gone.State, RecordOf(gone));
        }

        // Its state stays (a container's volume): only the namespace is gone.
        Directory.CreateDirectory(goneState);
        try
        {
            await using SyncHost live = await SyncHost.StartAsync(47, "nft");
            await using SyncHost other = await SyncHost.StartAsync(47, "nft");
            Assert.That(File.Exists(goneRecord), Is.True, "the deleted namespace's record is there until the next sync");

            // Two runs at once, each writing its record and cleaning.
            ToolResult[] runs = await Task.WhenAll(live.SyncAsync(Args), other.SyncAsync(Args));

            Assert.That(runs.Select(r => r.ExitCode), Is.All.EqualTo(0), string.Concat(runs.Select(r => r.Error)));
            Assert.That(File.Exists(goneRecord), Is.False, $"{goneRecord} names a namespace that is gone");
            string otherRecord = RecordOf(other);
            Assert.That(File.Exists(RecordOf(live)), Is.True, "the live namespaces' records stay");
            Assert.That(File.ReadAllText(otherRecord), Does.Match($"^{System.Text.RegularExpressions.Regex.Escape(other.State)}\nnetns-inode {Inode(other)}\n$"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(goneState)!, recursive: true);
        }
    }

    [Test]
    public async Task Sync_RecordsWrittenByHand_RemovesOnlyThoseOfNoLiveNamespaceOrWithoutAState()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        string kept = Path.Combine(host.Directory, "kept-state");
        Directory.CreateDirectory(kept);
        string tag = Guid.NewGuid().ToString("N")[..8];
        var records = new Dictionary<string, (string Content, bool Stays)>
        {
            // Named by an inode no namespace has (1 is the root directory's of some file system, never a namespace's).
            [$"net1-table_inet_s9h{tag}"] = ($"{kept}\n", false),
            // Named by the inode of a live namespace (this test's): it may be its own, and stays.
            [$"net{Inode(host)}-table_inet_s9h{tag}"] = ($"{kept}\n", true),
            // Named by a cookie, holding an inode no namespace has.
            [$"netcookie18446744073709551001-table_inet_s9h{tag}"] = ($"{kept}\nnetns-inode 1\n", false),
            // Named by a cookie, holding a live namespace's inode: perhaps a reused inode, so it stays.
            [$"netcookie18446744073709551002-table_inet_s9h{tag}"] = ($"{kept}\nnetns-inode {Inode(host)}\n", true),
            // Written before records held the inode: removed once its state is gone, as it then refuses nothing.
            [$"netcookie18446744073709551003-table_inet_s9h{tag}"] = ($"{Path.Combine(host.Directory, "no-such-state")}\n", false),
            [$"netcookie18446744073709551004-table_inet_s9h{tag}"] = ($"{kept}\n", true),
        };
        Directory.CreateDirectory(Owners);
        foreach ((string name, (string content, _)) in records)
        {
            await File.WriteAllTextAsync(Path.Combine(Owners, name), content);
        }

        try
        {
            ToolResult run = await host.SyncAsync(Args);

            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(records.Where(r => File.Exists(Path.Combine(Owners, r.Key)) != r.Value.Stays).Select(r => r.Key), Is.Empty,
                "records removed that should stay, or left that should go");
            Assert.That(File.Exists(RecordOf(host)), Is.True, "its own record");
        }
        finally
        {
            foreach (string name in records.Keys)
            {
                File.Delete(Path.Combine(Owners, name));
            }
        }
    }

    // The record naming the host's state (one table: table inet datadog).
    private static string RecordOf(SyncHost host)
    {
        string[] found = [.. Directory.GetFiles(Owners, "*-table_inet_datadog").Where(path => Read(path)?.Split('\n')[0] == host.State)];
        Assert.That(found, Has.Length.EqualTo(1), $"one record naming {host.State}");
        return found[0];
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // removed meanwhile by another run
        }
    }

    private static string Inode(SyncHost host) => LinuxTools.Run("stat", ["-L", "-c", "%i", $"/run/netns/{host.Namespace.Name}"]).Succeeded().Trim();
}
