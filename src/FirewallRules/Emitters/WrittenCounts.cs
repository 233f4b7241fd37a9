using FirewallRules.Emitters.Kubernetes;

namespace FirewallRules.Emitters;

/// <summary>
/// What an output holds, as written, where it is less than the prepared rules or holds host names beside them (the
/// Kubernetes policy formats: a listener reachable from loopback only needs no policy, Cilium's <c>--by-name</c> writes
/// names instead of prefixes): what a summary counts.
/// </summary>
/// <param name="Rules">The rules written with addresses.</param>
/// <param name="IPv4">The IPv4 prefixes they hold.</param>
/// <param name="IPv6">The IPv6 prefixes they hold.</param>
/// <param name="HostNames">The host names written.</param>
internal sealed record WrittenCounts(int Rules, int IPv4, int IPv6, int HostNames)
{
    /// <summary>What <paramref name="emitter"/>'s output of <paramref name="rules"/> (as prepared) holds; null when it holds the rules as they are.</summary>
    public static WrittenCounts? Of(IRuleEmitter emitter, RuleSet rules) => emitter switch
    {
        CiliumNetworkPolicyEmitter cilium => cilium.Written(rules),
        KubernetesNetworkPolicyEmitter or CalicoPolicyEmitter => KubernetesPolicyPlan.Written(rules, _ => false, 0),
        _ => null,
    };
}
