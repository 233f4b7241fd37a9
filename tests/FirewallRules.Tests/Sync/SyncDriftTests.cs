using System.Diagnostics;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A host's firewall changed behind the sync's back in a way that leaves every set whole (a rule deleted by hand, the strict drop
/// deleted, the jump into the sync's chain removed), then the timer's next sync of the same document: it must put back exactly what
/// the first sync loaded. The oracle is the kernel's own listing taken right after the first sync (<c>nft -s list table</c>; each
/// set's type and members from <c>ipset save</c>, with <c>iptables -S</c> and <c>ip6tables -S</c>), never the rules fwrules plans.
/// And the lock the syncs take: a run that opened <c>sync.lock</c> before the last run let go still keeps every later run out once
/// it locks it (the file stays one file, locked in turn; the lock is the kernel's <c>flock</c>, taken here by util-linux's
/// <c>flock</c>).
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed partial class SyncDriftTests
{
    private static readonly string[] Sections = ["--section", "logs", "--section", "webhooks"];
    private SyncHost? _host;

    private SyncHost Host => _host ?? throw new InvalidOperationException("no host");

    [OneTimeSetUp]
    public async Task StartHost() => _host = await SyncHost.StartAsync(47, "nft", "iptables", "ip6tables", "ipset", "sh", "flock");

    [OneTimeTearDown]
    public async Task StopHost()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    // Every case starts from a host that never synced: no rules, no sets, no state, no cache.
    [SetUp]
    public void Reset()
    {
        Host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        Host.Namespace.ExecWithInput("iptables -w -F; iptables -w -X; ip6tables -w -F; ip6tables -w -X; ipset destroy; true\n", "sh").Succeeded();
        foreach (string directory in new[] { Host.State, Host.Cache }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("nftables", "a rule deleted", "delete rule inet datadog egress handle {0}")]
    [TestCase("nftables-strict", "the strict drop deleted", "delete rule inet datadog egress handle {1}")]
    [TestCase("iptables-ipset-script", "a rule deleted", "iptables -w -D datadog-egress 1")]
    [TestCase("iptables-ipset-script", "the jump into the chain removed", "ip6tables -w -D OUTPUT -j datadog-egress")]
    public async Task Sync_SetsWholeButTheRulesChangedByHand_TheNextSyncOfTheSameDocumentPutsBackWhatTheFirstLoaded(string format, string edit, string command)
    {
        string[] args = ["--format", format, .. Sections];
        (await Host.SyncAsync(args)).Succeeded();
        string loaded = Listing(format);

        HandEdit(format, command);
        string edited = Listing(format);
        ToolResult again = await Host.SyncAsync(args);

        Assert.That(edited, Is.Not.EqualTo(loaded), $"{edit}: the hand edit changed nothing");
        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(Listing(format), Is.EqualTo(loaded), $"{format}, {edit}, then a sync of the same document:\n{again.Output}");
    }

    [Test]
    public async Task Sync_ARunOpenedTheLockBeforeTheLastRunLetGo_TheRunAfterItWaitsForItsLock()
    {
        string[] args = ["--format", "nftables", .. Sections];
        (await Host.SyncAsync(args)).Succeeded();
        string lockPath = Path.Combine(Host.State, "sync.lock");

        // Another run has opened sync.lock (fd 9) and not yet locked it, while a sync takes and lets go of the lock.
        using Process other = StartHolder(lockPath);
        ToolResult next;
        try
        {
            Assert.That(await other.StandardOutput.ReadLineAsync(), Is.EqualTo("opened"));
            (await Host.SyncAsync(args)).Succeeded();
            await other.StandardInput.WriteLineAsync("lock");
            Assert.That(await other.StandardOutput.ReadLineAsync(), Is.EqualTo("locked"), "the other run locks the file it opened");
            next = await Host.SyncAsync([.. args, "--lock-wait", "1s"]);
        }
        finally
        {
            if (!other.HasExited)
            {
                other.Kill();
            }

            await other.WaitForExitAsync();
        }

        Assert.That(next.ExitCode, Is.EqualTo(1), $"a run went on while another held the lock:\n{next.Output}{next.Error}");
        Assert.That(next.Error, Does.StartWith("fwrules: another fwrules sync still held ").And.EndsWith("sync.lock after 1 s; nothing was changed\n"));
    }

    // A process that opens the lock file without locking it, locks it (flock on the open descriptor) when told, and lets go when told.
    private static Process StartHolder(string lockPath)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in (string[])["-c", "exec 9<>\"$1\"; echo opened; read go; flock -x 9 && echo locked; read done", "holder", lockPath])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("sh did not start");
    }

    private void HandEdit(string format, string command)
    {
        if (format.StartsWith("nftables", StringComparison.Ordinal))
        {
            // {0}: the first rule of the egress chain; {1}: its last (the strict layout's drop).
            string[] handles = [.. Handle().Matches(Host.Namespace.Exec("nft", "-a", "list", "chain", "inet", "datadog", "egress").Succeeded()).Select(m => m.Groups[1].Value)];
            Host.Namespace.ExecWithInput(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, handles[0], handles[^1]) + "\n", "nft", "-f", "-").Succeeded();
        }
        else
        {
            Host.Namespace.ExecWithInput(command + "\n", "sh", "-e").Succeeded();
        }
    }

    // What the kernel holds: nft's table; or each set's type and sorted members (ipset save lists them in its hash's order, drawn anew
    // when a set is made again), then every iptables and ip6tables rule in order.
    private string Listing(string format)
    {
        NetworkNamespace ns = Host.Namespace;
        if (format.StartsWith("nftables", StringComparison.Ordinal))
        {
            return ns.Exec("nft", "-s", "list", "table", "inet", "datadog").Succeeded();
        }

        Dictionary<string, string> types = Readback.IpsetTypes(ns);
        return string.Concat(Readback.IpsetSets(ns).Select(set => $"{set.Key} {types[set.Key]}: {string.Join(' ', set.Value)}\n"))
            + ns.Exec("iptables", "-w", "-S").Succeeded() + ns.Exec("ip6tables", "-w", "-S").Succeeded();
    }

    // A rule's handle in "nft -a list chain": the chain's own line ends "{ # handle N", its rules "... # handle N".
    [GeneratedRegex(@"[^{]\s# handle (\d+)\n")]
    private static partial Regex Handle();
}
