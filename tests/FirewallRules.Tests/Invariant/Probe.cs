using System.Net;
using System.Net.Sockets;

namespace FirewallRules.Tests.Invariant;

/// <summary>Where a probe starts.</summary>
internal enum ProbeSide
{
    /// <summary>A connection or datagram from the host to the destination.</summary>
    Egress,

    /// <summary>A client on the host itself (a loopback source or the host's own address) reaching a port of the host.</summary>
    LocalClient,

    /// <summary>A client on the link (the peer namespace, any source address) reaching a port of the host.</summary>
    PeerClient,
}

/// <summary>
/// One packet sent at the engine: a TCP SYN (a non-blocking connect) or a UDP datagram, and why it was drawn. The observer keys it by
/// destination, protocol and port (egress) or by source, destination, protocol and port (ingress).
/// </summary>
/// <param name="Side">Who sends it.</param>
/// <param name="Source">A client's source address (bound); null for egress (the kernel picks it).</param>
/// <param name="Destination">Where it goes: for egress the remote address, for clients the host's address.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="Port">The destination port.</param>
/// <param name="Why">Where the address came from, e.g. <c>after the last of 3.233.144.0/20 (apm)</c>.</param>
internal sealed record Probe(ProbeSide Side, IPAddress? Source, IPAddress Destination, string Protocol, int Port, string Why)
{
    /// <summary>Whether the packet stays on this host and crosses the loopback interface (<c>oif lo</c>, <c>iif lo</c>).</summary>
    public bool ViaLoopback { get; init; }

    /// <summary>Sent by a dual-stack IPv6 socket to <c>::ffff:</c><see cref="Destination"/>, as an agent given such an address sends it: IPv4 on the wire.</summary>
    public bool Mapped { get; init; }

    /// <summary>The source port it is sent from (a rule's port: rules match the destination's port, never the source's); 0: any.</summary>
    public int SourcePort { get; init; }

    /// <summary>The observer's key of the packet.</summary>
    public string Key => Side == ProbeSide.Egress ? SentKey : $"{Source} {Destination} {Protocol} {Port}";

    /// <summary>The key of the packet as it leaves through the output hook (destination, protocol, port): how a client on the host is seen leaving.</summary>
    public string SentKey => $"{Destination} {Protocol} {Port}";

    public override string ToString() => Side switch
    {
        ProbeSide.Egress => $"egress to {Endpoint(Destination)}/{Protocol}{(Mapped ? $" (sent to ::ffff:{Destination})" : string.Empty)}{From} [{Why}]",
        ProbeSide.LocalClient => $"this host's client {Source} to {Endpoint(Destination)}/{Protocol}{From} [{Why}]",
        _ => $"peer client {Source} to {Endpoint(Destination)}/{Protocol}{From} [{Why}]",
    };

    private string From => SourcePort == 0 ? string.Empty : $" from port {SourcePort}";

    private string Endpoint(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{Port}" : $"{address}:{Port}";
}

/// <summary>Address arithmetic for the draws: addresses as numbers, the neighbours of a network, the kernel's special ranges.</summary>
internal static class Addresses
{
    // "This network", the reserved class E, the unspecified and IPv4-compatible IPv6 addresses, IPv4-mapped IPv6 addresses.
    private static readonly IPNetwork2[] Reserved = [.. new[] { "0.0.0.0/8", "240.0.0.0/4", "::/96", "::ffff:0:0/96" }.Select(IPNetwork2.Parse)];
    private static readonly IPNetwork2 GlobalMulticast = IPNetwork2.Parse("ff0e::/16");

    /// <summary>The address as an unsigned number.</summary>
    public static UInt128 Number(IPAddress address)
    {
        UInt128 value = 0;
        foreach (byte b in address.GetAddressBytes())
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>The address of <paramref name="family"/> whose number is <paramref name="value"/>.</summary>
    public static IPAddress From(UInt128 value, AddressFamily family)
    {
        byte[] bytes = new byte[family == AddressFamily.InterNetwork ? 4 : 16];
        for (int i = bytes.Length - 1; i >= 0; i--, value >>= 8)
        {
            bytes[i] = (byte)value;
        }

        return new IPAddress(bytes);
    }

    /// <summary>The highest address of the family.</summary>
    public static UInt128 Max(AddressFamily family) => family == AddressFamily.InterNetwork ? uint.MaxValue : UInt128.MaxValue;

    /// <summary>A random address of <paramref name="network"/>.</summary>
    public static IPAddress RandomIn(IPNetwork2 network, Random random)
    {
        UInt128 first = Number(network.First), span = Number(network.Last) - first;
        UInt128 draw = ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64();
        return From(span == UInt128.MaxValue ? draw : first + (draw % (span + 1)), network.AddressFamily);
    }

    /// <summary>A random address of <paramref name="cidr"/>.</summary>
    public static IPAddress RandomIn(string cidr, Random random) => RandomIn(IPNetwork2.Parse(cidr), random);

    /// <summary>The address before the network's first, or null at the bottom of the space.</summary>
    public static IPAddress? Before(IPNetwork2 network) =>
        Number(network.First) is var first && first == 0 ? null : From(first - 1, network.AddressFamily);

    /// <summary>The address after the network's last, or null at the top of the space.</summary>
    public static IPAddress? After(IPNetwork2 network) =>
        Number(network.Last) is var last && last == Max(network.AddressFamily) ? null : From(last + 1, network.AddressFamily);

    /// <summary>Multicast or the limited broadcast: datagrams only.</summary>
    public static bool IsGroup(IPAddress address) =>
        address.IsIPv6Multicast || address.Equals(IPAddress.Broadcast) || (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] is >= 224 and < 240);

    /// <summary>
    /// Whether the host can send to it at all: not "this network", reserved, unspecified or mapped, and for IPv6 multicast only the global
    /// scope, which the default route carries (the narrower scopes need an interface).
    /// </summary>
    public static bool IsSendable(IPAddress address) =>
        IPAddress.IsLoopback(address) || address.Equals(IPAddress.Broadcast)
            || (!Reserved.Any(n => Matches(n, address)) && (!address.IsIPv6Multicast || Matches(GlobalMulticast, address)));

    /// <summary>
    /// Whether a client on the link may use it as its source: the kernel drops loopback, multicast, broadcast, reserved and
    /// unspecified sources arriving on another interface (martians), and IPv4-mapped IPv6 sources, before any rule sees them.
    /// </summary>
    public static bool IsPeerSource(IPAddress address) =>
        !IPAddress.IsLoopback(address) && !IsGroup(address) && !Reserved.Any(n => Matches(n, address));

    /// <summary>The link-local IPv6 range, whose addresses need an interface.</summary>
    public static bool IsLinkLocal(IPAddress address) => address.IsIPv6LinkLocal;

    private static bool Matches(IPNetwork2 network, IPAddress address) => network.AddressFamily == address.AddressFamily && network.Contains(address);
}
