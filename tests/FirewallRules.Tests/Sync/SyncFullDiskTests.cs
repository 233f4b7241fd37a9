using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The cache and the state on one full disk (a tiny tmpfs over both, as /var is for a host's /var/cache and /var/lib), while
/// the upstream has a newer version: the run cannot store it, keeps the cached version in force and exits 4, as documented, in one
/// line; nothing on the disk is torn or lost, and the next run with room applies the newer version.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class SyncFullDiskTests
{
    private static readonly string[] Args = ["--format", "nftables", "--section", "logs", "--retries", "0"];

    [Test]
    public async Task Sync_CacheAndStateOnOneFullDisk_ExitsFourKeepingTheCachedVersionAndLosesNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "unshare");
        host.Mirror.Serve(DocumentEdits.Edit(59, root => root["version"] = 1000));
        (await host.SyncAsync(Args)).Succeeded();
        string[] before = DiskContents.Of(host.Directory);
        host.Mirror.Serve(DocumentEdits.Edit(59, root =>
        {
            root["version"] = 1001;
            root["logs"]!["prefixes_ipv4"]!.AsArray().Add("52.94.1.1/32");
        }));

        string left = Path.Combine(Path.GetTempPath(), $"fwrules-left-{Guid.NewGuid():N}");
        ToolResult full = await FullDisk.SyncOnFullDiskAsync(host, host.Directory, left, Args);
        string[] after = DiskContents.Of(left);
        Directory.Delete(left, recursive: true);
        string kernel = host.NftRuleset();
        ToolResult next = await host.SyncAsync(Args);

        Assert.That(full.ExitCode, Is.EqualTo(4), full.Output + full.Error);
        Assert.That(full.Error.Trim().Split('\n'), Has.Length.EqualTo(1), full.Error);
        Assert.That(full.Error, Does.StartWith("fwrules: sync: the cache ").And.Contain("No space left on device").And.Contain(
            "kept the cached ip-ranges version 1000 instead"));
        Assert.That(after, Is.EqualTo(before), "a file on the full disk was torn, replaced or left behind");
        Assert.That(kernel, Does.Contain("(ip-ranges v1000)").And.Not.Contain("52.94.1.1"));
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(next.Output, Does.StartWith("sync: applied ip-ranges version 1001 "));
    }
}

/// <summary>A folder's files, each with its SHA-256, for comparing before and after a run.</summary>
file static class DiskContents
{
    public static string[] Of(string directory) =>
        [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) is not (".filler" or "sync.lock"))
            .Select(f => $"{Path.GetRelativePath(directory, f)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}")
            .Order(StringComparer.Ordinal)];
}
