namespace FirewallRules.AgentConfig;

/// <summary>
/// What the rules of an <see cref="AgentPlan"/> need beyond the configuration (<see cref="PlanRules"/>): networks the configuration cannot name, and
/// what the format allows in its own terms; <see cref="AgentRendering"/> makes them from the request and the format's description.
/// </summary>
/// <remarks>Immutable.</remarks>
internal sealed record AgentRuleOptions
{
    /// <summary>The default: no networks given.</summary>
    public static AgentRuleOptions Default { get; } = new();

    /// <summary>
    /// Networks per feature. For a listener bound to every interface (<c>dogstatsd</c>, <c>apm</c>, <c>otlp-grpc</c>, ...):
    /// who may reach it besides loopback. For a destination whose addresses no document publishes (<c>ntp</c>,
    /// <c>kubelet</c>, <c>kube-apiserver</c>, <c>proxy</c> given by name): where it is.
    /// </summary>
    /// <value>Empty: such listeners and destinations are left out, each with a note saying so.</value>
    public IReadOnlyDictionary<string, PrefixSet> Networks { get; init; } = new Dictionary<string, PrefixSet>();

    /// <summary>
    /// Destinations (by feature: <c>kubelet</c>, <c>kube-apiserver</c>, <c>ntp</c>) the output format allows by itself,
    /// in its own terms rather than by address, as the Kubernetes formats do (<c>ClusterDestinations</c> of their options):
    /// left out of the rules, and of what is said to be missing. Networks given for a feature still win. <c>address-relays</c>
    /// leaves out the relays given by address (<c>dd_url: https://10.1.2.3:8443</c>), which are otherwise rules by that address.
    /// </summary>
    /// <value>Empty.</value>
    public IReadOnlyCollection<string> AllowedByFormat { get; init; } = [];
}
