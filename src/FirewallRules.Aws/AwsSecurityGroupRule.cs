using System.Globalization;

namespace FirewallRules.Aws;

/// <summary>One security group rule as AWS keys it: direction, protocol, ports and one destination (or source).</summary>
/// <param name="Egress">True for an outbound rule.</param>
/// <param name="Protocol"><c>tcp</c>, <c>udp</c>, or <c>-1</c> for all traffic.</param>
/// <param name="FromPort">The first port (-1 for all traffic).</param>
/// <param name="ToPort">The last port (-1 for all traffic).</param>
/// <param name="Target">A CIDR, a prefix list id (<c>pl-</c>), or a security group id.</param>
public sealed record AwsSecurityGroupRule(bool Egress, string Protocol, int FromPort, int ToPort, string Target)
{
    /// <summary>True for AWS's default allow-all egress rule (<c>0.0.0.0/0</c> or <c>::/0</c>, all traffic).</summary>
    public bool IsDefaultEgress => Egress && Protocol == "-1" && Target is "0.0.0.0/0" or "::/0";

    /// <summary>True when <see cref="Target"/> is a prefix list.</summary>
    public bool IsPrefixList => Target.StartsWith("pl-", StringComparison.Ordinal);

    /// <summary>True when <see cref="Target"/> is an IPv6 CIDR.</summary>
    public bool IsIPv6 => Target.Contains(':', StringComparison.Ordinal);

    /// <summary>For example <c>egress tcp 443 192.0.2.0/24</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Egress ? "egress" : "ingress")} {(Protocol == "-1" ? "all" : Protocol)} " +
            $"{(FromPort == ToPort ? FromPort.ToString(CultureInfo.InvariantCulture) : $"{FromPort}-{ToPort}")} {Target}");
}
