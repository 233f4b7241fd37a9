using System.Net;
using System.Net.Sockets;
using FirewallRules.Tests.Aws;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// SIGTERM (systemd's stop, <c>TimeoutStartSec=</c>) and SIGINT (Ctrl+C) sent to a real host <c>fwrules sync</c> while it
/// fetches: the run stops, says so in one line and exits with the signal's status, never with a stack trace.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("RealTools")]
public sealed class SyncStopTests
{
    private const int ManySections = 1_500_000;

    private static readonly TimeSpan CommandLineStop = TimeSpan.FromSeconds(1);

    [TestCase("TERM", 143, "SIGTERM")]
    [TestCase("INT", 130, "SIGINT")]
    public async Task Signal_WhileTheFetchIsUnderWay_ExitsWithTheSignalsStatusAndOneLine(string signal, int status, string name)
    {
        using var work = new TempFiles();
        // An upstream that accepts the connection and never answers: the run is inside its fetch when the signal comes.
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        int port = ((IPEndPoint)upstream.LocalEndpoint).Port;
        using SyncProcess sync = SyncProcess.Start(new Dictionary<string, string>(),
        [
            "sync", "-f", "nftables", "--dry-run", "--retries", "0", "--base-url", $"http://127.0.0.1:{port}/",
            "--cache", Path.Combine(work.DirectoryPath, "cache"), "--state", Path.Combine(work.DirectoryPath, "state"),
            "--name", "fwrstop",
        ]);
        using TcpClient held = await upstream.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await Task.Delay(300);

        sync.Signal(signal);
        ProcessResult stopped = await sync.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(stopped.ExitCode, Is.EqualTo(status), stopped.Error);
        Assert.That(stopped.Error.Trim().Split('\n'), Has.Length.EqualTo(1).And.All.StartsWith($"fwrules: sync: stopped by {name}"), "not one line");
        Assert.That(stopped.Error, Does.Not.Contain("Exception").And.Not.Contain("   at "));
    }

    [Test]
    public async Task Signal_WhileTheCommandLineIsRead_ExitsWithTheSignalsStatusAndOneLine()
    {
        // A response file long enough that reading the command line takes seconds of CPU: the stop comes once the process
        // has spent CommandLineStop of it, long after the program's first line (tens of milliseconds) and long before the
        // run begins. The handlers were installed when the run began, and such a stop ended the process with 143 and no line.
        using var work = new TempFiles();
        string many = work.Write("sections.rsp", string.Concat(Enumerable.Repeat("--section\nagents\n", ManySections)));
        using SyncProcess sync = SyncProcess.Start(new Dictionary<string, string>(),
        [
            "sync", "-f", "nftables", $"@{many}", "--dry-run", "--retries", "0", "--base-url", "http://127.0.0.1:9/",
            "--cache", Path.Combine(work.DirectoryPath, "cache"), "--state", Path.Combine(work.DirectoryPath, "state"), "--name", "fwrstop",
        ]);
        TimeSpan used = await CpuTime.WaitAsync(sync.Id, CommandLineStop);

        sync.Signal("TERM");
        ProcessResult stopped = await sync.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.That(used, Is.GreaterThanOrEqualTo(CommandLineStop), "the run ended before the stop");
        Assert.That(stopped.ExitCode, Is.EqualTo(143), stopped.Error);
        Assert.That(stopped.Error.Trim().Split('\n'), Has.Length.EqualTo(1).And.All.StartsWith("fwrules: sync: stopped by SIGTERM before loading anything"),
            "not one line");
    }
}
