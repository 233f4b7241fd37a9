using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What the node agents reach inside a Kubernetes cluster, at addresses no document publishes: the kubelet, the API server
/// (without a Cluster Agent, or for the pod list), kube-dns; and the notes on the kubelet's HTTP fallback and the Cluster Agent.
/// </summary>
internal sealed class ClusterPlanner(AgentSettings settings, PlanNotes notes)
{
    /// <summary>
    /// With a Cluster Agent: the node agents reach it, in the cluster, on a port no rule of the plan holds; the Kubernetes formats
    /// allow it to the Cluster Agent's pods (their in-cluster destination <see cref="ClusterAgentFeatures.ClusterAgent"/>), other formats cannot.
    /// </summary>
    public const string ClusterAgentNote = "Kubernetes: the node agents take cluster metadata from the Cluster Agent (5005/tcp) (clusterAgent.enabled, " +
        "or existingClusterAgent.join for one deployed elsewhere); the Cluster Agent's own policy must allow the API server.";

    /// <summary>
    /// What a Kubernetes deployment's rules need beyond the chart's values, the kubelet on <paramref name="kubeletPort"/>: said by the plan,
    /// and by generate and sync.
    /// </summary>
    public static string ClusterNote(int kubeletPort) =>
        $"Kubernetes: DNS goes to kube-dns by the formats' own selector; the kubelet ({kubeletPort}/tcp), "
        + "the API server without a Cluster Agent (443/tcp, and its endpoint port 6443/tcp, "
        + "which network policies see after the service's address translation) and NTP (123/udp) are reached at addresses the chart's values do not hold: "
        + "the kubernetes, cilium and calico formats allow them in their own terms; for another format give --open kubelet=NODE-NETWORKS, --open kube-apiserver=ADDRESSES, "
        + "--open ntp=NETWORKS (a rule for every address is never rendered)";

    public void Plan(Action<AgentDestination> add)
    {
        // Port 0 turns a kubelet port off: with HTTPS off the agent reads the kubelet over plain HTTP (the kubelet client in
        // pkg/util/kubernetes/kubelet; the Helm chart does so on GKE Autopilot).
        int https = settings.Port("kubernetes_https_kubelet_port", 10250, 0);
        int http = settings.Port("kubernetes_http_kubelet_port", 10255, 0);
        int kubelet = https > 0 ? https : http;
        if (kubelet > 0)
        {
            add(new AgentDestination("kubelet", "the node's kubelet (status.hostIP)", new PortRange(TransportProtocol.Tcp, kubelet), DestinationCoverage.Cluster, null, null,
                https > 0 ? "pods, containers and their metrics" : "pods, containers and their metrics, over plain HTTP (kubernetes_https_kubelet_port 0)"));
        }

        // With a Cluster Agent (the chart's default), the node agents get cluster metadata through it, and it runs the
        // orchestrator explorer's cluster collection, kubernetes_state_core and events: the Datadog chart's own Cilium
        // policy for the node agents allows the kubelet and NTP, not the API server. Without one, each reads the API server,
        // as it does for its node's pods with kubelet_use_api_server (KubeUtil.init, pkg/util/kubernetes/kubelet; Agent 7.65+).
        bool clusterAgent = settings.Bool("cluster_agent.enabled", false);
        if (clusterAgent)
        {
            notes.Add(AgentNoteKind.ClusterAgent, ClusterAgentNote);
        }

        if (!clusterAgent || settings.Bool("kubelet_use_api_server", false))
        {
            add(new AgentDestination("kube-apiserver", "kubernetes.default.svc", PortRange.Https, DestinationCoverage.Cluster, null, null, clusterAgent
                ? "the API server: the node's pod list (kubelet_use_api_server)" : "the API server: metadata, events, leader election (no Cluster Agent)"));
            // NetworkPolicies see the service's endpoint after kube-proxy's DNAT: the API server's own port, 6443 where kubeadm sets it up.
            add(new AgentDestination("kube-apiserver", "the API server's endpoints (kubernetes service)", new PortRange(TransportProtocol.Tcp, 6443),
                DestinationCoverage.Cluster, null, null,
                "the API server at its endpoint port, which network policies see after the service's address translation"));
        }
        foreach (TransportProtocol protocol in new[] { TransportProtocol.Udp, TransportProtocol.Tcp })
        {
            add(new AgentDestination("dns", "kube-dns (kube-system)", new PortRange(protocol, 53), DestinationCoverage.Cluster, null, null, "name resolution"));
        }

        if (https > 0 && http > 0)
        {
            notes.Add($"Kubernetes: the kubelet's read-only HTTP port {http}/tcp (kubernetes_http_kubelet_port) is the agent's fallback when HTTPS to the kubelet " +
                "fails; it is not planned: allow it only where the kubelet serves it.");
        }

        if (settings.Bool("external_metrics_provider.enabled", false))
        {
            // The network page's ports table: 8443/tcp for custom Agent autoscaling (DataDog/documentation PR #22974); the chart's clusterAgent.metricsProvider.port.
            notes.Add("Kubernetes: the Cluster Agent's external metrics server (custom autoscaling, clusterAgent.metricsProvider) listens on 8443/tcp: allow " +
                "the API server to reach the Cluster Agent's pods on it.");
        }

        // The agent image's own Autodiscovery templates (conf.d/*.d/auto_conf.yaml) run a check on the pods they match, e.g. coredns's
        // openmetrics_endpoint http://%%host%%:9153/metrics; annotated pods get theirs (ad.datadoghq.com/<container>.checks).
        notes.Add("Kubernetes: the checks Autodiscovery schedules connect to the pods they monitor, on their ports: the image's own templates " +
            "(CoreDNS's metrics on 9153/tcp, ...) and annotated pods' checks: not planned; allow the agent's pods to reach those pods' ports by hand.");
        notes.Add(AgentNoteKind.ClusterDestinations, ClusterNote(kubelet > 0 ? kubelet : 10250));
    }
}
