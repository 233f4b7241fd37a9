namespace FirewallRules.AgentConfig;

/// <summary>
/// The features of a plan that are the Cluster Agent's own, not the node agents': its pods, not the Agent's, reach their hosts.
/// </summary>
internal static class ClusterAgentFeatures
{
    /// <summary>
    /// The external metrics provider's queries to <c>api.&lt;site&gt;</c> (the Cluster Agent's <c>external_metrics_provider</c>,
    /// pkg/util/kubernetes/autoscalers/datadogclient.go; the chart's <c>clusterAgent.metricsProvider</c>, the Operator's
    /// <c>features.externalMetricsServer</c>).
    /// </summary>
    public const string ExternalMetrics = "external-metrics";

    /// <summary>The Cluster Agent as the node agents reach it, a Kubernetes format's in-cluster destination (<c>--in-cluster cluster-agent</c>).</summary>
    public const string ClusterAgent = "cluster-agent";

    /// <summary>Whether <paramref name="feature"/> is the Cluster Agent's own.</summary>
    public static bool Has(string feature) => feature == ExternalMetrics;
}
