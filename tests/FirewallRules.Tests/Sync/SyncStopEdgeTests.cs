using System.Diagnostics;
using System.Runtime.InteropServices;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The edges of a stopped host sync, with the real tool in throwaway namespaces: a stop that comes once the rules are
/// loaded, or once the run's last line is written, and a firewall tool killed without any stop of fwrules. Every time the
/// exit status and the one line agree, and the line says what the kernel holds.
/// </summary>
[TestFixture]
[Category("RealTools")]
[NonParallelizable]
public sealed class SyncStopEdgeTests
{
    private const int Term = 15, Kill = 9;

    private static readonly string[] Sections = ["--section", "agents", "--section", "logs", "--retries", "0"];

    [Test]
    public async Task Stop_AfterTheLoadFinished_SaysWhatIsInForceNotAHalfLoad()
    {
        await using SyncHost host = await SyncHost.StartAsync(36, "nft", "setsid");
        string[] sync = ["--format", "nftables", .. Sections];
        (await host.SyncAsync(sync)).Succeeded();
        host.Mirror.Serve(FetchTesting.Document(47));
        (string path, string marker, string release) = ListingHeldAfterTheLoad(host.Directory);

        using Process run = host.StartSyncWithPath(path, sync);
        Task<string> error = run.StandardError.ReadToEndAsync();
        Task<string> output = run.StandardOutput.ReadToEndAsync();
        // The held listing loops in its shell (it never becomes a sleep), and the stop goes to fwrules alone: its marker is enough.
        await HangingTool.WaitAsync(marker);
        Assert.That(Signal(run.Id, Term), Is.Zero, "kill");
        await Task.Delay(300);
        await File.WriteAllTextAsync(release, string.Empty);
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        string said = (await error).Trim();

        Assert.That(run.ExitCode, Is.EqualTo(143), said);
        Assert.That(await output, Does.StartWith("sync: applied ip-ranges version 47 "));
        Assert.That(said.Split('\n'), Has.Length.EqualTo(1), said);
        Assert.That(said, Does.StartWith("fwrules: sync: stopped by SIGTERM after loading the rules: table inet datadog holds ip-ranges version 47 ")
            .And.EndWith(", this run's rules, recorded in the state").And.Not.Contain("while loading"));
        Assert.That(host.NftRuleset(), Does.Contain("(ip-ranges v47)").And.Not.Contain("(ip-ranges v36)"));
        Assert.That((await host.SyncAsync(sync)).Output, Does.StartWith("sync: nothing to do: table inet datadog already holds ip-ranges version 47 "));
    }

    [Test]
    public async Task Stop_JustAfterTheLastLine_ExitStatusAgreesWithTheLine()
    {
        // The signal is sent as soon as the run's line is read: it lands while the run returns and the process exits. Before,
        // the handlers were given back to the runtime first, and a stop then ended the process with 143 and no line.
        await using SyncHost host = await SyncHost.StartAsync(47, "nft", "setsid");
        string[] sync = ["--format", "nftables", .. Sections];
        (await host.SyncAsync(sync)).Succeeded();
        var seen = new List<string>();
        for (int attempt = 0; attempt < 8; attempt++)
        {
            (int code, string output, string error) = await StopOnFirstLineAsync(host, sync);
            seen.Add($"{code}: {output.Split('\n')[0]} | {error.Trim()}");
            bool finished = code == 0 && output.StartsWith("sync: nothing to do: ", StringComparison.Ordinal) && error.Length == 0;
            bool stopped = code == 143 && error.Trim().Split('\n') is [var line] && line.StartsWith("fwrules: sync: stopped by SIGTERM", StringComparison.Ordinal);
            Assert.That(finished || stopped, Is.True, $"the status and the line disagree:\n{string.Join('\n', seen)}");
        }
    }

    [TestCase("nftables-chain", "the datadog-* sets and chains of table inet filter already hold ip-ranges version 47 ")]
    [TestCase("iptables-ipset-script", "the datadog-* ipsets and the datadog-egress/-ingress chains already hold ip-ranges version 47 ")]
    public async Task Sync_NothingToDoOnSeveralObjects_SaysTheyAlreadyHold(string format, string said)
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft", "ipset");
        string path = IptablesShim.Path(host.Directory);
        host.Namespace.Exec("nft", "add", "table", "inet", "filter").Succeeded();
        string[] sync = ["sync", .. host.Common, "--format", format, .. Sections];
        (await host.RunAsync(path, sync)).Succeeded();

        ToolResult again = await host.RunAsync(path, sync);

        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(again.Output, Does.StartWith($"sync: nothing to do: {said}"));
    }

    [TestCase("nftables", "nft", "-f -", "*", true, TestName = "ToolKilled_NftablesAfterItsTransactionWithoutAStop_ExitsOneAndSaysTheNewRulesAreInForce")]
    [TestCase("nftables", "nft", "-f -", "*", false, TestName = "ToolKilled_NftablesBeforeItsTransactionWithoutAStop_ExitsOneAndSaysTheOldRulesAreInForce")]
    [TestCase("iptables-ipset-script", "ipset", "restore", "'swap '*", true,
        TestName = "ToolKilled_IpsetSwapWithoutAStop_ExitsOneAndSaysTheOldRulesWerePutBack")]
    public async Task ToolKilled_WithoutAStop_ExitsOneAndSaysWhatTheKernelHolds(string format, string tool, string args, string firstLine, bool afterRunning)
    {
        bool nft = tool == "nft";
        await using SyncHost host = await SyncHost.StartAsync(36, nft ? ["nft", "setsid"] : ["ipset", "iptables", "ip6tables", "setsid"]);
        string basePath = IptablesShim.Path(host.Directory);
        string[] sync = ["--format", format, .. Sections];
        Assert.That((await host.RunAsync(basePath, ["sync", .. host.Common, .. sync])).ExitCode, Is.Zero);
        host.Mirror.Serve(FetchTesting.Document(47));
        string before = nft ? host.NftRuleset() : host.IptablesState();
        (string path, string marker) = HangingTool.Create(host.Directory, tool, args, firstLine, afterRunning, basePath);

        using Process run = host.StartSyncWithPath(path, sync);
        Task<string> error = run.StandardError.ReadToEndAsync();
        await HangingTool.WaitAsleepAsync(marker);
        Assert.That(Signal(HangingTool.HangingId(marker), Kill), Is.Zero, "kill -9 of the tool alone");
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        string said = (await error).Trim();

        Assert.That(run.ExitCode, Is.EqualTo(1), said);
        Assert.That(said.Split('\n'), Has.Length.EqualTo(1), said);
        Assert.That(said, Does.Contain("killed by SIGKILL").And.Not.Contain("Exception").And.Not.Contain("exit code"));
        bool newInForce = nft && afterRunning;
        if (newInForce)
        {
            Assert.That(said, Does.StartWith("fwrules: sync: nft -f was killed by SIGKILL while loading the rules into table inet datadog; read back, ")
                .And.EndWith("table inet datadog holds ip-ranges version 47 (2022-01-25T20:00:00Z), this run's rules, recorded in the state"));
            Assert.That(host.NftRuleset(), Does.Contain("(ip-ranges v47)").And.Not.Contain("(ip-ranges v36)"));
        }
        else
        {
            Assert.That(said, Does.Match(" read back, .* holds? the rules (it|they) held before this run; the state was left as it was$"));
            Assert.That(nft ? host.NftRuleset() : host.IptablesState(), Is.EqualTo(before), "the old rules, as they were");
        }

        ToolResult next = await host.RunAsync(basePath, ["sync", .. host.Common, .. sync]);
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(next.Output, Does.StartWith(newInForce ? "sync: nothing to do" : "sync: applied"), "the state agrees with the kernel");
    }

    /// <summary>Runs the sync and sends it SIGTERM the moment its first line is read; returns its status and what it wrote.</summary>
    private static async Task<(int Code, string Output, string Error)> StopOnFirstLineAsync(SyncHost host, string[] sync)
    {
        using Process run = host.StartSyncWithPath(null, sync);
        var output = new System.Text.StringBuilder();
        int signalled = 0;
        run.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && Interlocked.Exchange(ref signalled, 1) == 0)
            {
                Signal(run.Id, Term);
            }

            lock (output)
            {
                output.Append(line.Data).Append('\n');
            }
        };
        Task<string> error = run.StandardError.ReadToEndAsync();
        run.BeginOutputReadLine();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        run.WaitForExit();
        string written;
        lock (output)
        {
            written = output.ToString();
        }

        return (run.ExitCode, written, await error);
    }

    /// <summary>
    /// A PATH whose <c>nft</c> runs the real one, except the first listing of the table after a load succeeded: that one
    /// writes its process id to the marker and waits for the release file first (the run has loaded, and not yet recorded).
    /// </summary>
    private static (string Path, string Marker, string Release) ListingHeldAfterTheLoad(string directory)
    {
        string bin = Path.Combine(directory, "held"), marker = Path.Combine(directory, "holding"), release = Path.Combine(directory, "release");
        string loaded = Path.Combine(directory, "loaded");
        Directory.CreateDirectory(bin);
        string script = Path.Combine(bin, "nft");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            input=$(cat)
            if [ "$*" = '-f -' ]; then
              printf '%s\n' "$input" | /usr/sbin/nft "$@" || exit $?
              touch '{{loaded}}'
              exit 0
            fi
            if [ "$*" = '-s list table inet datadog' ] && [ -e '{{loaded}}' ] && [ ! -e '{{marker}}' ]; then
              echo $$ > '{{marker}}'
              while [ ! -e '{{release}}' ]; do sleep 0.05; done
            fi
            printf '%s\n' "$input" | /usr/sbin/nft "$@"
            """.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return ($"{bin}:/usr/sbin:/usr/bin:/sbin:/bin", marker, release);
    }

    private static int Signal(int pid, int signal) => SendSignal(pid, signal);

    // DllImport rather than LibraryImport: the signature is blittable, and the test project stays free of unsafe code.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
