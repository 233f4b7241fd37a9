namespace FirewallRules.Emitters.Kubernetes;

/// <summary>The Kubernetes policy formats as the registry describes them.</summary>
/// <remarks>Their settings (namespace, selector, sizes) are bound by the command line's target options for now.</remarks>
internal static class KubernetesFormats
{
    /// <summary>Adds <c>kubernetes</c>, <c>cilium</c> and <c>calico</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new KubernetesNetworkPolicyEmitter(KubernetesPolicyOptions.From(o)))
        .WithBuiltIn(o => new CiliumNetworkPolicyEmitter(KubernetesPolicyOptions.From(o)))
        .WithBuiltIn(o => new CalicoPolicyEmitter(KubernetesPolicyOptions.From(o)));
}
