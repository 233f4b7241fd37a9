using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>A customer-managed prefix list: one address family, at most the format's entries.</summary>
internal sealed record AwsPrefixList(string Name, Direction Direction, AddressFamilies Family, int Number, IReadOnlyList<IPNetwork> Entries, string Description)
{
    /// <summary>Exactly the entries it holds: the weight each referencing rule has against the quota.</summary>
    public int MaxEntries => Entries.Count;
}
