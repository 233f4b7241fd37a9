using System.Net;
using FirewallRules.Cidr;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// What the <c>cilium</c> policies do about special-purpose destinations (<see cref="SpecialAddresses.All"/>: loopback, link-local and every
/// cloud's metadata service, documentation, multicast, IPv6 outside the unicast space, ...) where they allow names. Cilium allows a
/// <c>toFQDNs</c> name at whatever address its DNS answer gives, and a name can point anywhere (public wildcard DNS:
/// <c>169.254.169.254.nip.io</c> is the metadata service; a resolver that lies about a Datadog name): so every policy holding <c>toFQDNs</c>
/// also holds an <c>egressDeny</c> of every special block, on every port, and no name leads there.
/// </summary>
/// <remarks>
/// <para>A deny wins over every allow of every policy selecting the same pods (Cilium's deny policies), a CIDR deny over a narrower CIDR or
/// FQDN allow from Cilium 1.14, and over one in a policy with <c>enableDefaultDeny: false</c> (the Cluster Agent's) from the releases that
/// fixed CVE-2024-47825 (1.14.16, 1.15.10). The IPv6 blocks are denied whole, the IPv4-mapped one inside them included: a pod's connection to a
/// mapped address leaves as IPv4, which the IPv4 blocks deny.</para>
/// <para>A relay the agent was given at a special address on purpose (<c>--allow-special-relay</c>) is an <c>except</c> of the deny, and its
/// own <c>toCIDRSet</c> allows it on its port. Loopback never passes through Cilium (it stays in the pod); it is denied all the same.</para>
/// </remarks>
internal static class CiliumSpecialDestinations
{
    /// <summary>
    /// The <c>egressDeny</c> list: the special blocks as <c>toCIDR</c>; a block holding a relay given by address as <c>toCIDRSet</c>, the relay
    /// its <c>except</c>.
    /// </summary>
    public static YamlNode Deny(IEnumerable<IPAddress> relays)
    {
        PrefixSet allowed = PrefixSet.Create(relays.Select(r => new IPNetwork(r, r.GetAddressBytes().Length * 8)));
        IPNetwork[] blocks = [.. SpecialAddresses.All.Where(b => !PrefixSet.Create(b).IsSubsetOf(allowed))];
        IPNetwork[] whole = [.. blocks.Where(b => PrefixSet.Create(b).Intersect(allowed).IsEmpty)];
        YamlNode[] holding = [.. blocks.Except(whole).Select(b => YamlNode.Map(("cidr", YamlNode.Text(b.ToString())),
            ("except", YamlNode.List([.. PrefixSet.Create(b).Intersect(allowed).Select(e => e.ToString())]))))];
        return YamlNode.List([YamlNode.Map(("toCIDR", YamlNode.List([.. whole.Select(b => b.ToString())]))),
            .. holding.Length == 0 ? Array.Empty<YamlNode>() : [YamlNode.Map(("toCIDRSet", YamlNode.List(holding)))]]);
    }

    /// <summary>The entries the deny takes in the selected pods' policy map: one per block.</summary>
    public static int Entries => SpecialAddresses.All.Count;
}
