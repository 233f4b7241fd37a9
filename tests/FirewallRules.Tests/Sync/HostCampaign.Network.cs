using System.Net;
using System.Net.Sockets;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>The campaign's network: the intake's addresses, the host's own policy, the probes.</summary>
internal sealed partial class HostCampaign
{
    private static readonly IPAddress HostV4 = IPAddress.Parse("192.0.2.2"), HostV6 = IPAddress.Parse("2001:db8:c::2");
    private static readonly IPAddress Outside4 = IPAddress.Parse("198.51.100.7"), Outside6 = IPAddress.Parse("2001:db8:ffff::7");

    // The host's own egress policy (nftables): drop by default, loopback, replies and ICMP allowed, the Datadog ports opened;
    // fwrules' strict table narrows those ports to Datadog's ranges.
    private const string NftPolicy = """
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

    /// <summary>Per section, an address of each family every played version publishes, and the section's ports.</summary>
    public static IReadOnlyList<(string Section, IPAddress Address, int[] Ports)> Published { get; } = StablePublished();

    private readonly List<Socket> _sockets = [];

    /// <summary>The intake's addresses and listeners, routed from the host over a veth pair.</summary>
    public void Connect()
    {
        IPAddress[] addresses = [.. Published.Select(p => p.Address).Distinct(), Outside4, Outside6];
        host.Namespace.Ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", intake.Name);
        host.Namespace.Ip("addr", "add", $"{HostV4}/32", "dev", "veth0");
        host.Namespace.Ip("addr", "add", $"{HostV6}/128", "dev", "veth0");
        foreach (IPAddress address in addresses)
        {
            intake.Ip("addr", "add", $"{address}/{(address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}", "dev", "veth1");
        }

        host.Namespace.Ip("link", "set", "veth0", "up");
        intake.Ip("link", "set", "veth1", "up");
        foreach (IPAddress address in addresses)
        {
            host.Namespace.Ip("route", "add", address.ToString(), "dev", "veth0", "src", (address.AddressFamily == AddressFamily.InterNetwork ? HostV4 : HostV6).ToString());
        }

        intake.Ip("route", "add", HostV4.ToString(), "dev", "veth1");
        intake.Ip("route", "add", HostV6.ToString(), "dev", "veth1");
        foreach (int port in new[] { 443, 10516, NotOpened })
        {
            Listen(intake, IPAddress.Any, port);
            Listen(intake, IPAddress.IPv6Any, port);
        }

        Listen(host.Namespace, IPAddress.Any, Apm);
        Listen(host.Namespace, IPAddress.IPv6Any, Apm);
    }

    public void DisposeSockets() => _sockets.ForEach(socket => socket.Dispose());

    /// <summary>A reboot: every rule and set gone, then the host's own policy loaded (fwrules' boot unit runs after it).</summary>
    private void Boot()
    {
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        if (Nft)
        {
            host.Namespace.ExecWithInput(NftPolicy, "nft", "-f", "-").Succeeded();
            return;
        }

        host.Namespace.Exec("ipset", "destroy").Succeeded();
        foreach (string tool in new[] { "iptables", "ip6tables" })
        {
            Tables(tool, "-P", "OUTPUT", "DROP");
            Tables(tool, "-A", "OUTPUT", "-o", "lo", "-j", "ACCEPT");
            Tables(tool, "-A", "OUTPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
            Tables(tool, "-A", "OUTPUT", "-p", tool == "iptables" ? "icmp" : "ipv6-icmp", "-j", "ACCEPT");
        }
    }

    private void Tables(string tool, params string[] args) =>
        host.Namespace.Exec("env", [$"PATH={path}", tool, "-w", .. args]).Succeeded();

    /// <summary>Every probe for the state the model expects; a wrong outcome is a lapse named after the event.</summary>
    private async Task CheckAsync(string name, bool allowList = true)
    {
        var probes = new List<(NetworkNamespace From, IPAddress Target, int Port, bool Reachable, string What)>();
        if (allowList)
        {
            probes.AddRange(Published.SelectMany(p => p.Ports.Select(port => (host.Namespace, p.Address, port, true, $"{p.Section} {p.Address}:{port}"))));
        }

        // The nftables layout only accepts (policy accept, by design); it drops nothing, so it has no drop to check.
        if (format != "nftables" && allowList)
        {
            probes.Add((host.Namespace, Outside4, 443, false, $"outside {Outside4}:443"));
            probes.Add((host.Namespace, Outside6, 443, false, $"outside {Outside6}:443"));
        }

        IPAddress stable = Published[0].Address;
        probes.Add((host.Namespace, stable, NotOpened, false, $"not opened {stable}:{NotOpened}"));

        if (_listener)
        {
            probes.Add((host.Namespace, IPAddress.Loopback, Apm, true, "listener protection: loopback to apm"));
            probes.Add((intake, HostV4, Apm, false, "listener protection: another machine to apm"));
            probes.Add((intake, HostV6, Apm, false, "listener protection: another machine to apm (IPv6)"));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool[] outcomes = await Task.WhenAll(probes.Select(p => ConnectsAsync(p.From, p.Target, p.Port, p.Reachable)));
        _checking += clock.Elapsed;
        Connections += probes.Count;
        Lapses.AddRange(probes.Zip(outcomes).Where(pair => pair.First.Reachable != pair.Second)
            .Select(pair => $"{name}: {pair.First.What} {(pair.Second ? "connected, should be dropped" : "dropped, should connect")}"));
    }

    private static async Task<bool> ConnectsAsync(NetworkNamespace from, IPAddress target, int port, bool expected)
    {
        // A connection that should be dropped is given less time: a drop only ever ends by the timeout.
        for (int attempt = 0; attempt < (expected ? 2 : 1); attempt++)
        {
            using Socket socket = from.CreateSocket(target.AddressFamily);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(expected ? 2500 : 1000));
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, port), timeout.Token);
                return true;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // Tried again once when it should connect: a loaded machine can be slow, a drop is not.
            }
        }

        return false;
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
        socket.Listen(256);
        // Every probe's connection is accepted and closed: left in the accept queue, 256 of them (about 120 events) would
        // fill it, and every later probe would time out as if dropped.
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using Socket accepted = await socket.AcceptAsync();
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The campaign is over: the listener was disposed.
            }
        });
    }

    /// <summary>
    /// What the run <paramref name="sync"/> (fwrules, the leader of its process group) is applying, if it is: <c>nft -f -</c>
    /// (not <c>-c</c>), <c>iptables-restore</c> (not <c>--test</c>), or an <c>ipset restore</c> after the first (which stages
    /// the sets under temporary names: the check); <paramref name="staged"/> keeps the ipset processes seen. Only the run's
    /// children are read (the tools are its children), not the whole process table, which costs a loaded machine far more.
    /// </summary>
    private static string? ApplyIn(int sync, HashSet<string> staged)
    {
        foreach (string dir in Children(sync))
        {
            try
            {
                string[] args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                string command = args.Length == 0 ? string.Empty : Path.GetFileName(args[0]);
                bool ipset = command == "ipset" && args.Length > 1 && args[1] == "restore" && staged.Add(dir) && staged.Count > 1;
                bool applying = ipset || (command == "nft" && args.Contains("-f") && !args.Contains("-c"))
                    || (command.EndsWith("tables-restore", StringComparison.Ordinal) && !args.Contains("--test"));
                if (applying)
                {
                    return string.Join(' ', args);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }

        return null;
    }

    /// <summary>The /proc directories of <paramref name="pid"/>'s children, from each of its threads' <c>children</c> list.</summary>
    private static List<string> Children(int pid)
    {
        var children = new List<string>();
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string listed = File.ReadAllText(Path.Combine(task, "children"));
                children.AddRange(listed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(child => $"/proc/{child}"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The run ended, or a thread did, while it was read: what was read is enough for this look.
        }

        return children;
    }

    private static List<(string, IPAddress, int[])> StablePublished()
    {
        IpRangesDocument[] documents = [.. Versions.Select(v => IpRangesDocument.Load(FetchTesting.Document(v)))];
        var published = new List<(string, IPAddress, int[])>();
        foreach (string section in Sections)
        {
            PrefixSet stable = documents.Select(d => d[section].Prefixes).Aggregate((all, p) => all.Intersect(p));
            int[] ports = [.. RuleSet.For(documents[^1], [section]).Rules.Select(rule => rule.Port.First)];
            foreach (PrefixSet family in new[] { stable.IPv4, stable.IPv6 })
            {
                IPNetwork prefix = family.First();
                byte[] bytes = prefix.BaseAddress.GetAddressBytes();
                bytes[^1] += 9;
                var address = new IPAddress(bytes);
                published.Add((section, stable.Contains(address) ? address : prefix.BaseAddress, ports));
            }
        }

        return published;
    }
}
