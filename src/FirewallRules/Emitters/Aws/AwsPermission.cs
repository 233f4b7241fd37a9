using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>The part of one rule (protocol and port) that one group holds: CIDRs, or references to prefix lists.</summary>
internal sealed record AwsPermission(FirewallRule Rule, string Description, IReadOnlyList<IPNetwork> IPv4, IReadOnlyList<IPNetwork> IPv6, IReadOnlyList<AwsPrefixList> PrefixLists)
{
    /// <summary><c>tcp</c> or <c>udp</c>, as EC2 names the protocol.</summary>
    public string Protocol => Rule.Port.Protocol.Keyword();
}
