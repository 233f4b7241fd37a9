using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// Two throwaway namespaces joined by a veth pair: "host", whose kernel runs the output under test, and "peer", the rest of the link.
/// The host routes every address to the peer through a gateway whose neighbour entry is fixed (no resolution, no answers); the peer
/// drops what it receives (it forwards nothing) and sends from any source address (transparent sockets). An observer table of the
/// host's own, at the last priority, records what passed: every packet leaving at postrouting (destination, protocol, port, mark)
/// and every packet reaching the input hook's end (source, destination, protocol, port), TCP SYNs and datagrams only; a set at the
/// first priority of prerouting records what arrived, to know when the link has delivered. One batch of sends, one read.
/// </summary>
internal sealed class AdmissionLab : IDisposable
{
    public const string ObserverTable = "probe-observer";
    private static readonly string[] Sets = ["sent4", "sent6", "admitted4", "admitted6", "arrived4", "arrived6"];
    // How long the link may take to deliver a batch: seconds at most, even on a loaded machine (the control run shows any probe lost).
    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(5);
    private static readonly byte[] Payload = "fwrules.admission:1|c"u8.ToArray();
    private int _hostLink, _peerLink;

    private AdmissionLab(NetworkNamespace host, NetworkNamespace peer) => (Host, Peer) = (host, peer);

    public NetworkNamespace Host { get; }

    public NetworkNamespace Peer { get; }

    /// <summary>Creates the namespaces, the link, the routes and the observer. Call <see cref="LinuxTools.Require"/> first.</summary>
    public static AdmissionLab Create()
    {
        NetworkNamespace host = NetworkNamespace.Create();
        NetworkNamespace? peer = null;
        try
        {
            peer = NetworkNamespace.Create();
            var lab = new AdmissionLab(host, peer);
            lab.Wire();
            return lab;
        }
        catch
        {
            peer?.Dispose();
            host.Dispose();
            throw;
        }
    }

    private void Wire()
    {
        const string HostMac = "02:00:00:00:00:01", PeerMac = "02:00:00:00:00:02";
        Host.Ip("link", "add", "veth0", "address", HostMac, "type", "veth", "peer", "name", "veth1", "address", PeerMac, "netns", Peer.Name);
        Host.Ip("addr", "add", $"{ProbeDraw.HostV4}/32", "dev", "veth0");
        Host.Ip("addr", "add", $"{ProbeDraw.HostV6}/128", "dev", "veth0", "nodad");
        Host.Ip("link", "set", "veth0", "up");
        Peer.Ip("link", "set", "veth1", "up");
        foreach ((string gateway, string v6) in new[] { ("100.64.2.1", string.Empty), ("fd00:64:2::1", "-6") })
        {
            Host.Ip([.. Flag(v6), "neigh", "add", gateway, "lladdr", PeerMac, "dev", "veth0", "nud", "permanent"]);
            Host.Ip([.. Flag(v6), "route", "add", "default", "via", gateway, "dev", "veth0", "onlink"]);
        }

        foreach ((IPAddress address, string v6) in new[] { (ProbeDraw.HostV4, string.Empty), (ProbeDraw.HostV6, "-6") })
        {
            Peer.Ip([.. Flag(v6), "route", "add", address.ToString(), "dev", "veth1"]);
            Peer.Ip([.. Flag(v6), "neigh", "add", address.ToString(), "lladdr", HostMac, "dev", "veth1", "nud", "permanent"]);
        }

        // Sources from any address arrive: no reverse-path filter (the host's routes all point at the gateway).
        Host.Exec("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0", "net.ipv4.conf.veth0.rp_filter=0").Succeeded();
        _hostLink = LinkIndex(Host, "veth0");
        _peerLink = LinkIndex(Peer, "veth1");
        Reset();
    }

    private static string[] Flag(string v6) => v6.Length == 0 ? [] : [v6];

    private static int LinkIndex(NetworkNamespace ns, string link) =>
        JsonNode.Parse(LinuxTools.Run("ip", ["-n", ns.Name, "-j", "link", "show", link]).Succeeded())![0]!["ifindex"]!.GetValue<int>();

    private static string ObserverRules()
    {
        static string Chain(string name, string hook, int priority, string set, string v4Key, string v6Key) => $$"""
              chain {{name}} {
                type filter hook {{hook}} priority {{priority}}; policy accept;
                meta l4proto tcp tcp flags & (syn | ack | rst) != syn return
                meta nfproto ipv4 meta l4proto { tcp, udp } add @{{set}}4 { {{v4Key}} }
                meta nfproto ipv6 meta l4proto { tcp, udp } add @{{set}}6 { {{v6Key}} }
              }

            """;
        static string Client(string family) => $"{family} saddr . {family} daddr . meta l4proto . th dport";
        string sets = string.Concat(Sets.Select(set => $"  set {set} {{ type {SetType(set)}; flags dynamic; size 65536; }}\n"));
        return $"table inet {ObserverTable} {{\n{sets}" +
            Chain("sent", "postrouting", 1000, "sent", "ip daddr . meta l4proto . th dport . meta mark", "ip6 daddr . meta l4proto . th dport . meta mark") +
            Chain("admitted", "input", 1000, "admitted", Client("ip"), Client("ip6")) +
            Chain("arrived", "prerouting", -1000, "arrived", Client("ip"), Client("ip6")) + "}\n";
    }

    private static string SetType(string set)
    {
        string address = set.EndsWith('4') ? "ipv4_addr" : "ipv6_addr";
        return set.StartsWith("sent", StringComparison.Ordinal) ? $"{address} . inet_proto . inet_service . mark" : $"{address} . {address} . inet_proto . inet_service";
    }

    /// <summary>
    /// Empties the host's firewall (every nftables table, iptables-nft's included, and every ipset) and puts the observer back, empty:
    /// the firewall as a fresh host has it, watched.
    /// </summary>
    public void Reset() => Host.ExecWithInput($"nft -f - <<'FWRULES_EOF'\nflush ruleset\n{ObserverRules()}FWRULES_EOF\nipset destroy\n", "sh", "-e").Succeeded();

    /// <summary>
    /// Sends every probe, waits until the link and loopback have delivered what must arrive, and reads what the host's kernel let
    /// through. Must arrive: every peer client's packet (the peer has no rule), and every packet of a client on the host that left
    /// through postrouting (seen at once: the output path is synchronous), since loopback drops nothing.
    /// </summary>
    public async Task<Observation> ProbeAsync(IReadOnlyList<Probe> probes)
    {
        Host.Run(() => SendAll(probes.Where(p => p.Side != ProbeSide.PeerClient), transparent: false));
        Peer.Run(() => SendAll(probes.Where(p => p.Side == ProbeSide.PeerClient), transparent: true));
        var clock = Stopwatch.StartNew();
        Observation observed = Read();
        while (!probes.Where(p => p.Side == ProbeSide.PeerClient || (p.Side == ProbeSide.LocalClient && observed.Left(p.SentKey))).All(p => observed.Arrived(p.Key))
            && clock.Elapsed < DeliveryLimit)
        {
            await Task.Delay(20);
            observed = Read();
        }

        // A packet recorded at prerouting is decided at the input hook in the same pass (softirq); one read later, every decision is in.
        await Task.Delay(20);
        return Read();
    }

    private Observation Read() => Observation.Parse(Host.Exec("nft", "-j", "list", "table", "inet", ObserverTable).Succeeded());

    private int SendAll(IEnumerable<Probe> probes, bool transparent)
    {
        int sent = 0;
        foreach (Probe probe in probes)
        {
            Send(probe, transparent);
            sent++;
        }

        return sent;
    }

    // One SYN (a non-blocking connect) or one datagram; refusals and drops are the observer's to see, so send errors are ignored.
    private void Send(Probe probe, bool transparent)
    {
        bool udp = probe.Protocol == "udp";
        AddressFamily family = probe.Mapped ? AddressFamily.InterNetworkV6 : probe.Destination.AddressFamily;
        using var socket = new Socket(family, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        try
        {
            if (transparent)
            {
                // IP_TRANSPARENT (SOL_IP 0, 19) / IPV6_TRANSPARENT (SOL_IPV6 41, 75): bind and route from an address the peer does not hold.
                bool v4 = family == AddressFamily.InterNetwork;
                socket.SetRawSocketOption(v4 ? 0 : 41, v4 ? 19 : 75, BitConverter.GetBytes(1));
            }

            if (probe.Mapped)
            {
                socket.DualMode = true;
            }

            if (probe.Source is not null || probe.SourcePort != 0)
            {
                // Sent one after another, each socket closed before the next: a source port is free again for the next probe that names it.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                IPAddress source = probe.Source is null
                    ? (family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any)
                    : Scoped(probe.Source, transparent ? _peerLink : _hostLink);
                socket.Bind(new IPEndPoint(source, probe.SourcePort));
            }

            var target = new IPEndPoint(probe.Mapped ? probe.Destination.MapToIPv6() : Scoped(probe.Destination, _hostLink), probe.Port);
            if (udp)
            {
                socket.EnableBroadcast = probe.Destination.Equals(IPAddress.Broadcast);
                socket.SendTo(Payload, target);
            }
            else
            {
                socket.Blocking = false;
                socket.Connect(target);
            }
        }
        catch (SocketException)
        {
            // In progress, refused, or not permitted (dropped at the output hook): the observer tells.
        }
    }

    private static IPAddress Scoped(IPAddress address, int link) => address.IsIPv6LinkLocal ? new IPAddress(address.GetAddressBytes(), link) : address;

    public void Dispose()
    {
        Host.Dispose();
        Peer.Dispose();
    }
}
