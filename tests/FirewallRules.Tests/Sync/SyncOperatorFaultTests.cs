using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// What an operator does to a host sync on purpose, in a throwaway namespace with the real tool: SIGTERM (systemd's stop)
/// at seeded random points of runs that change the rules, the state directory's disk full while a run applies a new
/// version, and an ipset made by hand under a name the run loads. The kernel holds the old rules or the new, never part;
/// the state file is whole; the next run converges.
/// </summary>
[TestFixture]
[Category("RealTools")]
[NonParallelizable]
public sealed class SyncOperatorFaultTests
{
    private const int Term = 15;

    private static readonly string[] Args = ["--format", "nftables", "--section", "agents", "--section", "logs", "--keep-removed", "0s", "--retries", "0"];

    [Test]
    public async Task Sigterm_AtSeededRandomPointsOfRunsThatChangeTheRules_KernelHoldsTheOldOrTheNewAndTheStateIsWhole()
    {
        // FWRULES_STOP_RUNS and FWRULES_STOP_SEED make a longer trial (the operator's 32 runs); CI plays 12.
        int runs = Setting("FWRULES_STOP_RUNS", 12);
        int seed = Setting("FWRULES_STOP_SEED", 20261126);
        var random = new Random(seed);
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "setsid");
        host.Mirror.Serve(Document(1000));
        (await host.SyncAsync(Args)).Succeeded();
        var clock = Stopwatch.StartNew();
        host.Mirror.Serve(Document(1001));
        (await host.SyncAsync(Args)).Succeeded();
        TimeSpan run = clock.Elapsed;
        var seen = new List<string>();
        for (int i = 2; i < 2 + runs; i++)
        {
            string old = Ruleset(host);
            host.Mirror.Serve(Document(1000 + i));
            TimeSpan delay = run * random.NextDouble() * 1.2;
            using Process sync = host.StartSync(Args);
            Task<string> error = sync.StandardError.ReadToEndAsync();
            Task<string> output = sync.StandardOutput.ReadToEndAsync();
            await Task.Delay(delay);
            _ = SendSignal(sync.Id, Term);
            await sync.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            string said = (await error).Trim();
            _ = await output;
            string after = Ruleset(host);
            JsonNode? state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.State, "state.json")));
            ToolResult next = await host.SyncAsync(Args);
            string converged = Ruleset(host);
            string where = string.Create(CultureInfo.InvariantCulture, $"run {i} (seed {seed}, SIGTERM after {delay.TotalMilliseconds:0} ms): exit {sync.ExitCode}: {said}");

            Assert.That(after, Is.EqualTo(old).Or.EqualTo(converged), $"{where}: the kernel holds neither the old rules nor the new");
            Assert.That(next.ExitCode, Is.Zero, $"{where}; the next run: {next.Error}");
            Assert.That(said.Split('\n'), Has.Length.LessThanOrEqualTo(1), where);
            Assert.That(sync.ExitCode, Is.AnyOf(0, 143, -Term), where);
            if (said.EndsWith("this run's rules, recorded in the state", StringComparison.Ordinal))
            {
                Assert.That(state?["applied"]?["version"]?.GetValue<long>(), Is.EqualTo(1000 + i), $"{where}: the state does not record what the line says");
            }

            seen.Add(after == old ? "old" : "new");
        }

        TestContext.Out.WriteLine($"seed {seed}: {runs} runs stopped, the kernel after each: {string.Join(' ', seen)}");
    }

    [Test]
    public async Task Sync_StateDirectoryDiskFullWhileApplyingANewVersion_ExitsOneInOneLineKeepsTheStateWholeAndTheNextRunSaysWhy()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "unshare");
        host.Mirror.Serve(Document(1000));
        (await host.SyncAsync(Args)).Succeeded();
        string before = await File.ReadAllTextAsync(Path.Combine(host.State, "state.json"));
        host.Mirror.Serve(Document(1001));

        string left = Path.Combine(host.Directory, "left-on-the-full-disk");
        ToolResult full = await FullDisk.SyncOnFullDiskAsync(host, host.State, left, Args);
        string after = await File.ReadAllTextAsync(Path.Combine(left, "state.json"));
        string kernel = host.NftRuleset();
        ToolResult next = await host.SyncAsync(Args);

        Assert.That(full.ExitCode, Is.EqualTo(1), full.Error);
        Assert.That(full.Error.Trim().Split('\n'), Has.Length.EqualTo(1), full.Error);
        Assert.That(full.Error, Does.Contain($"the rules were applied to table inet datadog, but {host.State}/state.json could not be written (No space left on device")
            .And.EndWith("the next run applies them again\n"));
        Assert.That(after, Is.EqualTo(before), "the state file on the full disk was torn or replaced");
        Assert.That(Directory.GetFiles(left).Select(Path.GetFileName), Is.EquivalentTo(new[] { "state.json", "sync.lock" }), "a temporary file was left behind");
        Assert.That(kernel, Does.Contain("(ip-ranges v1001)"), "the rules the line says were applied");
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(next.Output, Does.StartWith("sync: applied ip-ranges version 1001 ").And.Contain(
            "(the kernel no longer held what this host last recorded: a reboot, a change by hand, or a run that could not write its state; "));
        Assert.That(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.State, "state.json")))?["applied"]?["version"]?.GetValue<long>(), Is.EqualTo(1001));
    }

    [Test]
    public async Task Sync_RecoveringAfterItsStateWasNotWritten_CountsTheChangesAgainstWhatTheKernelHeld()
    {
        await using SyncHost host = await SyncHost.StartAsync(59, "nft", "unshare");
        host.Mirror.Serve(Document(1000));
        (await host.SyncAsync(Args)).Succeeded();
        host.Mirror.Serve(Document(1001));
        ToolResult full = await FullDisk.SyncOnFullDiskAsync(host, host.State, Path.Combine(host.Directory, "left-on-the-full-disk"), Args);

        ToolResult recovered = await host.SyncAsync(Args);
        string set = System.Text.RegularExpressions.Regex.Match(host.NftRuleset(), @"set (\S+) \{\s*type ipv4_addr").Groups[1].Value;
        host.Namespace.Exec("nft", "add", "element", "inet", "datadog", set, "{ 192.0.2.1 }").Succeeded();
        ToolResult byHand = await host.SyncAsync(Args);

        Assert.That(full.ExitCode, Is.EqualTo(1), full.Error);
        Assert.That(recovered.ExitCode, Is.Zero, recovered.Error);
        Assert.That(recovered.Output, Does.StartWith("sync: applied ip-ranges version 1001 ").And.Contain(
            "(the kernel no longer held what this host last recorded: a reboot, a change by hand, or a run that could not write its state; " +
            "it held these elements already, so none changed)\n"));
        Assert.That(recovered.Output, Does.Not.Contain(": +"), "the kernel already held v1001's prefix, which the full-disk run loaded");
        Assert.That(byHand.ExitCode, Is.Zero, byHand.Error);
        Assert.That(byHand.Output, Does.Contain("; the changes are counted against what the kernel held)\n").And.Match(@"\n  egress \S+ IPv4: \+0 -1\n"),
            "the element added by hand is the one change");
    }

    [Test]
    public async Task Sync_SwapRefusedAtASetMadeByHand_SwapsBackOnlyTheSetsSwappedBeforeItAndPutsThePreviousRulesBack()
    {
        // v47's third set (agents' two come first) was made by hand as hash:ip: ipset swaps the first two, then refuses the
        // third at line 3 of the swaps. The undo swaps back those two only, and removes the temporary sets.
        await using SyncHost host = await SyncHost.StartAsync(36, "ipset", "iptables", "ip6tables");
        string path = IptablesShim.Path(host.Directory);
        string[] agents = ["sync", .. host.Common, "--format", "iptables-ipset-script", "--section", "agents", "--retries", "0"];
        (await host.RunAsync(path, agents)).Succeeded();
        host.Namespace.Exec("ipset", "create", "datadog-e10516-tcp4", "hash:ip").Succeeded();
        string before = host.IptablesState();
        host.Mirror.Serve(FetchTesting.Document(47));
        string[] sync = [.. agents, "--section", "logs"];

        ToolResult refused = await host.RunAsync(path, sync);
        string after = host.IptablesState();
        string[] sets = IpsetNames(host);
        host.Namespace.Exec("ipset", "destroy", "datadog-e10516-tcp4").Succeeded();
        ToolResult next = await host.RunAsync(path, sync);

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Error);
        Assert.That(refused.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), refused.Error);
        Assert.That(refused.Error, Does.StartWith("fwrules: ipset restore could not swap the new lists in: ").And.Contain("Error in line 3: ")
            .And.EndWith("; the previous rules were put back and stay in force\n"));
        Assert.That(sets, Is.EqualTo(new[] { "datadog-e10516-tcp4", "datadog-e443-tcp4", "datadog-e443-tcp6" }), "the sets there before, and no temporary one");
        Assert.That(after, Is.EqualTo(before), "the sets, chains and jumps as they were before the run");
        Assert.That(next.ExitCode, Is.Zero, next.Error);
        Assert.That(next.Output, Does.StartWith("sync: applied ip-ranges version 47 "));
        Assert.That(host.IptablesState(), Does.Contain("(ip-ranges v47)").And.Not.Contain("(ip-ranges v36)").And.Not.Contain("-tmp"));
    }

    /// <summary>Version <paramref name="version"/> of the v59 document, odd versions with one more logs prefix: each run changes an element.</summary>
    private static byte[] Document(int version) => DocumentEdits.Edit(59, root =>
    {
        root["version"] = version;
        if (version % 2 == 1)
        {
            root["logs"]!["prefixes_ipv4"]!.AsArray().Add("52.94.1.1/32");
        }
    });

    /// <summary>The ruleset without its counters (the runs' own connections to the mirror do not pass the rules, but counters are not rules).</summary>
    private static string Ruleset(SyncHost host) => host.Namespace.Exec("nft", "-s", "list", "ruleset").Succeeded();

    private static string[] IpsetNames(SyncHost host) =>
        [.. host.Namespace.Exec("ipset", "list", "-n").Succeeded().Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    // DllImport rather than LibraryImport: the signature is blittable, and the test project stays free of unsafe code.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
