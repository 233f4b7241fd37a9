using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets as Kubernetes policies: NetworkPolicy, Cilium and Calico (YAML streams).</summary>
public static class KubernetesRendering
{
    /// <summary>NetworkPolicies (format <c>kubernetes</c>; see <see cref="KubernetesNetworkPolicyEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Namespace, pod selector, DNS and object size; <see cref="KubernetesPolicyOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">A deny rule, an ingress rule without a pod selector, or an object that cannot fit.</exception>
    public static string ToKubernetesNetworkPolicy(this RuleSet rules, KubernetesPolicyOptions? options = null) => rules.Render(new KubernetesNetworkPolicyEmitter(options));

    /// <summary>Cilium network policies (format <c>cilium</c>; see <see cref="CiliumNetworkPolicyEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Namespace, pod selector, cluster-wide, by name, DNS and limits; <see cref="KubernetesPolicyOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">An ingress rule without a pod selector, undocumented host names, or a limit that cannot be met.</exception>
    public static string ToCiliumNetworkPolicy(this RuleSet rules, KubernetesPolicyOptions? options = null) => rules.Render(new CiliumNetworkPolicyEmitter(options));

    /// <summary>Calico network sets and policies (format <c>calico</c>; see <see cref="CalicoPolicyEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Namespace, pod selector, cluster-wide, DNS and object size; <see cref="KubernetesPolicyOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">An ingress rule without a pod selector, or an object that cannot fit.</exception>
    public static string ToCalicoPolicy(this RuleSet rules, KubernetesPolicyOptions? options = null) => rules.Render(new CalicoPolicyEmitter(options));
}
