using FirewallRules.Emitters.Iptables;
using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>What <see cref="IpsetBackend"/> loads: the sets, each family's restore input, and the chains that need a jump.</summary>
/// <param name="Sets">The ipsets, in output order.</param>
/// <param name="Tables">Per family, the <c>*filter</c> block for <c>iptables-restore --noflush</c>.</param>
/// <param name="Chains">Each family's chains, by direction.</param>
internal sealed record LoadPlan(
    IReadOnlyList<IpsetSet> Sets, IReadOnlyList<(AddressFamilies Family, string Table)> Tables, IReadOnlyList<(AddressFamilies Family, Direction Direction)> Chains);
