using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Notices;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// <c>fwrules sync</c> as a timer runs it, inside throwaway network namespaces, against a mirror serving Datadog's real
/// documents in order: after every run the kernel holds exactly the expected elements; refused and failed runs leave it
/// byte for byte as it was.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class SyncNamespaceTests
{
    private static readonly string[] Sections = ["agents", "logs", "webhooks"];
    internal static readonly string[] SectionArgs = [.. Sections.SelectMany(s => new[] { "--section", s })];

    [Test]
    public async Task Sync_RealDocumentSequence_KernelHoldsPublishedAndKeptElementsAndRefusalsChangeNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(27, "nft");
        var seen = new List<int>();
        foreach (int version in new[] { 27, 30, 36, 47, 52, 59 })
        {
            host.Mirror.Serve(FetchTesting.Document(version));
            ToolResult run = await host.SyncAsync(["--format", "nftables", "--keep-removed", "1h", .. SectionArgs]);
            seen.Add(version);

            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(run.Output, Does.StartWith($"sync: applied ip-ranges version {version} "));
            Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(Expected(seen)), $"after v{version}");
        }

        string ruleset = host.NftRuleset();
        string[] state = host.StateFiles();
        foreach ((string name, Action serve, int code, string message) in Refusals(host))
        {
            serve();
            ToolResult refused = await host.SyncAsync(["--format", "nftables", "--keep-removed", "1h", "--retries", "1", .. SectionArgs]);

            // A refused document leaves the newest vetted copy (already in force) in force: exit 4 and one line saying why.
            Assert.That(refused.ExitCode, Is.EqualTo(code), $"{name}: {refused.Error}");
            Assert.That(refused.Output, Does.StartWith("sync: nothing to do: "), name);
            Assert.That(refused.Error, Does.Contain(message).And.Contain("; kept the cached ip-ranges version 59 instead"), name);
            Assert.That(host.NftRuleset(), Is.EqualTo(ruleset), $"{name}: nft list ruleset changed");
            Assert.That(host.StateFiles(), Is.EqualTo(state), $"{name}: the state changed");
        }

        // Everything removed since v27 was kept for an hour; a keep period that has passed drops it.
        host.Mirror.Serve(FetchTesting.Document(59));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        ToolResult pruned = await host.SyncAsync(["--format", "nftables", "--keep-removed", "1s", .. SectionArgs]);

        Assert.That(pruned.ExitCode, Is.Zero, pruned.Error);
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(Expected([59])));
    }

    [Test]
    public async Task Sync_NothingChanged_SaysSoInOneLineAndLeavesTheKernel()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        await host.SyncAsync(["--format", "nftables", .. SectionArgs]);
        string ruleset = host.NftRuleset();

        ToolResult again = await host.SyncAsync(["--format", "nftables", .. SectionArgs]);

        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(again.Output, Is.EqualTo(
            "sync: nothing to do: table inet datadog already holds ip-ranges version 47 (2022-01-25T20:00:00Z): 20 IPv4 and 1 IPv6 prefixes for agents, logs, webhooks\n"));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset));
    }

    [Test]
    public async Task Sync_OneFamily_SummaryAndDryRunCountOnlyThatFamily()
    {
        await using SyncHost host = await SyncHost.StartAsync(46, "nft");
        ToolResult first = await host.SyncAsync("--format", "nftables", "--section", "logs", "--family", "ipv4");
        host.Mirror.Serve(FetchTesting.Document(47));
        ToolResult dry = await host.SyncAsync("--format", "nftables", "--section", "logs", "--family", "ipv4", "--keep-removed", "0", "--dry-run");

        Assert.That(first.Output, Does.StartWith("sync: applied ip-ranges version 46 ").And.Contain(": 3 IPv4 prefixes for logs\n"), first.Error);
        Assert.That(first.Output, Does.Not.Contain("IPv6"));
        Assert.That(dry.Output, Does.Contain(": 1 IPv4 prefix for logs\n").And.Contain("egress 443/tcp IPv4: +0 -2").And.Not.Contain("IPv6"), dry.Error);
    }

    [Test]
    public async Task Sync_Ipv6OnlyAfterIpv4PrefixesWereRemoved_ReportsNoKeptIpv4Prefix()
    {
        // v47 drops two IPv4 prefixes of logs (kept an hour in the state, for a sync of both families); none is IPv6.
        await using SyncHost host = await SyncHost.StartAsync(46, "nft");
        string[] args = ["--format", "nftables", "--section", "logs", "--family", "ipv6", "--keep-removed", "1h"];
        (await host.SyncAsync(args)).Succeeded();
        host.Mirror.Serve(FetchTesting.Document(47));

        ToolResult dry = await host.SyncAsync([.. args, "--dry-run"]);
        ToolResult run = await host.SyncAsync(args);

        Assert.That((dry.ExitCode, run.ExitCode), Is.EqualTo((0, 0)), dry.Error + run.Error);
        Assert.That(dry.Output, Does.Not.Contain("kept").And.Not.Contain("3.230.20.128/25"));
        Assert.That(run.Output, Is.EqualTo(
            "sync: applied ip-ranges version 47 (2022-01-25T20:00:00Z) to table inet datadog: 1 IPv6 prefix for logs " +
            "(no element changed; the rules' comments and the state now name this version)\n"));
        Assert.That(host.NftRuleset(), Does.Not.Contain("3.230.20.128"), "and none was loaded");
    }

    [Test]
    public async Task Sync_KernelLostTheRules_AppliesThemAgainAndSaysWhy()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        await host.SyncAsync(["--format", "nftables", .. SectionArgs]);
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();

        ToolResult again = await host.SyncAsync(["--format", "nftables", .. SectionArgs]);

        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(again.Output, Does.Contain("(the kernel no longer held what this host last recorded: a reboot, a change by hand, or a run that could not write its state; " +
            "the changes are counted against what the kernel held)\n").And.Match(@"\n  egress \S+ IPv4: \+\d+ -0\n"), "a flushed kernel held none of the elements");
        Assert.That(Readback.NftSets(host.Namespace, "datadog"), Is.EqualTo(Expected([47])));
    }

    [Test]
    public async Task Sync_DryRun_PrintsThePlannedElementChangesAndChangesNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(46, "nft");
        await host.SyncAsync("--format", "nftables", "--section", "logs", "--keep-removed", "0");
        string ruleset = host.NftRuleset();
        string[] state = host.StateFiles();
        host.Mirror.Serve(FetchTesting.Document(47));

        ToolResult dry = await host.SyncAsync("--format", "nftables", "--section", "logs", "--keep-removed", "0", "--dry-run");

        Assert.That(dry.ExitCode, Is.Zero, dry.Error);
        Assert.That(dry.Output, Is.EqualTo("""
            sync: dry run: would apply ip-ranges version 47 (2022-01-25T20:00:00Z) to table inet datadog: 1 IPv4 and 1 IPv6 prefixes for logs
              egress 443/tcp IPv4: +0 -2
                - 3.230.20.128/25
                - 3.230.124.0/24
              egress 10516/tcp IPv4: +0 -2
                - 3.230.20.128/25
                - 3.230.124.0/24

            """.ReplaceLineEndings("\n")));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset));
        Assert.That(host.StateFiles(), Is.EqualTo(state));
    }

    [Test]
    public async Task Sync_NotifyToAReceiverFailingFirst_PostsExactlyOneNoticePerChange()
    {
        await using SyncHost host = await SyncHost.StartAsync(46, "nft");
        await using NoticeReceiver receiver = await NoticeReceiver.StartAsync(LoopbackKestrel.Listen(host.Namespace.CreateSocket));
        receiver.FailFirst = 1;
        string[] args = ["--format", "nftables", "--section", "logs", "--notify", receiver.Url.AbsoluteUri];
        (await host.SyncAsync(args)).Succeeded();
        host.Mirror.Serve(FetchTesting.Document(47));

        ToolResult changed = await host.SyncAsync(args);
        ToolResult unchanged = await host.SyncAsync(args);

        Assert.That((changed.ExitCode, unchanged.ExitCode), Is.EqualTo((0, 0)), changed.Error + unchanged.Error);
        Assert.That(changed.Error, Is.EqualTo($"notify: posted 1 change notice to http://127.0.0.1:{receiver.Url.Port}/…\n"));
        Assert.That(unchanged.Error, Is.Empty);
        Assert.That(receiver.Requests, Is.EqualTo(2), "one refused, one accepted");
        Assert.That(JsonDocument.Parse(receiver.Accepted.Single().Json).RootElement.GetProperty("text").GetString(), Is.EqualTo(
            $"Datadog IP ranges for {host.Mirror.BaseUri} changed from version 46 to 47: logs +0 -2 prefixes; egress rules affected"));
    }

    [Test]
    public async Task Sync_AnotherRunHoldsTheLock_ExitsOneAndChangesNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        Directory.CreateDirectory(host.State);
        using var held = new FileStream(Path.Combine(host.State, "sync.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        ToolResult blocked = await host.SyncAsync(["--format", "nftables", "--lock-wait", "1s", .. SectionArgs]);

        Assert.That(blocked.ExitCode, Is.EqualTo(1));
        Assert.That(blocked.Error, Does.StartWith("fwrules: another fwrules sync still held ").And.EndsWith("sync.lock after 1 s; nothing was changed\n"));
        Assert.That(host.NftRuleset(), Is.Empty);
    }

    [Test]
    public async Task Sync_NftablesChainIntoAMissingTable_SaysWhichTableMustExistAndHowToCreateIt()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft");
        await host.SyncAsync(["--format", "nftables", .. SectionArgs]);
        string ruleset = host.NftRuleset();

        // nftables-chain writes into a table of yours, which must exist.
        ToolResult refused = await host.SyncAsync(["--format", "nftables-chain", "--table", "nosuchtable", .. SectionArgs]);

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Is.EqualTo(
            "fwrules: table inet nosuchtable does not exist: nftables-chain adds its sets and chains to a table of yours, which must exist first " +
            "(create it with: nft add table inet nosuchtable; then jump to datadog-egress from a base chain of it), or use --format nftables for a table of " +
            "its own; nothing was changed\n"));
        Assert.That(host.NftRuleset(), Is.EqualTo(ruleset));
    }

    [Test]
    public async Task Sync_KilledAtRandomPoints_NeverLeavesAHalfAppliedRulesetAndTheNextRunRecovers()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft", "setsid", "kill");
        int[] versions = [47, 59];
        var listings = new Dictionary<int, string>();
        TimeSpan run = TimeSpan.Zero;
        foreach (int clean in versions)
        {
            // A fresh cache each time lets the mirror go back to v47 without a rollback refusal; the state stays.
            if (Directory.Exists(host.Cache))
            {
                Directory.Delete(host.Cache, recursive: true);
            }

            host.Mirror.Serve(FetchTesting.Document(clean));
            var clock = Stopwatch.StartNew();
            (await host.SyncAsync(["--format", "nftables", "--keep-removed", "0", .. SectionArgs])).Succeeded();
            run = clock.Elapsed > run ? clock.Elapsed : run;
            listings[clean] = host.NftRuleset();
        }

        var random = new Random(20261123);
        var outcomes = new Dictionary<string, int> { ["old rules"] = 0, ["new rules"] = 0 };
        int version = versions[1];
        for (int i = 0; i < 20; i++)
        {
            // Always the version the kernel does not hold (and no keep period), so that every run has something to apply.
            string before = host.NftRuleset();
            version = before == listings[versions[0]] ? versions[1] : versions[0];
            if (Directory.Exists(host.Cache))
            {
                Directory.Delete(host.Cache, recursive: true);
            }

            host.Mirror.Serve(FetchTesting.Document(version));
            using Process sync = host.StartSync(["--format", "nftables", "--keep-removed", "0", .. SectionArgs]);
            // Half the kills at any point of the run, half just as it hands the transaction to nft.
            string when = i % 2 == 0 ? await KillAtRandomAsync(sync, random, run) : await KillDuringApplyAsync(sync, random);
            await sync.WaitForExitAsync();

            string after = host.NftRuleset();
            Assert.That(after, Is.EqualTo(before).Or.EqualTo(listings[version]), $"run {i} (v{version}) killed {when}");
            outcomes[after == before ? "old rules" : "new rules"]++;
        }

        TestContext.Out.WriteLine($"killed runs left the {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value} times"))} (a run takes up to {run.TotalMilliseconds:0} ms)");

        ToolResult recovered = await host.SyncAsync(["--format", "nftables", "--keep-removed", "0", .. SectionArgs]);
        Assert.That(recovered.ExitCode, Is.Zero, recovered.Error);
        Assert.That(host.NftRuleset(), Is.EqualTo(listings[version]), "the next run completes what the killed one began");
    }

    [Test]
    public async Task Sync_IptablesIpsetSequence_SetsHoldTheExpectedElementsAndARefusalChangesNothing()
    {
        await using SyncHost host = await SyncHost.StartAsync(36, "ipset", "iptables", "ip6tables");
        var seen = new List<int>();
        foreach (int version in new[] { 36, 47, 59 })
        {
            host.Mirror.Serve(FetchTesting.Document(version));
            ToolResult run = await host.SyncAsync("--format", "iptables-ipset-script", "--keep-removed", "1h", "--section", "agents", "--section", "logs");
            seen.Add(version);

            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(Readback.IpsetSets(host.Namespace), Is.EqualTo(ExpectedIpsets(seen, "agents", "logs")), $"after v{version}");
            host.Namespace.Exec("iptables", "-w", "-C", "OUTPUT", "-j", "datadog-egress").Succeeded();
        }

        string saved = host.IptablesState();
        host.Mirror.Serve(FetchTesting.Document(52));
        ToolResult refused = await host.SyncAsync("--format", "iptables-ipset-script", "--section", "agents", "--section", "logs");

        Assert.That(refused.ExitCode, Is.EqualTo(4), "the cached copy stays in force");
        Assert.That(refused.Error, Does.Contain("versions only go up").And.Contain("; kept the cached ip-ranges version 59 instead"));
        Assert.That(host.IptablesState(), Is.EqualTo(saved));
    }

    [Test]
    public async Task Sync_IptablesRestoreFailsMidApply_PutsThePreviousRulesBackAndSaysWhatFailed()
    {
        await using SyncHost host = await SyncHost.StartAsync(36, "ipset", "iptables", "ip6tables", "ip6tables-restore");
        (await host.SyncAsync("--format", "iptables-ipset-script", "--section", "agents", "--section", "logs")).Succeeded();
        string saved = host.IptablesState();
        host.Mirror.Serve(FetchTesting.Document(47));
        string wrappers = FailingTool("ip6tables-restore", host.Directory);

        // The check passes (the real tool tests the rules); loading IPv6 fails after the sets were swapped and IPv4 loaded.
        ToolResult failed = await host.RunAsync($"{wrappers}:/usr/sbin:/usr/bin:/sbin:/bin",
            ["sync", .. host.Common, "--format", "iptables-ipset-script", "--section", "agents", "--section", "logs"]);

        Assert.That(failed.ExitCode, Is.EqualTo(1));
        Assert.That(failed.Error, Does.StartWith("fwrules: ip6tables-restore -w --noflush could not load the rules: ip6tables-restore: simulated failure")
            .And.EndsWith("; the previous rules were put back and stay in force\n"));
        Assert.That(host.IptablesState(), Is.EqualTo(saved));
    }

    private static async Task<string> KillAtRandomAsync(Process sync, Random random, TimeSpan run)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(random.NextDouble() * run.TotalMilliseconds);
        await Task.Delay(delay);
        KillGroup(sync);
        return $"after {delay.TotalMilliseconds:0} ms";
    }

    /// <summary>Waits for the run's <c>nft -f -</c> (the apply, not the check) to start, then kills the whole group within a few milliseconds.</summary>
    private static async Task<string> KillDuringApplyAsync(Process sync, Random random)
    {
        var clock = Stopwatch.StartNew();
        while (!sync.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30) && !ApplyStarted(sync.Id))
        {
            await Task.Delay(1);
        }

        int offset = random.Next(0, 4);
        await Task.Delay(offset);
        KillGroup(sync);
        return $"{offset} ms after nft -f started ({clock.ElapsedMilliseconds} ms into the run)";
    }

    private static bool ApplyStarted(int group) =>
        Directory.EnumerateDirectories("/proc").Where(process => char.IsAsciiDigit(Path.GetFileName(process)[0])).Any(process =>
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(process, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields[2] == group.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && File.ReadAllText(Path.Combine(process, "cmdline")).EndsWith("nft\0-f\0-\0", StringComparison.Ordinal);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false; // gone meanwhile
            }
        });

    private static void KillGroup(Process sync) => LinuxTools.Run("kill", ["-KILL", "--", $"-{sync.Id}"]);

    private static IEnumerable<(string Name, Action Serve, int Code, string Message)> Refusals(SyncHost host)
    {
        yield return ("rollback to v52", () => host.Mirror.Serve(FetchTesting.Document(52)), 4, "version 59 is already stored, and versions only go up");
        yield return ("logs shrunk", () => host.Mirror.Serve(DocumentEdits.Edit(59, root =>
        {
            root["version"] = 60;
            root["logs"]!["prefixes_ipv4"] = new JsonArray("3.233.144.0/22");
        })), 4, "logs IPv4: 4096 to 1024 addresses (75% lost)");
        yield return ("logs emptied", () => host.Mirror.Serve(DocumentEdits.WithSectionEmptied(59, "logs", 60)), 4, "logs IPv4: 4096 to 0 addresses (emptied)");
        yield return ("bad JSON", () => host.Mirror.Enqueue(IpRangesServer.Body("{\"version\": 61, \"logs\": "u8.ToArray())), 4, "invalid JSON");
    }

    /// <summary>Per nft set, what it must hold: each rule's sections' prefixes, over every version still within the keep period.</summary>
    internal static Dictionary<string, string[]> Expected(IReadOnlyList<int> versions) =>
        ExpectedSets(versions, Sections, (rule, family) => $"{rule.Name}-{family}");

    /// <summary>Per ipset, what it must hold (named as the iptables-ipset output names them).</summary>
    private static Dictionary<string, string[]> ExpectedIpsets(IReadOnlyList<int> versions, params string[] sections) =>
        ExpectedSets(versions, sections, (rule, family) => $"datadog-e{rule.Port.First}-tcp{family[1..]}");

    /// <summary>Per set (named by <paramref name="name"/> from the rule and <c>v4</c> or <c>v6</c>), the union of its rule's sections over the versions.</summary>
    private static Dictionary<string, string[]> ExpectedSets(IReadOnlyList<int> versions, string[] sections, Func<FirewallRule, string, string> name)
    {
        IpRangesDocument[] documents = [.. versions.Select(v => IpRangesDocument.Load(FetchTesting.Document(v)))];
        var sets = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (FirewallRule rule in RuleSet.For(documents[^1], sections).Rules)
        {
            PrefixSet union = documents.SelectMany(d => rule.Sources.Select(s => d[s].Prefixes)).Aggregate(PrefixSet.Empty, (all, p) => all.Union(p));
            AddSet(sets, name(rule, "v4"), union.IPv4);
            AddSet(sets, name(rule, "v6"), union.IPv6);
        }

        return sets;
    }

    private static void AddSet(Dictionary<string, string[]> sets, string name, PrefixSet prefixes)
    {
        if (!prefixes.IsEmpty)
        {
            sets[name] = [.. prefixes.Select(p => p.ToString()).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>A directory holding <paramref name="tool"/>: it runs the real one for a dry run (--test) and fails otherwise.</summary>
    private static string FailingTool(string tool, string under)
    {
        string directory = Path.Combine(under, "failing-tools");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, tool);
        File.WriteAllText(path, $"""
            #!/bin/sh
            case " $* " in *" --test "*) exec /usr/sbin/{tool} "$@";; esac
            cat >/dev/null
            echo "{tool}: simulated failure" >&2
            exit 1

            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return directory;
    }
}
