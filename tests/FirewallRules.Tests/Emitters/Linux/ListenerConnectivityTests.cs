using System.Net;
using System.Net.Sockets;
using FirewallRules.Emitters;
using FirewallRules.Ports;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// Real packets to an agent's local listeners: "host" runs DogStatsD (a UDP echo on 8125) and the APM receiver
/// (TCP 8126) and loads the listener rules; "peer", on the same veth link, is the rest of the network. Each
/// Linux format must keep the peer out and let loopback in, and an opened feature must let the peer reach that
/// listener only. No other rule or policy is loaded, so every drop is the output's own.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class ListenerConnectivityTests
{
    private const int DogStatsD = 8125, Apm = 8126, Unlisted = 8127;
    private static readonly IPAddress HostV4 = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress HostV6 = IPAddress.Parse("2001:db8:c::2");
    private static readonly IPAddress PeerV4 = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress PeerV6 = IPAddress.Parse("2001:db8:c::7");
    private static readonly PrefixSet PeerNetwork = PrefixSet.Parse("192.0.2.0/24\n2001:db8:c::/64");

    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _echoes = [];
    private NetworkNamespace? _host, _peer;

    public static IEnumerable<string> Formats => ["iptables-script", "iptables-ipset-script", "nftables", "nftables-strict", "nftables-chain"];

    private NetworkNamespace Host => _host ?? throw new InvalidOperationException("no namespace");

    private NetworkNamespace Peer => _peer ?? throw new InvalidOperationException("no namespace");

    [OneTimeSetUp]
    public void JoinHostAndPeer()
    {
        LinuxTools.Require("ip", "sysctl", "nft", "iptables", "ip6tables", "ipset", "sh");
        _host = NetworkNamespace.Create();
        _peer = NetworkNamespace.Create();
        Host.Ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", Peer.Name);
        Host.Ip("addr", "add", $"{HostV4}/24", "dev", "veth0");
        Host.Ip("addr", "add", $"{HostV6}/64", "dev", "veth0");
        Peer.Ip("addr", "add", $"{PeerV4}/24", "dev", "veth1");
        Peer.Ip("addr", "add", $"{PeerV6}/64", "dev", "veth1");
        Host.Ip("link", "set", "veth0", "up");
        Peer.Ip("link", "set", "veth1", "up");

        foreach (IPAddress any in new[] { IPAddress.Any, IPAddress.IPv6Any })
        {
            Socket udp = Bind(Host, ProtocolType.Udp, any, DogStatsD);
            _echoes.Add(Echo(udp));
            Bind(Host, ProtocolType.Tcp, any, Apm).Listen(64);
            Bind(Host, ProtocolType.Tcp, any, Unlisted).Listen(64);
        }
    }

    [OneTimeTearDown]
    public void DeleteNamespaces()
    {
        _sockets.ForEach(s => s.Dispose());
        Task.WaitAll([.. _echoes], TimeSpan.FromSeconds(5));
        _host?.Dispose();
        _peer?.Dispose();
    }

    [SetUp]
    public void EmptyFirewall()
    {
        if (_host is null)
        {
            return;
        }

        foreach (string command in new[] { "iptables", "ip6tables" })
        {
            Host.Exec(command, "-F").Succeeded();
            Host.Exec(command, "-X").Succeeded();
        }

        Host.Exec("nft", "flush", "ruleset").Succeeded();
        Host.Exec("ipset", "destroy").Succeeded();
    }

    [Test]
    public async Task NoRules_EveryProbeIsAnswered()
    {
        await ConnectivityProbe.AssertOutcomes(
            Udp(Host, IPAddress.Loopback, "answered"),
            Udp(Host, IPAddress.IPv6Loopback, "answered"),
            Tcp(Host, IPAddress.Loopback, Apm, "connected"),
            Udp(Peer, HostV4, "answered"),
            Udp(Peer, HostV6, "answered"),
            Tcp(Peer, HostV4, Apm, "connected"),
            Tcp(Peer, HostV6, Apm, "connected"),
            Udp(Host, HostV4, "answered"));
    }

    [TestCaseSource(nameof(Formats))]
    public async Task DogStatsDAndApm_ReachableFromLoopbackOnly(string format)
    {
        Apply(LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd", "apm"] }), format);

        await ConnectivityProbe.AssertOutcomes(
            Udp(Host, IPAddress.Loopback, "answered"),
            Udp(Host, IPAddress.IPv6Loopback, "answered"),
            Tcp(Host, IPAddress.Loopback, Apm, "connected"),
            Tcp(Host, IPAddress.IPv6Loopback, Apm, "connected"),
            Udp(Peer, HostV4, "blocked"),
            Udp(Peer, HostV6, "blocked"),
            Tcp(Peer, HostV4, Apm, "blocked"),
            Tcp(Peer, HostV6, Apm, "blocked"),
            Udp(Host, HostV4, "blocked"), // this host through its own address: not a loopback source, whatever the interface
            Tcp(Peer, HostV4, Unlisted, "connected")); // only the listeners' ports are closed
    }

    [TestCaseSource(nameof(Formats))]
    public async Task DogStatsDOpenedToThePeersNetwork_ReachesUdpOnly(string format)
    {
        Apply(LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions
        {
            Features = ["dogstatsd", "apm"],
            OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PeerNetwork },
        }), format);

        await ConnectivityProbe.AssertOutcomes(
            Udp(Peer, HostV4, "answered"),
            Udp(Peer, HostV6, "answered"),
            Tcp(Peer, HostV4, Apm, "blocked"),
            Tcp(Peer, HostV6, Apm, "blocked"),
            Udp(Host, IPAddress.Loopback, "answered"),
            Tcp(Host, IPAddress.IPv6Loopback, Apm, "connected"));
    }

    /// <summary>Loads the rules as the format's users do, checking nft files first.</summary>
    private void Apply(RuleSet rules, string format)
    {
        string text = rules.Render(EmitterRegistry.Default.Create(format));
        if (format == "nftables-chain")
        {
            // The user's table jumps to the output's chain for all inbound traffic and accepts the rest.
            Host.ExecWithInput("""
                table inet filter {
                    chain datadog-ingress { }
                    chain input { type filter hook input priority filter; policy accept; jump datadog-ingress; }
                }
                """, "nft", "-f", "-").Succeeded();
        }

        if (format.StartsWith("nftables", StringComparison.Ordinal))
        {
            Host.ExecOnFile(text, "nft", "-c", "-f").Succeeded();
            Host.ExecOnFile(text, "nft", "-f").Succeeded();
        }
        else
        {
            Host.ExecOnFile(text, "sh").Succeeded();
        }
    }

    private Socket Bind(NetworkNamespace ns, ProtocolType protocol, IPAddress address, int port)
    {
        Socket socket = ns.CreateSocket(address.AddressFamily, protocol);
        _sockets.Add(socket);
        socket.Bind(new IPEndPoint(address, port));
        return socket;
    }

    /// <summary>Sends every datagram back to where it came from, until the socket is disposed.</summary>
    private static async Task Echo(Socket socket)
    {
        byte[] buffer = new byte[64];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        try
        {
            while (true)
            {
                SocketReceiveFromResult received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any);
                await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // Disposed at tear-down.
        }
    }

    private ConnectivityProbe Udp(NetworkNamespace from, IPAddress target, string expected) =>
        new(from, from == Host ? "host" : "peer", target, DogStatsD, expected, ProtocolType.Udp);

    private ConnectivityProbe Tcp(NetworkNamespace from, IPAddress target, int port, string expected) => new(from, from == Host ? "host" : "peer", target, port, expected);
}
