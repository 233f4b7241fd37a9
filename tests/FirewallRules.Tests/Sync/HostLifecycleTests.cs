using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A host's life with <c>fwrules sync</c>, with real packets: a "host" namespace running the firewall (nftables-strict, the
/// allow-list and the agent's listener protection in one table) and an "intake" namespace whose listeners are bound at
/// published addresses of each family, routed through a veth pair. After every event, every sampled address that is
/// published (or still in its grace period) must connect on the section's ports, an address outside the ranges must be
/// dropped, a port not opened must be dropped, and the listener protection must still hold. Lapses must be 0.
/// </summary>
/// <remarks>
/// Which layout makes "a port not opened is dropped" meaningful: nftables-strict, the layout the tool documents for this,
/// narrows only the rules' ports to Datadog's ranges and leaves other ports to the host's own policy (README: it "drops
/// every other new connection on the rules' ports"). So the host here has what a hardened host has, an egress policy of
/// its own (<see cref="HostPolicy"/>: output policy drop, the Datadog ports opened, loaded at boot beside fwrules' table).
/// The check then proves that none of the events (syncs, refusals, reboots, kills, the listener protection replacing the
/// table, an update file) opens a port: an accept in fwrules' table cannot override the host's drop in nftables, and
/// fwrules must not remove or weaken the host's table. The intake listens on that port too, and before any firewall
/// the test checks it connects: a drop is a real connection dropped, not a closed port.
/// </remarks>
[TestFixture]
[Category("RealTools")]
public class HostLifecycleTests
{
    private const int Https = 443, LogsTcp = 10516, Apm = 8126, NotOpened = 8443;

    // The host's own egress policy (its /etc/nftables.conf): default drop, loopback, ICMP (IPv6 neighbour discovery) and
    // replies allowed, and the ports the host's agent uses opened; fwrules' table narrows those ports to Datadog's ranges.
    private const string HostPolicy = """
        table inet host {
            chain output {
                type filter hook output priority 10; policy drop;
                oif "lo" accept
                ct state established,related accept
                meta l4proto { icmp, ipv6-icmp } accept
                tcp dport { 443, 10516 } accept
            }
        }
        """;

    private static readonly IPAddress HostV4 = IPAddress.Parse("192.0.2.2"), HostV6 = IPAddress.Parse("2001:db8:c::2");
    private static readonly IPAddress Stable4 = IPAddress.Parse("3.233.144.9"), Stable6 = IPAddress.Parse("2600:1f18:24e6:b900::9");
    private static readonly IPAddress Retired4 = IPAddress.Parse("3.230.20.130"); // in v46's logs, gone from v47 on
    private static readonly IPAddress Outside4 = IPAddress.Parse("198.51.100.7"), Outside6 = IPAddress.Parse("2001:db8:ffff::7");
    private static readonly IPAddress[] IntakeAddresses = [Stable4, Stable6, Retired4, Outside4, Outside6];

    private readonly List<Socket> _sockets = [];
    private readonly List<string> _lapses = [];
    private int _events, _checked;
    private NetworkNamespace? _intake;

    [Test]
    public async Task Sync_AHostsLifeOfVersionsOutagesRebootsKillsAndTheListenerProtection_NeverLosesAPublishedAddress()
    {
        await using SyncHost host = await SyncHost.StartAsync(46, "nft", "setsid", "kill", "sysctl");
        using NetworkNamespace intake = NetworkNamespace.Create();
        try
        {
            _intake = intake;
            Connect(host.Namespace, intake);
            Assert.That(await ConnectsAsync(host.Namespace, Stable4, NotOpened) && await ConnectsAsync(host.Namespace, Stable6, NotOpened), Is.True,
                "without a firewall the port not opened connects: its drop below is the firewall's");
            Boot(host);
            await PlayAsync(host);
        }
        finally
        {
            _sockets.ForEach(socket => socket.Dispose());
        }

        TestContext.Out.WriteLine($"lifecycle: {_events} events, {_checked} connections checked, {_lapses.Count} lapses");
        Assert.That(_events, Is.GreaterThanOrEqualTo(15));
        Assert.That(_lapses, Is.Empty, $"{_events} events, {_checked} connections checked");
    }

    private async Task PlayAsync(SyncHost host)
    {
        string[] sync = ["--format", "nftables-strict", "--section", "logs", "--agent", "datadog", "--feature", "apm", "--keep-removed", "1h", "--retries", "0"];
        var retired = new[] { Retired4 };

        await EventAsync(host, "listener protection applied before any sync", [], ApplyListenerProtectionAsync(host), listenerOnly: true);
        await EventAsync(host, "first sync, v46", retired, Sync(host, sync, 0));
        await EventAsync(host, "the same sync again", retired, Sync(host, sync, 0, "sync: nothing to do"));
        host.Mirror.Serve(FetchTesting.Document(47));
        await EventAsync(host, "v47 drops 3.230.20.128/25: kept for its grace period", retired, Sync(host, sync, 0));
        host.Mirror.Serve(FetchTesting.Document(46));
        await EventAsync(host, "an older version (v46) refused: the cached v47 stays in force", retired, Sync(host, sync, 5));
        host.Mirror.Serve(DocumentEdits.Edit(47, root =>
        {
            root["version"] = 48;
            root["logs"]!["prefixes_ipv4"] = new JsonArray("3.233.144.0/24");
        }));
        await EventAsync(host, "a shrinking document (v48) refused: the cached v47 stays in force", retired, Sync(host, sync, 5));
        host.Mirror.Always(IpRangesServer.Status(503));
        await EventAsync(host, "upstream outage", retired, Sync(host, sync, 4));
        Boot(host);
        await EventAsync(host, "reboot (ruleset flushed, the host's policy loaded) during the outage", retired, Sync(host, sync, 4));
        host.Mirror.Always(IpRangesServer.Status(502));
        await EventAsync(host, "mirror restarted with the upstream down: the cached copy stays in force", retired, Sync(host, sync, 4));
        host.Mirror.ClearFaults();
        host.Mirror.Serve(FetchTesting.Document(59));
        await EventAsync(host, "upstream back with v59", retired, Sync(host, [.. sync], 0));
        await EventAsync(host, "kill -9 in the middle of an apply, then the next run", retired, KillThenSyncAsync(host, sync));
        await EventAsync(host, "listener protection applied again after a sync (replaces the table)", [], ApplyListenerProtectionAsync(host), listenerOnly: true);
        await EventAsync(host, "the next sync brings the allow-list back beside it", retired, Sync(host, sync, 0));
        await EventAsync(host, "the same sync applied twice", retired, Sync(host, sync, 0, "sync: nothing to do"));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        string[] expire = [.. sync.Select(arg => arg == "1h" ? "1s" : arg)];
        await EventAsync(host, "the grace period over: 3.230.20.128/25 dropped", [], Sync(host, expire, 0));
        await EventAsync(host, "nothing to do after that", [], Sync(host, expire, 0, "sync: nothing to do"));
        await EventAsync(host, "a second owner's full nftables-strict output (table inet dd-file, v46) beside it", [], ApplyFileAsync(host, "46"));
        await EventAsync(host, "the same update file (v46 to v47) applied twice: the second run changes nothing", [], UpdateFileTwiceAsync(host));
    }

    /// <summary>A boot: the ruleset is gone, then the host's own policy is loaded (fwrules' sync runs after it).</summary>
    private static void Boot(SyncHost host)
    {
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        host.Namespace.ExecWithInput(HostPolicy, "nft", "-f", "-").Succeeded();
    }

    // Another owner, under its own name, fed by generate and nft -f as the README's cron recipe does.
    private static async Task ApplyFileAsync(SyncHost host, string version, params string[] more)
    {
        ProcessResult generated = await FwrulesProcess.RunAsync(null,
            ["generate", "-f", "nftables-strict", "-s", "logs", "--name", "dd-file", "--input", TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"), .. more]);
        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        host.Namespace.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();
    }

    private static async Task UpdateFileTwiceAsync(SyncHost host)
    {
        ProcessResult update = await FwrulesProcess.RunAsync(null, "generate", "-f", "nftables-strict", "-s", "logs", "--name", "dd-file",
            "--input", TestData.Path_("ip-ranges", "datadoghq.com-v47.json"), "--update-from", TestData.Path_("ip-ranges", "datadoghq.com-v46.json"));
        Assert.That(update.ExitCode, Is.Zero, update.Error);
        Assert.That(update.Output, Does.Contain("flush set inet dd-file "), "an update that changes a set");

        host.Namespace.ExecWithInput(update.Output, "nft", "-f", "-").Succeeded();
        string once = host.Namespace.Exec("nft", "-s", "list", "ruleset").Succeeded();
        ToolResult again = host.Namespace.ExecWithInput(update.Output, "nft", "-f", "-");

        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(host.Namespace.Exec("nft", "-s", "list", "ruleset").Succeeded(), Is.EqualTo(once), "the second run changed the ruleset");
        Assert.That(once, Does.Contain("table inet dd-file").And.Contain("table inet datadog").And.Contain("table inet host"), "every owner's table kept");
    }

    private static async Task Sync(SyncHost host, string[] args, int code, string? output = null)
    {
        ToolResult run = await host.SyncAsync(args);
        Assert.That(run.ExitCode, Is.EqualTo(code), run.Error);
        if (output is not null)
        {
            Assert.That(run.Output, Does.StartWith(output));
        }
    }

    private static async Task KillThenSyncAsync(SyncHost host, string[] args)
    {
        Boot(host); // so that the killed run has something to apply
        using System.Diagnostics.Process run = host.StartSync([.. args, "--offline"]);
        await Task.Delay(TimeSpan.FromMilliseconds(250));
        LinuxTools.Run("kill", ["-9", "--", $"-{run.Id}"]);
        await run.WaitForExitAsync();
        await Sync(host, args, 0);
    }

    private static async Task ApplyListenerProtectionAsync(SyncHost host)
    {
        ProcessResult generated = await FwrulesProcess.RunAsync(null, "generate", "-f", "nftables-strict", "--agent", "datadog", "--feature", "apm", "--name", "datadog");
        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        host.Namespace.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();
    }

    /// <summary>Plays one event, then checks every sampled connection; a wrong outcome is a lapse.</summary>
    private async Task EventAsync(SyncHost host, string name, IPAddress[] inGrace, Task play, bool listenerOnly = false)
    {
        await play;
        _events++;
        var probes = new List<(NetworkNamespace From, IPAddress? Source, IPAddress Target, int Port, bool Reachable)>
        {
            // The listener protection: APM only from loopback, not from another machine.
            (host.Namespace, null, IPAddress.Loopback, Apm, true),
            (host.Namespace, null, IPAddress.IPv6Loopback, Apm, true),
            (_intake!, null, HostV4, Apm, false),
            (_intake!, null, HostV6, Apm, false),
        };
        // A port not opened, to an address Datadog publishes: the host's policy drops it, whatever fwrules loaded.
        probes.Add((host.Namespace, null, Stable4, NotOpened, false));
        probes.Add((host.Namespace, null, Stable6, NotOpened, false));
        foreach (int port in new[] { Https, LogsTcp })
        {
            probes.Add((host.Namespace, null, Stable4, port, true));
            probes.Add((host.Namespace, null, Stable6, port, true));
            probes.AddRange(inGrace.Select(address => (host.Namespace, (IPAddress?)null, address, port, true)));
            if (!listenerOnly)
            {
                // Right after the listener protection file replaced the table, no allow-list holds until the next sync.
                probes.Add((host.Namespace, null, Outside4, port, false));
                probes.Add((host.Namespace, null, Outside6, port, false));
            }
        }

        bool[] outcomes = await Task.WhenAll(probes.Select(p => ConnectsAsync(p.From, p.Target, p.Port)));
        _checked += probes.Count;
        _lapses.AddRange(probes.Zip(outcomes).Where(pair => pair.First.Reachable != pair.Second)
            .Select(pair => $"{name}: {pair.First.Target}:{pair.First.Port} {(pair.Second ? "connected, should be dropped" : "dropped, should connect")}"));
    }

    private static async Task<bool> ConnectsAsync(NetworkNamespace from, IPAddress target, int port)
    {
        using Socket socket = from.CreateSocket(target.AddressFamily);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(750));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(target, port), timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            return false;
        }
    }

    /// <summary>A veth pair; the intake holds the sampled addresses and listens on the sections' ports; the host routes them.</summary>
    private void Connect(NetworkNamespace host, NetworkNamespace intake)
    {
        host.Ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", intake.Name);
        host.Ip("addr", "add", $"{HostV4}/32", "dev", "veth0");
        host.Ip("addr", "add", $"{HostV6}/128", "dev", "veth0");
        foreach (IPAddress address in IntakeAddresses)
        {
            intake.Ip("addr", "add", $"{address}/{(address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}", "dev", "veth1");
        }

        host.Ip("link", "set", "veth0", "up");
        intake.Ip("link", "set", "veth1", "up");
        foreach (IPAddress address in IntakeAddresses)
        {
            host.Ip("route", "add", address.ToString(), "dev", "veth0", "src", (address.AddressFamily == AddressFamily.InterNetwork ? HostV4 : HostV6).ToString());
        }

        intake.Ip("route", "add", HostV4.ToString(), "dev", "veth1");
        intake.Ip("route", "add", HostV6.ToString(), "dev", "veth1");
        foreach (int port in new[] { Https, LogsTcp, NotOpened })
        {
            Listen(intake, IPAddress.Any, port);
            Listen(intake, IPAddress.IPv6Any, port);
        }

        Listen(host, IPAddress.Any, Apm);
        Listen(host, IPAddress.IPv6Any, Apm);
    }

    private void Listen(NetworkNamespace ns, IPAddress address, int port)
    {
        Socket socket = ns.CreateSocket(address.AddressFamily);
        _sockets.Add(socket);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = false;
        }

        socket.Bind(new IPEndPoint(address, port));
        socket.Listen(64);
    }
}
