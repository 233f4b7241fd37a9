using System.Net;
using System.Net.Sockets;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// Draws the probes of a plan, around and outside it: per rule and family a few of its networks (the first, the last, random ones),
/// each probed at its first, last and a random address and at the addresses just before and after it; the special ranges (loopback,
/// link-local with the cloud metadata address, multicast, broadcast, documentation, RFC 1918, NAT64, this host's own address); each
/// address on its own rule's ports, another of the plan's ports, and ports around them (port±1, the other protocol, the agent's and
/// common ports), and a few from a plan's port to another. Clients: loopback ones and the host through its own address on the host, and
/// any other source on the link.
/// </summary>
internal static class ProbeDraw
{
    /// <summary>The host's address on the link: where the peer's clients connect, and what its own clients may use.</summary>
    public static readonly IPAddress HostV4 = IPAddress.Parse("100.64.1.2"), HostV6 = IPAddress.Parse("fd00:64:1::2");

    private static readonly (string Protocol, int Port)[] Common =
        [("tcp", 22), ("tcp", 25), ("udp", 53), ("tcp", 80), ("udp", 123), ("tcp", 443), ("udp", 443), ("tcp", 3128), ("tcp", 5000), ("tcp", 8042),
        ("udp", 8125), ("tcp", 8126), ("tcp", 8443), ("tcp", 10516)];

    /// <summary>Whether traffic to <paramref name="address"/> stays on the host (loopback, or one of its own addresses).</summary>
    public static bool IsLocal(IPAddress address) => IPAddress.IsLoopback(address) || address.Equals(HostV4) || address.Equals(HostV6);

    /// <summary>The probes of <paramref name="plan"/>, <paramref name="sample"/> networks per rule and family.</summary>
    public static IReadOnlyList<Probe> Draw(AdmissionPlan plan, Random random, int sample)
    {
        var probes = new Dictionary<string, Probe>();
        foreach (bool egress in new[] { true, false })
        {
            ModelRule[] rules = [.. plan.Rules.Where(r => r.Egress == egress)];
            (string, int)[] planPorts = [.. rules.SelectMany(r => RulePorts(r, random)).Distinct()];
            (string, int)[] near = [.. rules.SelectMany(Near).Concat(Common).Append((random.Next(2) == 0 ? "tcp" : "udp", random.Next(1, 65536))).Distinct()];
            foreach ((IPAddress address, Candidate candidate) in Candidates(rules, random, sample, egress))
            {
                IEnumerable<(string, int)> ports = candidate.Ports
                    .Concat(planPorts.Length == 0 ? [] : random.GetItems(planPorts, candidate.Ports.Count == 0 ? 2 : 1))
                    .Concat(random.GetItems(near, 2));
                foreach ((string protocol, int port) in ports.Distinct().Where(p => p.Item1 == "udp" || !Addresses.IsGroup(address)))
                {
                    Probe? probe = egress ? EgressProbe(address, candidate.Why, protocol, port) : ClientProbe(address, candidate.Why, protocol, port, random);
                    if (probe is not null)
                    {
                        probes.TryAdd($"{probe.Side == ProbeSide.Egress} {probe.Key}", probe);
                    }
                }
            }
        }

        // From a plan's port to another port: a rule that matched the source port instead of the destination's would let these through.
        foreach (Probe planned in random.GetItems([.. probes.Values.Where(p => p.Side != ProbeSide.LocalClient && !p.ViaLoopback && !Addresses.IsGroup(p.Destination)
            && plan.Rules.Any(r => r.On(p.Protocol, p.Port)))], 6).DistinctBy(p => p.Port))
        {
            Probe moved = planned with { Port = random.Next(40000, 60000), SourcePort = planned.Port, Why = $"{planned.Why}, from its port to another" };
            probes.TryAdd($"{moved.Side == ProbeSide.Egress} {moved.Key}", moved);
        }

        // The agent's resolver may hand it an IPv4-mapped IPv6 address: a dual-stack socket sends IPv4, the same packet.
        foreach (Probe unicast in random.GetItems([.. probes.Values.Where(p => p.Side == ProbeSide.Egress && p.Destination.AddressFamily == AddressFamily.InterNetwork
            && !Addresses.IsGroup(p.Destination) && !p.ViaLoopback && p.SourcePort == 0)], 3))
        {
            probes[$"True {unicast.Key}"] = unicast with { Mapped = true };
        }

        return [.. probes.Values];
    }

    private static Probe? EgressProbe(IPAddress address, string why, string protocol, int port) =>
        Addresses.IsSendable(address) ? new Probe(ProbeSide.Egress, null, address, protocol, port, why) { ViaLoopback = IsLocal(address) } : null;

    // A loopback source or the host's own address is a client on the host (to loopback or to its address); any other source that the
    // kernel accepts from the link is the peer's; the rest (martians) never reach a rule.
    private static Probe? ClientProbe(IPAddress source, string why, string protocol, int port, Random random)
    {
        bool v4 = source.AddressFamily == AddressFamily.InterNetwork;
        if (IsLocal(source))
        {
            IPAddress destination = !IPAddress.IsLoopback(source) ? source : !v4 ? IPAddress.IPv6Loopback : random.Next(2) == 0 ? HostV4 : IPAddress.Loopback;
            return new Probe(ProbeSide.LocalClient, source, destination, protocol, port, why) { ViaLoopback = true };
        }

        return Addresses.IsPeerSource(source) ? new Probe(ProbeSide.PeerClient, source, v4 ? HostV4 : HostV6, protocol, port, why) : null;
    }

    private sealed record Candidate(string Why, HashSet<(string, int)> Ports);

    // Every address to probe with why it was drawn and its own rules' ports: the plan's networks around, then the special ranges.
    private static Dictionary<IPAddress, Candidate> Candidates(ModelRule[] rules, Random random, int sample, bool egress)
    {
        var candidates = new Dictionary<IPAddress, Candidate>();
        foreach (ModelRule rule in rules)
        {
            foreach (AddressFamily family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
            {
                IPNetwork2[] networks = [.. rule.Networks.Where(n => n.AddressFamily == family)];
                foreach (IPNetwork2 network in Sample(networks, sample, random))
                {
                    foreach ((IPAddress? address, string where) in Around(network, random))
                    {
                        if (address is not null)
                        {
                            Candidate candidate = candidates.TryGetValue(address, out Candidate? found)
                                ? found
                                : candidates[address] = new($"{where} {network} ({rule.Source})", []);
                            candidate.Ports.UnionWith(RulePorts(rule, random));
                        }
                    }
                }
            }
        }

        foreach ((IPAddress address, string why) in egress ? EgressSpecials(random) : ClientSpecials(random))
        {
            candidates.TryAdd(address, new Candidate(why, []));
        }

        return candidates;
    }

    private static IEnumerable<IPNetwork2> Sample(IPNetwork2[] networks, int sample, Random random) =>
        networks.Length <= sample ? networks : new[] { networks[0], networks[^1] }.Concat(random.GetItems(networks, Math.Max(0, sample - 2))).Distinct();

    private static IEnumerable<(IPAddress? Address, string Where)> Around(IPNetwork2 network, Random random) =>
    [
        (network.First, "first of"), (network.Last, "last of"), (Addresses.RandomIn(network, random), "inside"),
        (Addresses.Before(network), "just before"), (Addresses.After(network), "just after"),
    ];

    // A rule's first and last port and one between.
    private static IEnumerable<(string, int)> RulePorts(ModelRule rule, Random random) =>
        new[] { rule.FirstPort, rule.LastPort, random.Next(rule.FirstPort, rule.LastPort + 1) }.Distinct().Select(port => (rule.Protocol, port));

    // The other protocol on the same port, and the ports just outside the rule's range.
    private static IEnumerable<(string, int)> Near(ModelRule rule) =>
        new[] { (rule.Protocol == "tcp" ? "udp" : "tcp", rule.FirstPort), (rule.Protocol, rule.FirstPort - 1), (rule.Protocol, rule.LastPort + 1) }
            .Where(p => p.Item2 is > 0 and < 65536);

    private static IEnumerable<(IPAddress, string)> EgressSpecials(Random random) =>
    [
        (IPAddress.Loopback, "loopback"), (Addresses.RandomIn("127.0.0.0/8", random), "loopback"), (IPAddress.IPv6Loopback, "loopback"),
        (IPAddress.Parse("169.254.169.254"), "the cloud instance metadata address (link-local)"),
        (IPAddress.Parse("224.0.0.1"), "multicast (all hosts)"), (Addresses.RandomIn("239.0.0.0/8", random), "multicast"), (IPAddress.Broadcast, "broadcast"),
        (Addresses.RandomIn("ff0e::/16", random), "multicast"), (HostV4, "this host's own address"), (HostV6, "this host's own address"),
        .. Shared(random),
    ];

    private static IEnumerable<(IPAddress, string)> ClientSpecials(Random random) =>
    [
        (IPAddress.Loopback, "loopback"), (Addresses.RandomIn("127.0.0.0/8", random), "loopback"), (IPAddress.IPv6Loopback, "loopback"),
        (HostV4, "this host through its own address"), (HostV6, "this host through its own address"),
        (IPAddress.Parse("169.254.169.254"), "link-local"),
        .. Shared(random),
    ];

    // The ranges both sides probe: link-local, documentation, RFC 1918, unique local, NAT64, and random global unicast addresses.
    private static IEnumerable<(IPAddress, string)> Shared(Random random) =>
        new[]
        {
            ("169.254.0.0/16", "link-local"), ("192.0.2.0/24", "documentation"), ("198.51.100.0/24", "documentation"), ("203.0.113.0/24", "documentation"),
            ("10.0.0.0/8", "RFC 1918"), ("172.16.0.0/12", "RFC 1918"), ("192.168.0.0/16", "RFC 1918"), ("fe80::/64", "link-local"),
            ("2001:db8::/32", "documentation"), ("fd00::/8", "unique local"), ("64:ff9b::/96", "NAT64"),
            ("1.0.0.0/8", "random"), ("128.0.0.0/2", "random"), ("2000::/3", "random"), ("2000::/3", "random"),
        }.Select(r => (Addresses.RandomIn(r.Item1, random), r.Item2));
}
