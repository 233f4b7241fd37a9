using System.Net;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// AWS security groups: what an instance holding every group of the document admits. Groups are stateful allow-lists and add up:
/// a packet passes when any rule of any group, in its direction, holds its protocol (<c>-1</c>: all), port (<c>-1</c>: all) and
/// remote address, by CIDR or by an entry of the prefix list it references. Nothing is denied by rule; what no rule allows is dropped.
/// </summary>
/// <remarks>
/// The output holds every rule the groups end with, AWS's default outbound rule included where it stays (as read back from the
/// account, or as the reader adds it where the format's service would: CloudFormation for a group with no egress rule). A new group
/// (the platform without the document) allows all outbound traffic and no inbound. Security groups never filter loopback
/// or the link-local services AWS documents (instance metadata 169.254.169.254 and fd00:ec2::254, Time Sync 169.254.169.123 and
/// fd00:ec2::123, ECS task metadata 169.254.170.2, Windows activation 169.254.169.250-251). Not modelled: security-group
/// references as peers (the formats write none), network ACLs, the VPC's Route 53 Resolver address.
/// </remarks>
internal sealed class SecurityGroupAdmission(AwsOutput output) : Admission
{
    private static readonly IPNetwork2[] LinkLocalServices = [.. new[]
    {
        "169.254.169.254/32", "169.254.169.123/32", "169.254.170.2/32", "169.254.169.250/31", "fd00:ec2::254/128", "fd00:ec2::123/128",
    }.Select(Net.Parse)];

    private readonly (AwsRule Rule, IPNetwork2[] Remote)[] _rules = [.. output.Rules.Select(r => (r, Remote(r, output)))];

    public override bool Admits(Packet packet) =>
        Unfiltered(packet) || _rules.Any(r => r.Rule.Direction == packet.Direction && Holds(r.Rule, packet) && Net.Any(r.Remote, packet.Remote));

    /// <summary>A new group: all outbound traffic, no inbound.</summary>
    public override bool Platform(Packet packet) => packet.Direction == Direction.Egress || Unfiltered(packet);

    public override bool Unfiltered(Packet packet) => base.Unfiltered(packet) || Net.Any(LinkLocalServices, packet.Remote);

    private static bool Holds(AwsRule rule, Packet packet) =>
        rule.Protocol switch
        {
            "-1" or "all" => true,
            "tcp" or "6" => packet.Protocol == TransportProtocol.Tcp && InRange(rule, packet.Port),
            "udp" or "17" => packet.Protocol == TransportProtocol.Udp && InRange(rule, packet.Port),
            _ => throw new FormatException($"protocol {rule.Protocol} is not modelled"),
        };

    private static bool InRange(AwsRule rule, int port) => (rule.FromPort == -1 && rule.ToPort == -1) || (rule.FromPort <= port && port <= rule.ToPort);

    private static IPNetwork2[] Remote(AwsRule rule, AwsOutput output) => rule.Cidr is not null
        ? [Net.Parse(rule.Cidr)]
        : rule.PrefixList is string id && output.Lists.FirstOrDefault(l => l.Id == id) is AwsList list
            ? [.. list.Cidrs.Select(Net.Parse)]
            : throw new FormatException($"rule of {rule.Group} references {rule.PrefixList}, which the output does not hold");
}
