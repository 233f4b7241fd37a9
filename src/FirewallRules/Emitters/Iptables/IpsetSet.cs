namespace FirewallRules.Emitters.Iptables;

/// <summary>One <c>hash:net</c> set of the ipset output: its live and temporary names, its type line and what it holds.</summary>
/// <param name="Name">The live set, which rules match.</param>
/// <param name="Temporary">The twin the new list is loaded into before the swap.</param>
/// <param name="Type">The create arguments, e.g. <c>hash:net family inet hashsize 64 maxelem 65536</c>.</param>
/// <param name="Prefixes">The prefixes of one family, aggregated.</param>
/// <param name="Description">The rule it serves, for comments.</param>
internal sealed record IpsetSet(string Name, string Temporary, string Type, PrefixSet Prefixes, string Description);
