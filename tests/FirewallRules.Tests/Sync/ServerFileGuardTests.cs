using System.Diagnostics;
using System.Runtime.InteropServices;
using FirewallRules.IO;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// What <c>fwrules sync -f nginx --output FILE</c>, run as root, refuses to write, and a stop while the server's own test runs,
/// with the real tool on one host (a namespace and its mirror): an output that is a link (to root's own file), in a directory
/// another user owns or anyone may write, or under one another user may change (whose owner could put a directory of their own in
/// its place), or owned by another user, is refused in one line before anything is fetched or written, as the cache and state
/// are (and so are a cache and a state inside a directory another user owns, and an output with a second hard link, which a
/// replacement by rename would leave with the old rules); a stop during the test puts the last good file
/// back and reloads nothing; a state on a full disk after the reload says the
/// new file is in force.
/// </summary>
[TestFixture]
[Category("RealTools")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServerFileGuardTests
{
    private const int Term = 15;

    private const UnixFileMode Shared = (UnixFileMode)0b111_101_101;

    private SyncHost? _host;

    private SyncHost Host => _host!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await SyncHost.StartAsync(46, "setsid");

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [TestCase("link another user owns to root's file", "output")]
    [TestCase("directory another user owns", "directory")]
    [TestCase("directory anyone may write", "directory")]
    [TestCase("directory its group may write", "directory")]
    [TestCase("file another user owns", "output")]
    [TestCase("directory inside one another user owns", "output")]
    [TestCase("directory inside one its group may write", "output")]
    [TestCase("link on the way into a directory another user owns", "output")]
    [TestCase("file with a second hard link", "output")]
    public async Task Sync_OutputAnotherUserCouldRedirectOrEdit_IsRefusedInOneLineAndNothingIsWrittenOrRun(string placement, string named)
    {
        (string output, string victim, string marker, string state) = Place(placement);
        int hits = Host.Mirror.Hits;

        ToolResult run = await SyncAsync(output, marker, state);

        string refused = named == "output" ? output : Path.GetDirectoryName(output)!;
        Assert.That((run.ExitCode, run.Output), Is.EqualTo((1, string.Empty)), run.Error);
        Assert.That(run.Error, Does.StartWith($"fwrules: refusing {refused}: ").And.Not.Contain("   at "));
        Assert.That(run.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
        Assert.That((File.ReadAllText(victim), UnixFileStatus.Read(victim)!.Value.Owner), Is.EqualTo(("victim\n", placement == "file another user owns" ? 65534u : 0u)),
            "the file is untouched");
        Assert.That(File.Exists(marker), Is.False, "neither the test nor the reload ran");
        Assert.That(Host.Mirror.Hits, Is.EqualTo(hits), "nothing fetched");
    }

    [TestCase("cache")]
    [TestCase("state")]
    public async Task Sync_CacheOrStateInsideADirectoryAnotherUserOwns_IsRefusedInOneLineAndNothingIsFetchedOrWritten(string which)
    {
        // Root's own directory, 0755, inside one another user owns: they may rename it and put one of their own, holding a planted
        // copy and its record or a grace record, in its place between the check and the read.
        string theirs = Directory.CreateDirectory(Path.Combine(Host.Directory, "theirs-" + which)).FullName;
        string inside = Directory.CreateDirectory(Path.Combine(theirs, which)).FullName;
        File.SetUnixFileMode(inside, Shared);
        UnixFileStatus.SetOwner(theirs, 65534, 65534);
        string own = Path.Combine(Host.Directory, "own-for-" + which), output = Path.Combine(own, "datadog.conf"), marker = Path.Combine(own, "ran");
        Directory.CreateDirectory(own);
        int hits = Host.Mirror.Hits;

        ToolResult run = await SyncAsync(output, marker, which == "state" ? inside : Path.Combine(own, "state"), which == "cache" ? inside : Path.Combine(own, "cache"));

        Assert.That((run.ExitCode, run.Output), Is.EqualTo((1, string.Empty)), run.Error);
        Assert.That(run.Error, Is.EqualTo($"fwrules: refusing {inside}: {theirs}, on its way, is owned by uid 65534, so another user could put a directory of " +
            "their own (and in it a link to any file) in the place of the one checked; keep it under directories only root or this user may change\n"));
        Assert.That((Directory.GetFileSystemEntries(inside), File.Exists(output), File.Exists(marker)), Is.EqualTo((Array.Empty<string>(), false, false)),
            "nothing written, checked or reloaded");
        Assert.That(Host.Mirror.Hits, Is.EqualTo(hits), "nothing fetched");
    }

    [Test]
    public async Task Sync_OutputOnlyRootCanWrite_IsWrittenCheckedAndReloaded()
    {
        (string output, _, string marker, string state) = Place("root's own");

        ToolResult run = await SyncAsync(output, marker, state);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(File.ReadAllText(output), Does.Contain("\nallow "));
        Assert.That(File.ReadAllLines(marker), Is.EqualTo(new[] { "checked", "reloaded" }));
    }

    [Test]
    public async Task Sync_StoppedWhileTheServersTestRuns_PutsTheLastGoodFileBackAndDoesNotReload()
    {
        string directory = Directory.CreateDirectory(Path.Combine(Host.Directory, "stopped")).FullName;
        string output = Path.Combine(directory, "datadog.conf"), reloads = Path.Combine(directory, "reloads"), started = Path.Combine(directory, "started");
        string[] sync = ["-f", "nginx", "--output", output, "--reload", $"echo >> {reloads}"];
        (await Host.SyncAsync([.. sync, "--check", "true"])).Succeeded();
        string good = File.ReadAllText(output);
        string[] state = Host.StateFiles();
        Host.Mirror.Serve(FetchTesting.Document(52));

        using Process run = Host.StartSync([.. sync, "--check", $"echo $$ > {started}; exec sleep 10"]);
        Task<string> error = run.StandardError.ReadToEndAsync();
        await HangingTool.WaitAsync(started);
        Assert.That(Signal(run.Id, Term), Is.Zero, "kill");
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        string said = (await error).Trim();

        Assert.That(run.ExitCode, Is.EqualTo(143), said);
        Assert.That(said.Split('\n'), Has.Length.EqualTo(1), said);
        Assert.That(said, Does.StartWith($"fwrules: sync: stopped by SIGTERM while loading the rules; read back, nginx file {output} "));
        Assert.That((File.ReadAllText(output), File.ReadAllLines(reloads).Length), Is.EqualTo((good, 1)), "the last good file is back, and nothing was reloaded");
        Assert.That(Host.StateFiles(), Is.EqualTo(state), "the state was left as it was");

        ToolResult next = await Host.SyncAsync([.. sync, "--check", "true"]);
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That((File.ReadAllText(output), File.ReadAllLines(reloads).Length), Is.Not.EqualTo((good, 1)), "the next run loads the new version");
    }

    [Test]
    public async Task Sync_StateOnAFullDiskAfterTheReload_SaysTheNewFileIsInForce_AndTheNextRunReloadsIt()
    {
        await using SyncHost host = await SyncHost.StartAsync(46, "unshare");
        string directory = Directory.CreateDirectory(Path.Combine(host.Directory, "out")).FullName;
        string output = Path.Combine(directory, "datadog.conf"), reloads = Path.Combine(directory, "reloads"), left = Path.Combine(host.Directory, "left");
        string[] sync = ["-f", "nginx", "--output", output, "--check", "true", "--reload", $"echo >> {reloads}"];
        (await host.SyncAsync(sync)).Succeeded();
        host.Mirror.Serve(FetchTesting.Document(52));

        ToolResult full = await FullDisk.SyncOnFullDiskAsync(host, host.State, left, sync);
        string said = full.Error.Trim();

        Assert.That(full.ExitCode, Is.EqualTo(1), said);
        Assert.That(said.Split('\n'), Has.Length.EqualTo(1), said);
        Assert.That(said, Does.Contain($"{output} is in place and passed 'true' and the server was reloaded, but its copy ").And.Contain("No space left on device")
            .And.EndWith("the next run tests and reloads it again"));
        Assert.That((File.ReadAllText(output).Contains("version 52", StringComparison.Ordinal), File.ReadAllLines(reloads).Length), Is.EqualTo((true, 2)),
            "the new file is in place and was reloaded, as the line says");
        ToolResult next = await host.SyncAsync(sync);
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(File.ReadAllLines(reloads), Has.Length.EqualTo(3), "the next run, with room, reloads the file it could not record");
    }

    // A folder per placement: the output's directory (root's, 0755, unless the placement says otherwise), another user's file that
    // a link may lead to, where the commands write, and the run's own state (a refused run must not depend on another's).
    private (string Output, string Victim, string Marker, string State) Place(string placement)
    {
        string root = Directory.CreateDirectory(Path.Combine(Host.Directory, placement.Replace(' ', '-').Replace('\'', '-'))).FullName;
        string directory = Directory.CreateDirectory(Path.Combine(root, "out")).FullName, elsewhere = Directory.CreateDirectory(Path.Combine(root, "elsewhere")).FullName;
        File.SetUnixFileMode(directory, Shared);
        File.SetUnixFileMode(elsewhere, Shared);
        string output = Path.Combine(directory, "datadog.conf");
        string victim = placement == "file another user owns" ? output : Path.Combine(elsewhere, "file");
        File.WriteAllText(victim, "victim\n");
        switch (placement)
        {
            case "file another user owns":
                UnixFileStatus.SetOwner(victim, 65534, 65534);
                break;
            case "link another user owns to root's file":
                // Root's file, as /etc/shadow is: following the link, its owner and mode would pass.
                File.CreateSymbolicLink(output, victim);
                LinuxTools.Run("chown", ["-h", "65534:65534", output]).Succeeded();
                break;
            case "directory another user owns":
                UnixFileStatus.SetOwner(directory, 65534, 65534);
                break;
            case "directory anyone may write":
                File.SetUnixFileMode(directory, (UnixFileMode)0b1_111_111_111);
                break;
            case "directory its group may write":
                File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_101);
                break;
            case "directory inside one another user owns":
                // Its owner may rename the root-owned directory below and put one of their own, with a link, in its place.
                UnixFileStatus.SetOwner(root, 65534, 65534);
                break;
            case "directory inside one its group may write":
                File.SetUnixFileMode(root, (UnixFileMode)0b111_111_101);
                break;
            case "file with a second hard link":
                // Root's own file, as an admin's second name for it: a write in place would change both (and a full disk cut both short).
                LinuxTools.Run("ln", [victim, output]).Succeeded();
                break;
            case "link on the way into a directory another user owns":
                string theirs = Directory.CreateDirectory(Path.Combine(root, "theirs")).FullName;
                File.SetUnixFileMode(Directory.CreateDirectory(Path.Combine(theirs, "out")).FullName, Shared);
                UnixFileStatus.SetOwner(theirs, 65534, 65534);
                Directory.Delete(directory);
                Directory.CreateSymbolicLink(directory, Path.Combine(theirs, "out"));
                break;
        }

        return (output, victim, Path.Combine(root, "ran"), Path.Combine(root, "state"));
    }

    private Task<ToolResult> SyncAsync(string output, string marker, string state, string? cache = null) => Host.RunAsync(null,
    [
        "sync", "--base-url", Host.Mirror.BaseUri.AbsoluteUri, "--cache", cache ?? Host.Cache, "--state", state,
        "-f", "nginx", "--output", output, "--check", $"echo checked >> {marker}", "--reload", $"echo reloaded >> {marker}",
    ]);

    private static int Signal(int pid, int signal) => SendSignal(pid, signal);

    // DllImport rather than LibraryImport: the signature is blittable, and the test project stays free of unsafe code.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
