namespace FirewallRules.Emitters.Kubernetes;

/// <summary>
/// A destination the Agent's pods reach inside (or beside) the cluster at addresses no ip-ranges document publishes,
/// which the Kubernetes formats allow in each target's own terms instead of by address
/// (<see cref="KubernetesPolicyOptions.ClusterDestinations"/>). The names are the agent features of <c>fwrules plan</c>:
/// <c>kubelet</c>, <c>kube-apiserver</c>, <c>ntp</c>; and <c>cluster-agent</c>, the Datadog Cluster Agent the node agents report to.
/// </summary>
public enum ClusterDestination
{
    /// <summary>
    /// The node's kubelet, 10250/tcp unless <see cref="KubernetesPolicyOptions.KubeletPort"/> moves it: Cilium's <c>host</c> and
    /// <c>remote-node</c> entities; any destination on that port in a NetworkPolicy or a Calico policy, which cannot select nodes.
    /// </summary>
    Kubelet,

    /// <summary>
    /// The Kubernetes API server, 443/tcp at its service and 6443/tcp at its endpoints: Cilium's <c>kube-apiserver</c>
    /// entity; Calico's <c>kubernetes</c> service in <c>default</c>; any destination on those ports in a NetworkPolicy.
    /// </summary>
    ApiServer,

    /// <summary>
    /// NTP, 123/udp, to the public pool the Agent's NTP check queries (<c>0-3.datadog.pool.ntp.org</c>): Cilium's
    /// <c>world</c> entity; any destination on that port elsewhere.
    /// </summary>
    Ntp,

    /// <summary>
    /// The Datadog Cluster Agent, 5005/tcp (its service's <c>agentport</c>), which the node agents reach when the Helm chart
    /// deploys one (<c>clusterAgent.enabled</c>, its default): its pods by the label the chart and the Operator put on them,
    /// <c>agent.datadoghq.com/component: cluster-agent</c>, in the policies' namespace (any namespace for cluster-wide policies).
    /// </summary>
    ClusterAgent,
}
