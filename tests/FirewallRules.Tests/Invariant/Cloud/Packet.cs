using System.Net;
using System.Net.Sockets;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// One connection a rendered document is asked about, seen from the protected host (an instance, a pod, a Windows host): its
/// direction, protocol, the remote address (the destination of egress, the source of ingress) and the destination port (the
/// remote service's for egress, the local listener's for ingress).
/// </summary>
internal sealed record Packet(Direction Direction, TransportProtocol Protocol, IPAddress Remote, int Port)
{
    public bool IsIPv6 => Remote.AddressFamily == AddressFamily.InterNetworkV6;

    public override string ToString() => Direction == Direction.Egress
        ? $"egress {Keyword(Protocol)} to {Remote} port {Port}"
        : $"ingress {Keyword(Protocol)} from {Remote} to port {Port}";

    public static string Keyword(TransportProtocol protocol) => protocol == TransportProtocol.Tcp ? "tcp" : "udp";
}

/// <summary>
/// Prefix membership by IPNetwork2, the independent CIDR library: never the library's own <c>PrefixSet</c>. A bare address
/// (no <c>/</c>) is a host prefix, never IPNetwork2's classful guess; a prefix with host bits set is read as the network that
/// holds it, which is what the clouds make of it (the wider reading: it can only add what is admitted).
/// </summary>
internal static class Net
{
    public static readonly IPNetwork2 Loopback4 = IPNetwork2.Parse("127.0.0.0/8");
    public static readonly IPNetwork2 Loopback6 = IPNetwork2.Parse("::1/128");

    public static IPNetwork2 Parse(string text)
    {
        string trimmed = text.Trim();
        if (!trimmed.Contains('/', StringComparison.Ordinal))
        {
            trimmed += IPAddress.Parse(trimmed).AddressFamily == AddressFamily.InterNetworkV6 ? "/128" : "/32";
        }

        return IPNetwork2.Parse(trimmed);
    }

    public static bool Contains(IPNetwork2 network, IPAddress address) =>
        network.AddressFamily == address.AddressFamily && network.Contains(address);

    public static bool Any(IEnumerable<IPNetwork2> networks, IPAddress address) => networks.Any(n => Contains(n, address));

    public static bool IsLoopback(IPAddress address) => Contains(Loopback4, address) || Contains(Loopback6, address);
}
