using FirewallRules.Rules;

namespace FirewallRules.Emitters.Nftables;

/// <summary>One named interval set of the output: a rule's prefixes of one family.</summary>
/// <param name="Name">The set's name in the table, e.g. <c>egress-tcp-443-v4</c>.</param>
/// <param name="Rule">The rule whose prefixes it holds.</param>
/// <param name="Family">IPv4 or IPv6.</param>
/// <param name="Prefixes">The rule's prefixes of that family, aggregated (interval sets refuse overlaps).</param>
internal sealed record NftablesSet(string Name, FirewallRule Rule, AddressFamilies Family, PrefixSet Prefixes);
