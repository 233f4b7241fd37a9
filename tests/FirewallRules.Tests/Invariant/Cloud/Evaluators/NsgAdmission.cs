using System.Net;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// An Azure network security group on the protected host's subnet: its rules of the packet's direction and Azure's default rules,
/// in priority order (lowest first), the first that matches decides. A rule matches on protocol (<c>Tcp</c>, <c>Udp</c>, <c>*</c>),
/// destination port (one, a range, <c>*</c>), and its source and destination address prefixes: CIDRs, <c>*</c>, and the service
/// tags <c>VirtualNetwork</c>, <c>Internet</c> and <c>AzureLoadBalancer</c>.
/// </summary>
/// <remarks>
/// Azure's defaults: inbound AllowVnetInBound (65000), AllowAzureLoadBalancerInBound (65001), DenyAllInBound (65500); outbound
/// AllowVnetOutBound (65000), AllowInternetOutBound (65001), DenyAllOutBound (65500). The host is <see cref="Host"/> in the
/// virtual network <see cref="VirtualNetwork"/>; <c>VirtualNetwork</c> is that network alone (no peering, no gateway),
/// <c>Internet</c> every other address, <c>AzureLoadBalancer</c> 168.63.129.16. Left to Azure (the document's own note: traffic
/// within the virtual network is not affected): traffic between the host and its virtual network, and the load balancer's probes.
/// Not modelled: other service tags and application security groups (an error), source ports other than <c>*</c> (an error),
/// augmented rules spanning both directions.
/// </remarks>
internal sealed class NsgAdmission(NsgOutput output) : Admission
{
    public static readonly IPNetwork2 VirtualNetwork = IPNetwork2.Parse("10.0.0.0/16");
    public static readonly IPAddress Host = IPAddress.Parse("10.0.0.4");
    private static readonly IPNetwork2 LoadBalancer = IPNetwork2.Parse("168.63.129.16/32");

    private static readonly NsgEntry[] Defaults =
    [
        new("AllowVnetInBound", 65000, "Inbound", "Allow", "*", "*", "*", ["VirtualNetwork"], ["VirtualNetwork"], null),
        new("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "*", "*", "*", ["AzureLoadBalancer"], ["*"], null),
        new("DenyAllInBound", 65500, "Inbound", "Deny", "*", "*", "*", ["*"], ["*"], null),
        new("AllowVnetOutBound", 65000, "Outbound", "Allow", "*", "*", "*", ["VirtualNetwork"], ["VirtualNetwork"], null),
        new("AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "*", "*", ["*"], ["Internet"], null),
        new("DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*", "*", ["*"], ["*"], null),
    ];

    private readonly NsgEntry[] _rules = [.. output.Rules.Concat(Defaults).OrderBy(r => r.Priority)];

    public override bool Admits(Packet packet) => Unfiltered(packet) || Decide(_rules, packet);

    public override bool Platform(Packet packet) => Unfiltered(packet) || Decide(Defaults, packet);

    public override bool LeftToPlatform(Packet packet) =>
        Net.Contains(VirtualNetwork, packet.Remote) || (packet.Direction == Direction.Ingress && Net.Contains(LoadBalancer, packet.Remote));

    private static bool Decide(IEnumerable<NsgEntry> rules, Packet packet)
    {
        string direction = packet.Direction == Direction.Egress ? "Outbound" : "Inbound";
        (IPAddress source, IPAddress destination) = packet.Direction == Direction.Egress ? (Host, packet.Remote) : (packet.Remote, Host);
        foreach (NsgEntry rule in rules.Where(r => r.Direction == direction))
        {
            if (rule.SourcePorts != "*")
            {
                throw new FormatException($"{rule.Name}: source ports {rule.SourcePorts} are not modelled");
            }

            if (Protocol(rule.Protocol, packet.Protocol) && Port(rule.DestinationPorts, packet.Port)
                && rule.Sources.Any(s => Address(s, source)) && rule.Destinations.Any(d => Address(d, destination)))
            {
                return rule.Access switch
                {
                    "Allow" => true,
                    "Deny" => false,
                    _ => throw new FormatException($"{rule.Name}: access {rule.Access}"),
                };
            }
        }

        throw new InvalidOperationException("Azure's DenyAll rules match every packet");
    }

    private static bool Protocol(string rule, TransportProtocol protocol) => rule switch
    {
        "*" => true,
        "Tcp" => protocol == TransportProtocol.Tcp,
        "Udp" => protocol == TransportProtocol.Udp,
        "Icmp" or "Esp" or "Ah" => false,
        _ => throw new FormatException($"protocol {rule} is not an NSG protocol"),
    };

    private static bool Port(string ranges, int port) => ranges.Split(',').Any(range =>
    {
        if (range == "*")
        {
            return true;
        }

        string[] bounds = range.Split('-');
        return int.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture) <= port
            && port <= int.Parse(bounds[^1], System.Globalization.CultureInfo.InvariantCulture);
    });

    private static bool Address(string prefix, IPAddress address) => prefix switch
    {
        "*" or "Any" => true,
        "VirtualNetwork" => Net.Contains(VirtualNetwork, address),
        "Internet" => !Net.Contains(VirtualNetwork, address) && !Net.IsLoopback(address),
        "AzureLoadBalancer" => Net.Contains(LoadBalancer, address),
        _ when prefix.Contains('.', StringComparison.Ordinal) || prefix.Contains(':', StringComparison.Ordinal) => Net.Contains(Net.Parse(prefix), address),
        _ => throw new FormatException($"service tag {prefix} is not modelled"),
    };
}
