using System.Net;
using System.Numerics;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// Packets around and outside a plan, drawn from a seed: inside each rule's prefixes (first, last and a random address of some of
/// them) and just outside (the address before and after), and special places (loopback, the metadata service, multicast, private
/// and documentation ranges, public resolvers); each on the rule's port, the ports beside its range, well-known ports, the other
/// protocol and the other direction; and where a direction's rules hold one family, the other family's on each rule's ports.
/// </summary>
internal static class Probes
{
    /// <summary>Addresses no plan should admit unless it names them, and those every target treats apart.</summary>
    public static readonly IPAddress[] Special = [.. new[]
    {
        "127.0.0.1", "127.255.255.254", "::1", "169.254.169.254", "169.254.0.1", "224.0.0.1", "239.255.255.250", "255.255.255.255", "0.0.0.0",
        "10.0.0.4", "10.0.200.9", "10.255.255.255", "172.16.5.4", "172.31.255.1", "192.168.1.1", "100.64.0.1", "168.63.129.16",
        "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.5", "8.8.8.8", "1.1.1.1", "52.1.2.3", "3.233.143.255",
        "fe80::1", "fd00::1", "fd12:3456::7", "ff02::1", "2001:db8::1", "2600:1f18:24e6:b8ff::1", "2606:4700::1111", "::ffff:10.20.30.40",
    }.Select(IPAddress.Parse)];

    private static readonly int[] WellKnown = [22, 25, 53, 80, 123, 443, 3389, 5000, 5001, 6443, 8080, 8125, 8126, 8443, 10250, 10516];

    private const int PrefixesPerRule = 3;

    public static List<Packet> For(PlanModel model, Random random)
    {
        var probes = new HashSet<Packet>();
        foreach (ModelRule rule in model.Rules)
        {
            foreach (IPNetwork2 prefix in rule.Prefixes.OrderBy(_ => random.Next()).Take(PrefixesPerRule))
            {
                foreach (IPAddress address in Around(prefix, random))
                {
                    probes.UnionWith(Variants(model, rule, address, random));
                }
            }
        }

        var ports = model.Rules.Select(r => (r.Protocol, r.First, r.Last)).Distinct().ToArray();
        foreach (IPAddress address in Special)
        {
            foreach (Direction direction in new[] { Direction.Egress, Direction.Ingress })
            {
                probes.UnionWith(ports.Select(p => new Packet(direction, p.Protocol, address, p.First)));
                probes.UnionWith(ports.Select(p => new Packet(direction, Other(p.Protocol), address, p.Last)));
                probes.Add(new Packet(direction, TransportProtocol.Tcp, address, WellKnown[random.Next(WellKnown.Length)]));
            }
        }

        probes.UnionWith(OtherFamily(model));
        return [.. probes];
    }

    // In a direction whose rules hold no prefix of a family, that family's special addresses on each rule's port range (its ends and
    // middle): denied on every port the plan governs, the ports it closes too, whatever the target allows that family by default.
    private static IEnumerable<Packet> OtherFamily(PlanModel model) =>
        from rule in model.Rules
        from address in Special
        where !model.Rules.Any(r => r.Direction == rule.Direction && r.Prefixes.Any(p => p.AddressFamily == address.AddressFamily))
        from port in new[] { rule.First, rule.First + ((rule.Last - rule.First) / 2), rule.Last }.Distinct()
        select new Packet(rule.Direction, rule.Protocol, address, port);

    // The rule's own packet and its neighbours: the ends of its range and the ports beside it, the other protocol, the other
    // direction, a well-known port and another rule's port.
    private static IEnumerable<Packet> Variants(PlanModel model, ModelRule rule, IPAddress address, Random random)
    {
        Direction other = rule.Direction == Direction.Egress ? Direction.Ingress : Direction.Egress;
        ModelRule neighbour = model.Rules[random.Next(model.Rules.Count)];
        int inside = random.Next(rule.First, rule.Last + 1);
        int[] ports = [rule.First, rule.Last, inside, rule.First - 1, rule.Last + 1, WellKnown[random.Next(WellKnown.Length)], neighbour.First];
        foreach (int port in ports.Where(p => p is > 0 and < 65536).Distinct())
        {
            yield return new Packet(rule.Direction, rule.Protocol, address, port);
        }

        yield return new Packet(rule.Direction, Other(rule.Protocol), address, inside);
        yield return new Packet(other, rule.Protocol, address, inside);
        yield return new Packet(neighbour.Direction, neighbour.Protocol, address, neighbour.Last);
    }

    /// <summary>The first, last and a random address of <paramref name="prefix"/>, and the addresses just before and after it.</summary>
    public static IEnumerable<IPAddress> Around(IPNetwork2 prefix, Random random)
    {
        int bits = prefix.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        BigInteger first = IPNetwork2.ToBigInteger(prefix.Network);
        BigInteger size = BigInteger.One << (bits - prefix.Cidr);
        BigInteger max = (BigInteger.One << bits) - 1;
        byte[] draw = new byte[16];
        random.NextBytes(draw);
        BigInteger offset = new BigInteger(draw, isUnsigned: true) % size;
        foreach (BigInteger value in new[] { first, first + size - 1, first + offset, first - 1, first + size })
        {
            if (value >= 0 && value <= max)
            {
                yield return IPNetwork2.ToIPAddress(value, prefix.AddressFamily);
            }
        }
    }

    private static TransportProtocol Other(TransportProtocol protocol) => protocol == TransportProtocol.Tcp ? TransportProtocol.Udp : TransportProtocol.Tcp;
}
