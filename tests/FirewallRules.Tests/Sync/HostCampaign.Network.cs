using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Sync;

/// <summary>The campaign's network: the intake, the host's own policy, the probes and the state read back.</summary>
internal sealed partial class HostCampaign
{
    private static readonly IPAddress HostV4 = IPAddress.Parse("192.0.2.2"), HostV6 = IPAddress.Parse("2001:db8:c::2");
    private static readonly IPAddress IntakeV4 = IPAddress.Parse("192.0.2.1"), IntakeV6 = IPAddress.Parse("2001:db8:c::1");
    private static readonly IPAddress Outside4 = IPAddress.Parse("198.51.100.7"), Outside6 = IPAddress.Parse("2001:db8:ffff::7");

    // The host's own egress policy (nftables): drop by default, loopback, replies and ICMP allowed, the Datadog ports opened;
    // fwrules' strict table narrows those ports to Datadog's ranges. The policy-accept layout narrows nothing (its accept
    // cannot override this table's), so the connections to those ports are traced: the trace says which its rules accepted.
    private const string NftPolicy = """
        table inet host {
            chain output {
                type filter hook output priority 10; policy drop;
                oif "lo" accept
                ct state established,related accept
                meta l4proto { icmp, ipv6-icmp } accept
                tcp dport { 443, 10516 } accept
            }

            chain trace {
                type filter hook output priority -200;
                tcp dport { 443, 10516, 8443 } tcp flags syn meta nftrace set 1
            }
        }
        """;

    private readonly List<Socket> _sockets = [];
    private NftTrace? _trace;

    /// <summary>Probes judged by the kernel's trace (the policy-accept layout) rather than by whether they connect.</summary>
    private bool Traced => _format == "nftables";

    /// <summary>
    /// The intake: one veth pair, the host's default routes through it, and every address local to the intake (a local
    /// route for all of IPv4 and IPv6, the host's own addresses excepted), so any address the campaign draws can be probed.
    /// </summary>
    public async Task ConnectAsync()
    {
        _host.Namespace.Ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", _intake.Name);
        _host.Namespace.Ip("addr", "add", $"{HostV4}/24", "dev", "veth0");
        _host.Namespace.Ip("addr", "add", $"{HostV6}/64", "dev", "veth0", "nodad");
        _intake.Ip("addr", "add", $"{IntakeV4}/24", "dev", "veth1");
        _intake.Ip("addr", "add", $"{IntakeV6}/64", "dev", "veth1", "nodad");
        _host.Namespace.Ip("link", "set", "veth0", "up");
        _intake.Ip("link", "set", "veth1", "up");
        _intake.Ip("link", "set", "lo", "up");
        _host.Namespace.Ip("route", "add", "default", "via", IntakeV4.ToString());
        _host.Namespace.Ip("-6", "route", "add", "default", "via", IntakeV6.ToString());
        _intake.Ip("route", "add", "local", "0.0.0.0/0", "dev", "lo");
        _intake.Ip("-6", "route", "add", "local", "::/0", "dev", "lo");
        _intake.Ip("route", "add", $"{HostV4}/32", "dev", "veth1", "table", "local");
        _intake.Ip("-6", "route", "add", $"{HostV6}/128", "dev", "veth1", "table", "local");
        foreach (int port in new[] { 443, 10516, NotOpened })
        {
            Listen(_intake, IPAddress.Any, port);
            Listen(_intake, IPAddress.IPv6Any, port);
        }

        Listen(_host.Namespace, IPAddress.Any, Apm);
        Listen(_host.Namespace, IPAddress.IPv6Any, Apm);
        if (Traced)
        {
            Boot();
            _trace = await NftTrace.StartAsync(_host.Namespace, "datadog", "host output", async () =>
            {
                (bool connected, int source) = await ConnectsAsync(_host.Namespace, Outside4, 443, expected: true);
                return connected ? NftTrace.Key(Outside4, 443, source) : null;
            });
        }
    }

    public void DisposeSockets()
    {
        _trace?.Dispose();
        _sockets.ForEach(socket => socket.Dispose());
    }

    /// <summary>A reboot: every rule and set gone, then the host's own policy loaded (fwrules' boot unit runs after it).</summary>
    private void Boot()
    {
        _host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        if (Nft)
        {
            _host.Namespace.ExecWithInput(NftPolicy, "nft", "-f", "-").Succeeded();
            return;
        }

        _host.Namespace.Exec("ipset", "destroy").Succeeded();
        foreach (string tool in new[] { "iptables", "ip6tables" })
        {
            Tables(tool, "-P", "OUTPUT", "DROP");
            Tables(tool, "-A", "OUTPUT", "-o", "lo", "-j", "ACCEPT");
            Tables(tool, "-A", "OUTPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
            Tables(tool, "-A", "OUTPUT", "-p", tool == "iptables" ? "icmp" : "ipv6-icmp", "-j", "ACCEPT");
        }
    }

    private void Tables(string tool, params string[] args) =>
        _host.Namespace.Exec("env", [$"PATH={_path}", tool, "-w", .. args]).Succeeded();

    /// <summary>One probe: a connection and what each alternative state expects of it (null: not judged).</summary>
    private sealed record Probe(NetworkNamespace From, IPAddress Target, int Port, bool?[] Expected, bool AllowList, string What);

    /// <summary>
    /// Every probe for the state the model expects (or, after a kill, for any of <paramref name="alternatives"/>, each an
    /// admitted set and whether the sync's rules are loaded at all), then the version in force and the state file; a
    /// wrong outcome is a lapse named after the event.
    /// </summary>
    private async Task CheckAsync(string name, bool allowList = true, IReadOnlyList<(Dictionary<string, AddressSet> Admitted, bool Loaded)>? alternatives = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        alternatives ??= [(_model.Admitted, _model.Loaded)];
        var probes = new List<Probe>();
        if (allowList)
        {
            probes.AddRange(AllowListProbes(alternatives, now));
        }

        IPAddress[] targets = [.. probes.Select(p => p.Target).Where(a => a.AddressFamily == AddressFamily.InterNetwork).Take(1),
            .. probes.Select(p => p.Target).Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).Take(1)];
        probes.AddRange(targets.Select(target =>
            new Probe(_host.Namespace, target, NotOpened, [.. alternatives.Select(_ => (bool?)false)], false, $"not opened {target}:{NotOpened}")));
        if (_listener)
        {
            bool?[] open = [.. alternatives.Select(_ => (bool?)true)], closed = [.. alternatives.Select(_ => (bool?)false)];
            probes.Add(new(_host.Namespace, IPAddress.Loopback, Apm, open, false, "listener protection: loopback to apm"));
            probes.Add(new(_intake, HostV4, Apm, closed, false, "listener protection: another machine to apm"));
            probes.Add(new(_intake, HostV6, Apm, closed, false, "listener protection: another machine to apm (IPv6)"));
        }

        var clock = Stopwatch.StartNew();
        bool[] outcomes = await OutcomesAsync(name, probes);
        _checking += clock.Elapsed;
        Connections += probes.Count;
        int[] wrong = Unexplained([.. probes.Select(p => (Unit(p), p.Expected))], outcomes, alternatives.Count);
        Lapses.AddRange(wrong.Select(i =>
            $"{Index}{name}: {probes[i].What} {(outcomes[i] ? "admitted, should be dropped" : "dropped, should be admitted")}" +
                (alternatives.Count > 1 ? $" (no alternative state matches: neither the old {(Nft ? "rules" : "set")} nor the new)" : string.Empty)));
        FirstLapse ??= Lapses.Count > 0 ? _event : null;
        if (alternatives.Count == 1 && allowList)
        {
            CheckState(name, now);
        }
    }

    private string Index => _event < 0 ? "first sync: " : $"#{_event} ";

    /// <summary>
    /// The probes no alternative state explains. Each unit the kernel swaps whole is judged against the alternative it
    /// matches best: nftables replaces its table in one transaction (one unit); iptables-ipset-script swaps its sets one
    /// after another, so a kill between two swaps leaves each set (a port and family) old or new, each whole
    /// (docs/operations/host-sync.md). A unit half old and half new is wrong in every alternative.
    /// </summary>
    internal static int[] Unexplained(IReadOnlyList<(string Unit, bool?[] Expected)> probes, bool[] outcomes, int alternatives) =>
        [.. Enumerable.Range(0, probes.Count).GroupBy(i => probes[i].Unit)
            .SelectMany(unit => Enumerable.Range(0, alternatives).Select(a => Wrong(probes, outcomes, a, unit).ToArray()).MinBy(w => w.Length)!)
            .Order()];

    private string Unit(Probe probe) => Unit(Nft, probe.AllowList, probe.Port, probe.Target.AddressFamily);

    /// <summary>
    /// The unit the kernel swaps whole that a probe tests: with nftables the one table (listener protection included); with
    /// ipset the set of its port and family; a probe of no allow-list (the listener protection, a port not opened) the rest.
    /// </summary>
    internal static string Unit(bool nft, bool allowList, int port, AddressFamily family) => nft || !allowList ? "" : $"{port}/{family}";

    private static IEnumerable<int> Wrong(IReadOnlyList<(string Unit, bool?[] Expected)> probes, bool[] outcomes, int alternative, IEnumerable<int> unit) =>
        unit.Where(i => probes[i].Expected[alternative] is { } expected && expected != outcomes[i]);

    /// <summary>
    /// For every prefix in play (of the versions in force, before it, served and cached, every record kept, and what an edit of the
    /// cache planted), in both sections whether synced or not: an address drawn inside it, and the addresses just before and after
    /// each run of addresses they cover together (where two prefixes one address apart leave the address between), on each port
    /// the sections open.
    /// </summary>
    private IEnumerable<Probe> AllowListProbes(IReadOnlyList<(Dictionary<string, AddressSet> Admitted, bool Loaded)> alternatives, DateTimeOffset now)
    {
        long[] versions = [.. new[] { _model.InForce, _model.Previous, _model.Served, _model.Cached }.Where(v => v != 0).Distinct()];
        string[] inPlay = [.. versions.SelectMany(v => new[] { "agents", "logs" }.SelectMany(s => _model.Prefixes(v, s)))
            .Concat(_model.LastSeen.Values.SelectMany(records => records.Keys)).Concat(_planted).Append($"{Outside4}/32").Append($"{Outside6}/128").Distinct()];
        AddressSet covered = AddressSet.Of(inPlay);
        int[] ports = [.. _ports.Values.SelectMany(p => p).Append(10516).Append(443).Distinct()];
        IEnumerable<(IPAddress Address, string Where)> addresses = inPlay.Select(p => (Inside(p), $"inside {p}"))
            .Concat(covered.Boundaries().Where(b => b.Where.StartsWith("just", StringComparison.Ordinal)));
        foreach ((IPAddress address, string where) in addresses.DistinctBy(a => a.Address))
        {
            foreach (int port in ports)
            {
                bool?[] expected = [.. alternatives.Select(alternative => Expect(alternative.Admitted, alternative.Loaded, address, port, now))];
                yield return new Probe(_host.Namespace, address, port, expected, true, $"{address}:{port} ({where})");
            }
        }
    }

    /// <summary>
    /// Whether a connection to <paramref name="address"/>:<paramref name="port"/> is admitted: by the model on a port the
    /// sync's rules hold; otherwise by the host's own policy (which opens the Datadog ports for the strict table to narrow).
    /// </summary>
    private bool? Expect(Dictionary<string, AddressSet> admitted, bool loaded, IPAddress address, int port, DateTimeOffset now) =>
        loaded && _ports.Values.Any(p => p.Contains(port)) ? _model.Admits(admitted, _ports, address, port, now) : _format == "nftables-strict";

    private IPAddress Inside(string prefix)
    {
        AddressSet.Span span = AddressSet.Block(prefix);
        UInt128 draw = ((UInt128)(ulong)_random.NextInt64() << 64) | (ulong)_random.NextInt64();
        return AddressSet.Address(span.First + (span.Last - span.First == UInt128.MaxValue ? draw : draw % (span.Last - span.First + 1)), span.V6);
    }

    /// <summary>Each probe's outcome: whether it connected, or for the policy-accept layout's allow-list, whether the trace shows its rules accepted it.</summary>
    private async Task<bool[]> OutcomesAsync(string name, List<Probe> probes)
    {
        _trace?.Forget();
        (bool Connected, int Source)[] results =
            await Task.WhenAll(probes.Select(p => ConnectsAsync(p.From, p.Target, p.Port, p.Expected.Any(e => e != false) || (Traced && p.AllowList))));
        if (!Traced)
        {
            return [.. results.Select(r => r.Connected)];
        }

        string[] keys = [.. probes.Zip(results).Where(pair => pair.First.AllowList && pair.Second.Connected)
            .Select(pair => NftTrace.Key(pair.First.Target, pair.First.Port, pair.Second.Source))];
        if (!await _trace!.WaitAsync(keys, TimeSpan.FromSeconds(5)))
        {
            Lapses.Add($"{Index}{name}: the trace did not show every probe's packet in 5 s");
        }

        return [.. probes.Zip(results).Select(pair => pair.First.AllowList
            ? pair.Second.Connected && _trace!.Accepted(NftTrace.Key(pair.First.Target, pair.First.Port, pair.Second.Source)) == true
            : pair.Second.Connected)];
    }

    /// <summary>The version in force (the rules' comments) and the state file (the version applied, the admitted sets, the records) against the model.</summary>
    private void CheckState(string name, DateTimeOffset now)
    {
        var found = new List<string>();
        JsonObject state = JsonNode.Parse(File.ReadAllText(Path.Combine(_host.State, "state.json")))!.AsObject();
        long applied = (long?)state["applied"]?["version"] ?? 0;
        if (applied != _model.InForce)
        {
            found.Add($"the state records v{applied} applied, expected v{_model.InForce}");
        }

        string listing = Nft ? _host.NftRuleset() : _host.IptablesState();
        if (_model.Loaded && !listing.Contains($"v{_model.InForce})", StringComparison.Ordinal))
        {
            found.Add($"the rules in the kernel do not name ip-ranges v{_model.InForce}");
        }

        foreach (string section in _model.Sections.Where(_ => _model.Loaded && !_model.Unsettled(now)))
        {
            AddressSet recorded = AddressSet.Of(state["applied"]?["sections"]?[section]?.AsArray().Select(p => (string)p!) ?? []);
            if (!recorded.Equals(_model.Admitted[section]))
            {
                found.Add($"the state records {section} applied as [{recorded}], expected [{_model.Admitted[section]}]");
            }

            AddressSet seen = AddressSet.Of(state["published"]?[section]?.AsObject().Select(p => p.Key) ?? []);
            if (!seen.Equals(AddressSet.Of(_model.LastSeen[section].Keys)))
            {
                found.Add($"the state records {section} seen as [{seen}], expected [{AddressSet.Of(_model.LastSeen[section].Keys)}]");
            }
        }

        if (_model.Confirmed is { } confirmed && state["confirmed"] is { } written
            && (DateTimeOffset.Parse((string)written!, System.Globalization.CultureInfo.InvariantCulture) - confirmed).Duration() > TimeSpan.FromMinutes(2))
        {
            found.Add($"the state records confirmed {written}, expected {confirmed:O}");
        }

        Lapses.AddRange(found.Select(what => $"{Index}{name}: {what}"));
        FirstLapse ??= found.Count > 0 ? _event : null;
    }

    private static async Task<(bool Connected, int Source)> ConnectsAsync(NetworkNamespace from, IPAddress target, int port, bool expected)
    {
        // A connection that should be dropped is given less time: a drop only ever ends by the timeout.
        for (int attempt = 0; attempt < (expected ? 2 : 1); attempt++)
        {
            using Socket socket = from.CreateSocket(target.AddressFamily);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(expected ? 2500 : 600));
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, port), timeout.Token);
                return (true, ((IPEndPoint)socket.LocalEndPoint!).Port);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                // Tried again once when it should connect: a loaded machine can be slow, a drop is not.
            }
        }

        return (false, 0);
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


    private static async Task<string?> ApplyingAsync(Process sync)
    {
        var clock = Stopwatch.StartNew();
        var staged = new HashSet<string>(StringComparer.Ordinal);
        while (!sync.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (ApplyIn(sync.Id, staged) is { } applying)
            {
                return applying;
            }

            await Task.Delay(1);
        }

        return null;
    }
}
