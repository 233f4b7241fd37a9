using System.Net;
using System.Net.Sockets;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// Real packets: two namespaces joined by a veth pair. "host" runs the rules; "remote" plays Datadog, with
/// addresses inside the v52 logs and webhooks prefixes, and an address outside them. Routes exist only
/// inside the namespaces. TCP listeners are plain sockets created inside the namespaces.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class NamespaceConnectivityTests
{
    private const int Https = 443, LogsTcp = 10516, Elsewhere = 8443;
    private static readonly IPAddress HostV4 = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress HostV6 = IPAddress.Parse("2001:db8:c::2");
    private static readonly IPAddress OtherV4 = IPAddress.Parse("198.51.100.7");
    private static readonly IPAddress OtherV6 = IPAddress.Parse("2001:db8:ffff::7");

    private readonly List<Socket> _listeners = [];
    private NetworkNamespace? _host, _remote;
    private RuleSet _logs = null!, _webhooks = null!;
    private IPAddress _logsV4 = null!, _logsV6 = null!, _webhooksV4 = null!;

    private NetworkNamespace Host => _host ?? throw new InvalidOperationException("no namespace");

    private NetworkNamespace Remote => _remote ?? throw new InvalidOperationException("no namespace");

    [OneTimeSetUp]
    public void JoinTwoNamespaces()
    {
        LinuxTools.Require("ip", "sysctl", "nft", "iptables", "ip6tables", "ipset", "sh");
        IpRangesDocument v52 = IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"));
        _logs = RuleSet.For(v52, Section.Logs);
        _webhooks = RuleSet.For(v52, Section.Webhooks);
        _logsV4 = Readback.AddressIn(_logs.Prefixes.IPv4.First());
        _logsV6 = Readback.AddressIn(_logs.Prefixes.IPv6.First());
        _webhooksV4 = Readback.AddressIn(_webhooks.Prefixes.IPv4.First());
        Assert.That(_logs.Prefixes.Union(_webhooks.Prefixes).Contains(OtherV4) || _logs.Prefixes.Contains(OtherV6), Is.False, "the other addresses must be outside every rule");

        _host = NetworkNamespace.Create();
        _remote = NetworkNamespace.Create();
        Host.Ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", Remote.Name);
        Host.Ip("addr", "add", $"{HostV4}/32", "dev", "veth0");
        Host.Ip("addr", "add", $"{HostV6}/128", "dev", "veth0");
        foreach (IPAddress address in new[] { _logsV4, _webhooksV4, OtherV4, _logsV6, OtherV6 })
        {
            Remote.Ip("addr", "add", $"{address}/{(address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}", "dev", "veth1");
        }

        Host.Ip("link", "set", "veth0", "up");
        Remote.Ip("link", "set", "veth1", "up");
        foreach (IPAddress address in new[] { _logsV4, _webhooksV4, OtherV4, _logsV6, OtherV6 })
        {
            Host.Ip("route", "add", address.ToString(), "dev", "veth0", "src", (address.AddressFamily == AddressFamily.InterNetwork ? HostV4 : HostV6).ToString());
        }

        Remote.Ip("route", "add", HostV4.ToString(), "dev", "veth1");
        Remote.Ip("route", "add", HostV6.ToString(), "dev", "veth1");

        foreach (int port in new[] { Https, LogsTcp, Elsewhere })
        {
            Listen(Remote, IPAddress.Any, port);
            Listen(Remote, IPAddress.IPv6Any, port);
        }

        Listen(Host, IPAddress.Any, Https);
    }

    [OneTimeTearDown]
    public void DeleteNamespaces()
    {
        _listeners.ForEach(l => l.Dispose());
        _host?.Dispose();
        _remote?.Dispose();
    }

    [SetUp]
    public void EmptyFirewalls()
    {
        if (_host is null)
        {
            return;
        }

        foreach (NetworkNamespace ns in new[] { Host, Remote })
        {
            ns.Exec("nft", "flush", "ruleset").Succeeded();
        }

        Host.Exec("ipset", "destroy").Succeeded();
    }

    [Test]
    public async Task NoRules_EveryAddressAndPort_Connects()
    {
        await ConnectivityProbe.AssertOutcomes(
            new ConnectivityProbe(Host, "host", _logsV4, Https, "connected"),
            new ConnectivityProbe(Host, "host", _logsV6, Https, "connected"),
            new ConnectivityProbe(Host, "host", OtherV4, Https, "connected"),
            new ConnectivityProbe(Host, "host", OtherV6, Https, "connected"),
            new ConnectivityProbe(Host, "host", _logsV4, Elsewhere, "connected"),
            new ConnectivityProbe(Remote, "remote", HostV4, Https, "connected", Source: OtherV4));
    }

    [Test]
    public async Task NftablesStrict_Egress_OnlyListedAddressesReachTheRulesPorts()
    {
        Host.ExecOnFile(_logs.ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable }), "nft", "-f").Succeeded();

        await ConnectivityProbe.AssertOutcomes(
            new ConnectivityProbe(Host, "host", _logsV4, Https, "connected"),
            new ConnectivityProbe(Host, "host", _logsV4, LogsTcp, "connected"),
            new ConnectivityProbe(Host, "host", _logsV6, Https, "connected"),
            new ConnectivityProbe(Host, "host", OtherV4, Https, "blocked"),
            new ConnectivityProbe(Host, "host", OtherV6, LogsTcp, "blocked"),
            new ConnectivityProbe(Host, "host", OtherV4, Elsewhere, "connected")); // strict covers the rules' ports only
    }

    [Test]
    public async Task NftablesChain_Egress_JumpedToFromTheUsersDropPolicy()
    {
        Host.ExecWithInput("""
            table inet filter {
                chain datadog-egress { }
                chain output {
                    type filter hook output priority filter; policy drop;
                    oif "lo" accept
                    ct state established,related accept
                    meta l4proto ipv6-icmp accept
                    jump datadog-egress
                }
            }
            """, "nft", "-f", "-").Succeeded();
        Host.ExecOnFile(_logs.ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.ExistingTable }), "nft", "-f").Succeeded();

        await ConnectivityProbe.AssertOutcomes(
            new ConnectivityProbe(Host, "host", _logsV4, Https, "connected"),
            new ConnectivityProbe(Host, "host", _logsV6, LogsTcp, "connected"),
            new ConnectivityProbe(Host, "host", OtherV4, Https, "blocked"),
            new ConnectivityProbe(Host, "host", OtherV6, Https, "blocked"),
            new ConnectivityProbe(Host, "host", _logsV4, Elsewhere, "blocked")); // the user's policy decides the rest
    }

    [Test]
    public async Task NftablesOwnTable_DenyRules_DropTheListedAddressesOnly()
    {
        RuleSet deny = RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json")), ["logs"], new RuleSetOptions { Action = RuleAction.Deny });
        Host.ExecOnFile(deny.ToNftables(), "nft", "-f").Succeeded();

        await ConnectivityProbe.AssertOutcomes(
            new ConnectivityProbe(Host, "host", _logsV4, Https, "blocked"),
            new ConnectivityProbe(Host, "host", _logsV6, Https, "blocked"),
            new ConnectivityProbe(Host, "host", OtherV4, Https, "connected"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task IptablesScript_Egress_AllowsTheListedAddressesBeforeTheDropPolicy(bool useIpset)
    {
        foreach (string command in new[] { "iptables", "ip6tables" })
        {
            Host.Exec(command, "-F").Succeeded();
            Host.Exec(command, "-X").Succeeded();
            Host.Exec(command, "-P", "OUTPUT", "DROP").Succeeded();
            Host.Exec(command, "-A", "OUTPUT", "-o", "lo", "-j", "ACCEPT").Succeeded();
            Host.Exec(command, "-A", "OUTPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT").Succeeded();
        }

        Host.Exec("ip6tables", "-A", "OUTPUT", "-p", "ipv6-icmp", "-j", "ACCEPT").Succeeded();
        Host.ExecOnFile(_logs.ToIptablesScript(new IptablesEmitterOptions { UseIpset = useIpset }), "sh").Succeeded();

        await ConnectivityProbe.AssertOutcomes(
            new ConnectivityProbe(Host, "host", _logsV4, Https, "connected"),
            new ConnectivityProbe(Host, "host", _logsV4, LogsTcp, "connected"),
            new ConnectivityProbe(Host, "host", _logsV6, Https, "connected"),
            new ConnectivityProbe(Host, "host", OtherV4, Https, "blocked"),
            new ConnectivityProbe(Host, "host", OtherV6, Https, "blocked"),
            new ConnectivityProbe(Host, "host", _logsV4, Elsewhere, "blocked"));
    }

    [Test]
    public async Task NftablesStrict_Ingress_OnlyListedSourcesConnect()
    {
        Host.ExecOnFile(_webhooks.ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable }), "nft", "-f").Succeeded();

        await ConnectivityProbe.AssertOutcomes(
            new ConnectivityProbe(Remote, "remote", HostV4, Https, "connected", Source: _webhooksV4),
            new ConnectivityProbe(Remote, "remote", HostV4, Https, "blocked", Source: OtherV4));
    }

    private void Listen(NetworkNamespace ns, IPAddress address, int port)
    {
        Socket listener = ns.CreateSocket(address.AddressFamily);
        _listeners.Add(listener);
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(512);
    }
}
