using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// The cache survives a power loss whole: every file <c>fwrules fetch</c> puts in it (a version, the store's state) is flushed to
/// disk (<c>fsync</c>) before it is renamed over the old one, so a crash leaves the old file or the new, never a renamed file whose
/// content never reached the disk (an empty cache, and a host without its last good document). Seen from outside the process:
/// strace's record of its <c>fsync</c>, <c>fdatasync</c> and renames, each descriptor named by its path (<c>-y</c>).
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed partial class CacheDurabilityTests
{
    [Test]
    public async Task Fetch_EveryFileRenamedIntoTheCache_WasFlushedToDiskBeforeTheRename()
    {
        string strace = ExternalTool.Command("strace");
        string directory = Directory.CreateTempSubdirectory("fwrules-durable-").FullName;
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(46));
        try
        {
            string cache = Path.Combine(directory, "cache"), log = Path.Combine(directory, "strace.log");
            ToolResult fetched = await Task.Run(() => ExternalTool.Run(strace,
                ["-f", "-qq", "-y", "-o", log, "-e", "trace=fsync,fdatasync,rename,renameat,renameat2",
                    FwrulesProcess.Tool, "fetch", "--base-url", server.BaseUri.AbsoluteUri, "--cache", cache]));
            Assert.That(fetched.ExitCode, Is.Zero, fetched.Error);

            var flushed = new HashSet<string>(StringComparer.Ordinal);
            var renamed = new List<(string From, string To, bool Flushed)>();
            foreach (string line in File.ReadLines(log))
            {
                if (Flush().Match(line) is { Success: true } flush)
                {
                    flushed.Add(flush.Groups[1].Value);
                }
                else if (Rename().Match(line) is { Success: true } rename && rename.Groups[2].Value.StartsWith(cache, StringComparison.Ordinal))
                {
                    renamed.Add((rename.Groups[1].Value, rename.Groups[2].Value, flushed.Contains(rename.Groups[1].Value)));
                }
            }

            Assert.That(renamed.Select(r => Path.GetFileName(r.To)), Is.SupersetOf(new[] { "v46.json" }), $"the renames into the cache:\n{File.ReadAllText(log)}");
            Assert.That(renamed.Where(r => !r.Flushed).Select(r => $"{r.From} -> {r.To}"), Is.Empty, "renamed into the cache without an fsync first");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // "1234 fsync(21</tmp/.../.v46.json.fwrules-....tmp>) = 0": the flushed file's path.
    [GeneratedRegex(@"\b(?:fsync|fdatasync)\(\d+<([^>]+)>\) = 0$")]
    private static partial Regex Flush();

    // "1234 rename("/tmp/a", "/tmp/b") = 0", or renameat/renameat2 with directory descriptors before each path.
    [GeneratedRegex("""\brename(?:at2?)?\((?:[^"]*)"([^"]+)", (?:[^"]*)"([^"]+)"(?:, [^)]*)?\) = 0$""")]
    private static partial Regex Rename();
}
