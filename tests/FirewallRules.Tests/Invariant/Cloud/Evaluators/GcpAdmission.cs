using System.Globalization;
using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>One Google Cloud VPC firewall rule, as the Compute API's Firewall resource holds it.</summary>
/// <param name="Blocks">Each <c>allowed</c> or <c>denied</c> entry: a protocol (<c>tcp</c>, <c>udp</c>, <c>all</c>, a number) and its ports (none: all).</param>
/// <param name="Ranges">The destination ranges of an egress rule, the source ranges of an ingress rule; null when the rule gives none.</param>
/// <param name="TargetTags">The instances it applies to; null: every instance of the network.</param>
internal sealed record GcpRule(
    string Name, string Direction, int Priority, bool Allow, IReadOnlyList<(string Protocol, IReadOnlyList<string> Ports)> Blocks,
    IReadOnlyList<string>? Ranges, IReadOnlyList<string>? TargetTags, bool Disabled = false);

/// <summary>
/// Google Cloud VPC firewall rules, for an instance carrying <paramref name="tags"/>: of the enabled rules of the packet's direction
/// that apply to it (no target tags, or one of its tags) and match its protocol, port and remote address, the one with the lowest
/// priority number decides, a deny winning a tie; GCP's implied rules (priority 65535) allow all egress and deny all ingress. In the
/// default network (<paramref name="defaultNetwork"/>) the network's own rules are there too, at priority 65534 for every instance:
/// <c>default-allow-internal</c> (TCP, UDP and ICMP from its subnets' 10.128.0.0/9), <c>default-allow-ssh</c> (TCP 22),
/// <c>default-allow-rdp</c> (TCP 3389) and <c>default-allow-icmp</c> from 0.0.0.0/0: IPv4 only.
/// </summary>
/// <remarks>
/// A rule with no ranges matches every address (ingress: when it has no source tags either). Left to GCP, which firewall rules never
/// govern: loopback and the metadata server (169.254.169.254, fd20:ce::254). Always blocked by GCP whatever the rules: egress to TCP
/// port 25 outside the VPC's private ranges. The default network's rules are the platform's: the document leaves what they admit to
/// them (<see cref="LeftToPlatform"/>), but a port the plan closes must stay closed to them. Not modelled: source tags and service
/// accounts (the readers refuse them), hierarchical and network firewall policies, rules added by hand.
/// </remarks>
internal sealed class GcpAdmission(IReadOnlyList<GcpRule> rules, IReadOnlyList<string> tags, bool defaultNetwork = false) : Admission
{
    private static readonly IPNetwork2[] Metadata = [Net.Parse("169.254.169.254/32"), Net.Parse("fd20:ce::254/128")];
    private static readonly IPNetwork2[] Internal = [.. new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10" }.Select(Net.Parse)];

    private static readonly GcpRule[] DefaultNetwork =
    [
        new("default-allow-internal", "INGRESS", 65534, true, [("tcp", ["0-65535"]), ("udp", ["0-65535"]), ("icmp", [])], ["10.128.0.0/9"], null),
        new("default-allow-ssh", "INGRESS", 65534, true, [("tcp", ["22"])], ["0.0.0.0/0"], null),
        new("default-allow-rdp", "INGRESS", 65534, true, [("tcp", ["3389"])], ["0.0.0.0/0"], null),
        new("default-allow-icmp", "INGRESS", 65534, true, [("icmp", [])], ["0.0.0.0/0"], null),
    ];

    private readonly GcpRule[] _network = defaultNetwork ? DefaultNetwork : [];

    private readonly GcpRule[] _rules = [.. rules.Where(r => !r.Disabled && (r.TargetTags is null || r.TargetTags.Any(tags.Contains))), .. defaultNetwork ? DefaultNetwork : []];

    /// <summary>A custom network holding the document, and the default network holding it beside its own rules.</summary>
    public override IReadOnlyList<Admission> Networks => defaultNetwork ? [this] : [this, new GcpAdmission(rules, tags, defaultNetwork: true)];

    public override string Where => defaultNetwork ? " (in the default network)" : " (in a custom network)";

    public override bool Admits(Packet packet) => Unfiltered(packet) || (!Blocked(packet) && Decide(_rules, packet));

    public override bool Platform(Packet packet) => Unfiltered(packet) || (!Blocked(packet) && Decide(_network, packet));

    public override bool LeftToPlatform(Packet packet) => _network.Any(r => r.Direction == Way(packet) && Matches(r, packet));

    public override bool Unfiltered(Packet packet) => base.Unfiltered(packet) || Net.Any(Metadata, packet.Remote);

    public override bool Blocked(Packet packet) => AlwaysBlocked(packet);

    private bool AlwaysBlocked(Packet packet) =>
        packet is { Direction: Direction.Egress, Protocol: TransportProtocol.Tcp, Port: 25 } && !Net.Any(Internal, packet.Remote) && !Unfiltered(packet);

    private static bool Decide(IEnumerable<GcpRule> rules, Packet packet)
    {
        GcpRule[] matching = [.. rules.Where(r => r.Direction == Way(packet) && Matches(r, packet))];
        if (matching.Length == 0)
        {
            return packet.Direction == Direction.Egress;
        }

        int first = matching.Min(r => r.Priority);
        return matching.Where(r => r.Priority == first).All(r => r.Allow);
    }

    private static string Way(Packet packet) => packet.Direction == Direction.Egress ? "EGRESS" : "INGRESS";

    private static bool Matches(GcpRule rule, Packet packet)
    {
        bool address = rule.Ranges is null || rule.Ranges.Any(r => Net.Contains(Net.Parse(r), packet.Remote));
        return address && rule.Blocks.Any(b => Protocol(b.Protocol, packet.Protocol) && (b.Ports.Count == 0 || b.Ports.Any(p => Port(p, packet.Port))));
    }

    private static bool Protocol(string protocol, TransportProtocol packet) => protocol switch
    {
        "all" => true,
        "tcp" or "6" => packet == TransportProtocol.Tcp,
        "udp" or "17" => packet == TransportProtocol.Udp,
        "icmp" or "1" or "esp" or "ah" or "sctp" or "ipip" or "58" => false,
        _ => throw new FormatException($"protocol {protocol} is not modelled"),
    };

    private static bool Port(string range, int port)
    {
        string[] bounds = range.Split('-');
        return int.Parse(bounds[0], CultureInfo.InvariantCulture) <= port && port <= int.Parse(bounds[^1], CultureInfo.InvariantCulture);
    }
}
