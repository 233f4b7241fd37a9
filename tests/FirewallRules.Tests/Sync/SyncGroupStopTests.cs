using System.Diagnostics;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// SIGTERM sent to a real host sync's whole process group while a firewall tool runs, as <c>systemctl stop</c> and
/// <c>TimeoutStartSec=</c> do under KillMode=control-group: the tool dies too. A wrapper (<see cref="HangingTool"/>) hangs the
/// tool at a known point, before or after its change. The run reads the kernel back and says what is in force, the state
/// agrees with the kernel, no temporary ipset is left, and the next run converges.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("RealTools")]
public sealed class SyncGroupStopTests
{
    private static readonly string[] Sections = ["--section", "agents", "--section", "logs", "--retries", "0"];

    [TestCase("nftables", "nft", "-f -", "*", true, true, TestName = "GroupStop_NftablesKilledAfterItsTransactionCommitted_ReportsAndRecordsTheNewRules")]
    [TestCase("nftables", "nft", "-f -", "*", false, false, TestName = "GroupStop_NftablesKilledBeforeItsTransaction_ReportsTheOldRulesAndKeepsTheState")]
    [TestCase("nftables-chain", "nft", "-f -", "*", true, true, TestName = "GroupStop_NftablesChainKilledAfterItsTransactionCommitted_ReportsAndRecordsTheNewRules")]
    [TestCase("iptables-ipset-script", "ipset", "restore", "'swap '*", true, false, TestName = "GroupStop_IpsetKilledAfterItsSwap_PutsTheOldRulesBackAndSaysSo")]
    [TestCase("iptables-ipset-script", "ipset", "restore", "'create '*", true, false, TestName = "GroupStop_IpsetKilledWhileStaging_LeavesNoTemporarySet")]
    [TestCase("iptables-ipset-script", "ipset", "restore", "'destroy '*", true, true,
        TestName = "GroupStop_IpsetKilledDestroyingTheTwins_ReportsTheNewRulesAndLeavesNoTemporarySet")]
    [TestCase("iptables-ipset-script", "iptables-restore", "-w --noflush", "*", true, false,
        TestName = "GroupStop_IptablesRestoreKilledAfterItCommitted_PutsTheOldChainsBackWithTheOldSets")]
    public async Task GroupStop_WhileAToolRuns_ReportMatchesTheKernelAndTheNextRunConverges(string format, string tool, string args, string firstLine,
        bool afterRunning, bool newInForce)
    {
        bool nft = tool == "nft";
        await using SyncHost host = await SyncHost.StartAsync(36, nft ? ["nft"] : ["ipset", "iptables", "ip6tables"]);
        string basePath = IptablesShim.Path(host.Directory);
        if (format == "nftables-chain")
        {
            host.Namespace.Exec("nft", "add", "table", "inet", "filter").Succeeded();
        }

        string[] sync = ["--format", format, .. Sections];
        Assert.That((await host.RunAsync(basePath, ["sync", .. host.Common, .. sync])).ExitCode, Is.Zero);
        host.Mirror.Serve(FetchTesting.Document(47));
        string before = Kernel(host, nft);
        string[] state = host.StateFiles();
        (string path, string marker) = HangingTool.Create(host.Directory, tool, args, firstLine, afterRunning, basePath);

        using Process run = host.StartSyncWithPath(path, sync);
        Task<string> error = run.StandardError.ReadToEndAsync();
        Task<string> output = run.StandardOutput.ReadToEndAsync();
        await HangingTool.WaitAsleepAsync(marker);
        LinuxTools.Run("kill", ["-TERM", "--", $"-{run.Id}"]).Succeeded();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        string said = (await error).Trim();

        Assert.That(run.ExitCode, Is.EqualTo(143), said + await output);
        Assert.That(said.Split('\n'), Has.Length.EqualTo(1).And.All.StartsWith("fwrules: sync: stopped by SIGTERM while loading the rules; read back, "), said);
        Assert.That(said, Does.Not.Contain("Exception").And.Not.Contain("exit code"));
        Assert.That(TemporarySets(host, nft), Is.Empty, "a temporary ipset was left");
        if (newInForce)
        {
            Assert.That(said, Does.Contain("version 47").And.EndWith(", this run's rules, recorded in the state"));
            Assert.That(Kernel(host, nft), Does.Contain("(ip-ranges v47)").And.Not.Contain("(ip-ranges v36)"));
            Assert.That(host.StateFiles(), Is.Not.EqualTo(state), "the state records the rules in force");
        }
        else
        {
            Assert.That(said, Does.Match(nft
                ? " table inet datadog holds the rules it held before this run; the state was left as it was$"
                : " the datadog-\\* ipsets and the datadog-egress/-ingress chains hold the rules they held before this run; the state was left as it was$"));
            Assert.That(Kernel(host, nft), Is.EqualTo(before), "the old rules, as they were");
            Assert.That(host.StateFiles(), Is.EqualTo(state), "the state was left as it was");
        }

        ToolResult next = await host.RunAsync(basePath, ["sync", .. host.Common, .. sync]);
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(next.Output, Does.StartWith(newInForce ? "sync: nothing to do" : "sync: applied"), "the state agreed with the kernel");
        Assert.That(Kernel(host, nft), Does.Contain("(ip-ranges v47)").And.Not.Contain("(ip-ranges v36)"));
        Assert.That(TemporarySets(host, nft), Is.Empty);
    }

    [Test]
    public async Task Sync_TemporaryIpsetsAKilledRunLeft_AreDestroyed()
    {
        await using SyncHost host = await SyncHost.StartAsync(36, "ipset", "iptables", "ip6tables");
        string basePath = IptablesShim.Path(host.Directory);
        // Twins a killed run left: one of a set this run loads, one of a port no longer synced.
        host.Namespace.Exec("ipset", "create", "datadog-e443-tcp4-tmp", "hash:net").Succeeded();
        host.Namespace.Exec("ipset", "create", "datadog-e9999-tcp4-tmp", "hash:net").Succeeded();
        host.Namespace.Exec("ipset", "create", "other-e443-tcp4-tmp", "hash:net").Succeeded();

        ToolResult run = await host.RunAsync(basePath, ["sync", .. host.Common, "--format", "iptables-ipset-script", .. Sections]);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(TemporarySets(host, nft: false), Is.EqualTo(new[] { "other-e443-tcp4-tmp" }), "another name's sets are not this sync's");
    }

    [TestCase("nftables", "nft", "-f -", "'-s list table inet datadog'", "table inet datadog is not there",
        TestName = "SecondStop_WhileTheTableIsReadBack_ReadsAgainAndSaysItIsNotThereAsBefore")]
    [TestCase("iptables-ipset-script", "ipset", "restore", "'save datadog-'*", "the datadog-* ipsets and the datadog-egress/-ingress chains are not there",
        TestName = "SecondStop_WhileTheIpsetsAreReadBack_ReadsAgainAndSaysTheyAreNotThereAsBefore")]
    public async Task SecondStop_WhileTheKernelIsReadBack_ReadsAgainAndSaysWhatIsInForce(string format, string tool, string load, string read, string notThere)
    {
        // A first boot's sync (nothing of it in the kernel) stopped while its load hangs; a second stop to the whole group, as a
        // second Ctrl+C sends, kills the read-back's tool. The read is made again, and the first stop's line says what is there.
        bool nft = tool == "nft";
        await using SyncHost host = await SyncHost.StartAsync(47, nft ? ["nft"] : ["ipset", "iptables", "ip6tables"]);
        string basePath = IptablesShim.Path(host.Directory);
        (string path, string loading, string reading) = HangLoadThenReadBack(host.Directory, tool, load, read, basePath, loadRuns: false);
        string before = Kernel(host, nft);

        using Process run = host.StartSyncWithPath(path, ["--format", format, .. Sections]);
        Task<string> error = run.StandardError.ReadToEndAsync();
        await HangingTool.WaitAsleepAsync(loading);
        LinuxTools.Run("kill", ["-TERM", "--", $"-{run.Id}"]).Succeeded();
        await HangingTool.WaitAsleepAsync(reading);
        LinuxTools.Run("kill", ["-INT", "--", $"-{run.Id}"]).Succeeded();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        string said = SyncHost.WithoutOldCopyWarning((await error).Trim());

        Assert.That(run.ExitCode, Is.EqualTo(143), said);
        Assert.That(said.Split('\n'), Has.Length.EqualTo(1), said);
        Assert.That(said, Is.EqualTo($"fwrules: sync: stopped by SIGTERM while loading the rules; read back, {notThere}, as before this run; the state was left as it was"));
        Assert.That(Kernel(host, nft), Is.EqualTo(before));
        Assert.That(TemporarySets(host, nft), Is.Empty, "a temporary ipset was left");
    }

    [Test]
    public async Task GroupStop_WhileTheLoadedRulesAreReadForTheState_ReadsAgainRecordsThemAndSaysTheyAreInForce()
    {
        // The load has committed; the stop kills the listing the run reads to record the state. That read failed the run
        // with exit 1 ("cannot read the firewall: ... killed by SIGTERM") while the new rules were in force and the state
        // still named the old ones.
        await using SyncHost host = await SyncHost.StartAsync(36, "nft");
        string basePath = IptablesShim.Path(host.Directory);
        string[] sync = ["--format", "nftables", .. Sections];
        Assert.That((await host.RunAsync(basePath, ["sync", .. host.Common, .. sync])).ExitCode, Is.Zero);
        host.Mirror.Serve(FetchTesting.Document(47));
        (string path, _, string reading) = HangLoadThenReadBack(host.Directory, "nft", "-f -", "'-s list table inet datadog'", basePath, loadRuns: true);

        using Process run = host.StartSyncWithPath(path, sync);
        Task<string> error = run.StandardError.ReadToEndAsync();
        Task<string> output = run.StandardOutput.ReadToEndAsync();
        await HangingTool.WaitAsleepAsync(reading);
        LinuxTools.Run("kill", ["-TERM", "--", $"-{run.Id}"]).Succeeded();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        string said = (await error).Trim();

        Assert.That(run.ExitCode, Is.EqualTo(143), said + await output);
        Assert.That(said.Split('\n'), Has.Length.EqualTo(1), said);
        Assert.That(said, Does.StartWith("fwrules: sync: stopped by SIGTERM after loading the rules: table inet datadog holds ip-ranges version 47 ")
            .And.EndWith(", this run's rules, recorded in the state"));
        Assert.That(Kernel(host, nft: true), Does.Contain("(ip-ranges v47)").And.Not.Contain("(ip-ranges v36)"));
        Assert.That((await host.RunAsync(basePath, ["sync", .. host.Common, .. sync])).Output, Does.StartWith("sync: nothing to do"));
    }

    /// <summary>
    /// A wrapper that hangs <paramref name="tool"/>'s load (<paramref name="load"/>: before it runs, or once it ran when
    /// <paramref name="loadRuns"/>), then the first call matching the shell pattern <paramref name="read"/> after it: each
    /// hang writes its marker and sleeps until a stop kills it.
    /// </summary>
    private static (string Path, string Loading, string Reading) HangLoadThenReadBack(string directory, string tool, string load, string read, string basePath,
        bool loadRuns)
    {
        string bin = Path.Combine(directory, "hang2"), loading = Path.Combine(directory, "loading"), reading = Path.Combine(directory, "reading");
        Directory.CreateDirectory(bin);
        string script = Path.Combine(bin, tool);
        File.WriteAllText(script, $$"""
            #!/bin/sh
            input=$(cat)
            if [ "$*" = '{{load}}' ] && [ ! -e '{{loading}}' ]; then
              {{(loadRuns ? $"printf '%s\\n' \"$input\" | /usr/sbin/{tool} \"$@\" || exit $?; echo $$ > '{loading}'; exit 0" : $"echo $$ > '{loading}'; exec sleep 120")}}
            fi
            if [ -e '{{loading}}' ] && [ ! -e '{{reading}}' ]; then
              case "$*" in {{read}}) echo $$ > '{{reading}}'; exec sleep 120 ;; esac
            fi
            printf '%s\n' "$input" | /usr/sbin/{{tool}} "$@"
            """.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return ($"{bin}:{basePath}", loading, reading);
    }

    private static string Kernel(SyncHost host, bool nft) => nft ? host.NftRuleset() : host.IptablesState();

    private static string[] TemporarySets(SyncHost host, bool nft) => nft
        ? []
        : [.. host.Namespace.Exec("ipset", "list", "-n").Succeeded().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(set => set.EndsWith("-tmp", StringComparison.Ordinal)).Order()];
}
