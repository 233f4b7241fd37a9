using FirewallRules.Rules;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// The in-cluster destinations as the three Kubernetes formats render them, decided once: each one's agent feature name,
/// ports, object name and what the header says about how narrow its rule is.
/// </summary>
/// <remarks>
/// These are not <see cref="FirewallRule"/>s: a rule never covers every address, and these are reached at addresses the
/// cluster knows and no document holds, so each format names them its own way (an entity, a service, or the port alone).
/// </remarks>
internal static class ClusterPeers
{
    private static readonly PortRange ApiServerEndpoint = new(TransportProtocol.Tcp, 6443);
    private static readonly PortRange Ntp = new(TransportProtocol.Udp, 123);
    private static readonly PortRange ClusterAgentPort = new(TransportProtocol.Tcp, 5005);

    /// <summary>The kubelet's read-only HTTP port (<c>--read-only-port</c>), which the agent reads where HTTPS is off (GKE Autopilot).</summary>
    public const int KubeletReadOnlyPort = 10255;

    /// <summary>
    /// The label the Helm chart puts on the Cluster Agent's pods whatever the release name or <c>fullnameOverride</c>
    /// (charts/datadog/templates/cluster-agent-deployment.yaml, chart 3.240.0; the Datadog Operator sets it too).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ClusterAgentSelector { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["agent.datadoghq.com/component"] = "cluster-agent" };

    /// <summary>The agent feature names (<c>fwrules plan</c>, <c>--open</c>) of the destinations, in rendering order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } = ["kubelet", "kube-apiserver", "ntp", "cluster-agent"];

    /// <summary>The destination an agent feature name names, or null.</summary>
    public static ClusterDestination? FromFeature(string feature) => FeatureNames.ToList().FindIndex(n => string.Equals(n, feature, StringComparison.OrdinalIgnoreCase)) switch
    {
        0 => ClusterDestination.Kubelet,
        1 => ClusterDestination.ApiServer,
        2 => ClusterDestination.Ntp,
        3 => ClusterDestination.ClusterAgent,
        _ => null,
    };

    /// <summary>The agent feature name of <paramref name="destination"/>.</summary>
    public static string Feature(ClusterDestination destination) => FeatureNames[(int)destination];

    /// <summary>The ports the destination is reached on, as the Agent's pods send them (the kubelet's from <paramref name="options"/>).</summary>
    public static IReadOnlyList<PortRange> Ports(ClusterDestination destination, KubernetesPolicyOptions options) => destination switch
    {
        ClusterDestination.Kubelet => [new PortRange(TransportProtocol.Tcp, options.KubeletPort)],
        // Policies see the service's endpoint after kube-proxy's address translation: 6443 where kubeadm sets it up.
        ClusterDestination.ApiServer => [PortRange.Https, ApiServerEndpoint],
        // The chart's service (agent-services.yaml) maps 5005 to the pods' agentport, 5005: policies see the same port either way.
        ClusterDestination.ClusterAgent => [ClusterAgentPort],
        _ => [Ntp],
    };

    /// <summary>The object's name: <c>{name}-egress-kubelet</c>, ...</summary>
    public static string ObjectName(KubernetesPolicyOptions options, ClusterDestination destination) =>
        KubernetesObjects.CheckName($"{options.Name}-egress-{Feature(destination)}");

    /// <summary>
    /// What the header says the policies for <paramref name="destinations"/> allow, <paramref name="narrowest"/> saying in which
    /// terms for those reached at addresses (the kubelet, the API server, NTP); the Cluster Agent's pods are selected by their
    /// label, in the policies' namespace or, <paramref name="clusterWide"/>, in every namespace; ports as <paramref name="options"/> give them.
    /// </summary>
    public static IEnumerable<string> Notes(IReadOnlyList<ClusterDestination> destinations, string narrowest, KubernetesPolicyOptions options, bool clusterWide = false)
    {
        ClusterDestination[] addressed = [.. destinations.Where(d => d != ClusterDestination.ClusterAgent)];
        if (addressed.Length > 0)
        {
            yield return "In-cluster destinations allowed by their own policies: " +
                $"{string.Join(", ", addressed.Select(d => $"{Feature(d)} ({string.Join(", ", Ports(d, options))})"))}; {narrowest}";
        }

        if (destinations.Contains(ClusterDestination.ClusterAgent))
        {
            yield return $"The node agents reach the Cluster Agent ({string.Join(", ", Ports(ClusterDestination.ClusterAgent, options))}), allowed by a policy of its own " +
                $"to its pods alone: {string.Join(", ", ClusterAgentSelector.Select(l => $"{l.Key}={l.Value}"))}, the label the Helm chart and the Operator put on them, " +
                $"{(clusterWide ? "in any namespace" : "in the policies' namespace")}. A Cluster Agent on the host network (clusterAgent.useHostNetwork) " +
                "or in another namespace (existingClusterAgent.join) is not matched: allow it by another policy.";
        }
    }

    /// <summary>The destinations in rendering order, each once.</summary>
    public static IReadOnlyList<ClusterDestination> Ordered(IEnumerable<ClusterDestination> destinations) => [.. destinations.Distinct().Order()];
}
