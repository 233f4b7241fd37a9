using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>One <c>hash:net</c> set of the ipset output: its live and temporary names, its type line and what it holds.</summary>
/// <param name="Name">The live set, which rules match.</param>
/// <param name="Temporary">The twin the new list is loaded into before the swap.</param>
/// <param name="Type">The create arguments, e.g. <c>hash:net family inet hashsize 64 maxelem 65536</c>.</param>
/// <param name="MaxElem">The <c>maxelem</c> of <paramref name="Type"/>: how many entries the set can hold.</param>
/// <param name="Rule">The rule it serves.</param>
/// <param name="Prefixes">The rule's prefixes of one family, aggregated.</param>
internal sealed record IpsetSet(string Name, string Temporary, string Type, uint MaxElem, FirewallRule Rule, PrefixSet Prefixes);
