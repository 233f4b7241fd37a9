using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>
/// One feature of a DatadogAgent manifest (<c>spec.features.&lt;name&gt;</c>) as the Datadog Operator hands it to the Agent: the
/// variables it sets on the node Agent's (or the Cluster Agent's) containers when on, and when off, its default, and the
/// processes it needs beside the core agent. Destinations follow from the variables through the agent's own keys
/// (<see cref="FeatureMap"/>, the planners): one catalogue.
/// </summary>
/// <param name="Name">The feature's key under <c>spec.features</c> (<c>logCollection</c>).</param>
/// <param name="Default">Its <c>enabled</c> when the manifest leaves it out (the Operator's defaults).</param>
/// <param name="WhenOn">The variables it sets when on.</param>
/// <param name="WhenOff">The variables it sets when off (most set none, and the Agent keeps its own default).</param>
/// <param name="Source">Where this comes from in the Operator (internal/controller/datadogagent/...).</param>
internal sealed record OperatorFeature(string Name, bool Default, (string Variable, string Value)[] WhenOn, (string Variable, string Value)[] WhenOff, string Source)
{
    /// <summary>The system probe's container runs for it (<c>feature.RequiredComponents</c>).</summary>
    public bool SystemProbe { get; init; }

    /// <summary>The security agent's container runs for it.</summary>
    public bool SecurityAgent { get; init; }

    /// <summary>What it sends or reaches that no variable moves, said in the plan's notes; null when it adds nothing beyond the planned intakes.</summary>
    public string? Note { get; init; }
}

/// <summary>
/// The features of <c>datadoghq.com/v2alpha1</c> DatadogAgent manifests, from DataDog/datadog-operator @
/// <c>55db53165d173041aaf6d902fd3776d0b33bf811</c> (2026-08-21): the defaults of
/// <c>internal/controller/datadogagent/defaults/datadogagent_default.go</c> and the variables each feature's
/// <c>ManageNodeAgent</c> and <c>ManageClusterAgent</c> set (<c>internal/controller/datadogagent/feature/&lt;name&gt;/feature.go</c>).
/// Features whose variables depend on more than <c>enabled</c> (APM's and DogStatsD's ports, the OTLP receivers' endpoints, SBOM's
/// scopes, the external metrics server's endpoint) are read by <see cref="DatadogAgentManifest"/> beside these rows.
/// </summary>
internal static class OperatorFeatures
{
    private const string Features = "internal/controller/datadogagent/feature/";

    /// <summary>Every feature the Operator documents (api/datadoghq/v2alpha1/datadogagent_types.go, DatadogFeatures), in its order.</summary>
    public static IReadOnlyList<OperatorFeature> All { get; } =
    [
        new("otelCollector", false, [], [], Features + "otelcollector/feature.go: the DDOT Collector's otel-agent container, read with its configuration"),
        new("otelAgentGateway", false, [], [], Features + "otelagentgateway/feature.go: a Deployment of its own")
        {
            Note = $"features.otelAgentGateway deploys the OTel Agent gateway, a Deployment of its own that listens on {ListenerCatalog.OtlpGrpc} and {ListenerCatalog.OtlpHttp} " +
                "and exports " +
                "where its configuration says: neither its listeners nor its pods' destinations are planned; allow them for its pods by hand.",
        },
        new("logCollection", false, [("DD_LOGS_ENABLED", "true")], [], Features + "logcollection/feature.go manageNodeAgent"),
        new("liveProcessCollection", false, [("DD_PROCESS_CONFIG_PROCESS_COLLECTION_ENABLED", "true")], [], Features + "liveprocess/feature.go manageNodeAgent"),
        new("liveContainerCollection", true, [("DD_PROCESS_CONFIG_CONTAINER_COLLECTION_ENABLED", "true")], [], Features + "livecontainer/feature.go manageNodeAgent"),
        new("processDiscovery", true, [("DD_PROCESS_CONFIG_PROCESS_DISCOVERY_ENABLED", "true")], [], Features + "processdiscovery/feature.go manageNodeAgent"),
        new("oomKill", false, [], [], Features + "oomkill/feature.go") { SystemProbe = true },
        new("tcpQueueLength", false, [], [], Features + "tcpqueuelength/feature.go") { SystemProbe = true },
        new("ebpfCheck", false, [], [], Features + "ebpfcheck/feature.go") { SystemProbe = true },
        // The trace-agent container exists only with APM on: off, no process of the pod sends traces (the Agent's own default is on).
        new("apm", true, [("DD_APM_ENABLED", "true")], [("DD_APM_ENABLED", "false")], Features + "apm/feature.go manageNodeAgent (the trace-agent container)"),
        new("asm", false, [], [], Features + "asm/feature.go: the Cluster Agent's admission controller injects the tracers' settings"),
        new("cspm", false, [("DD_COMPLIANCE_CONFIG_ENABLED", "true")], [], Features + "cspm/feature.go ManageNodeAgent (the security-agent container)")
        {
            SecurityAgent = true,
        },
        new("cws", false, [("DD_RUNTIME_SECURITY_CONFIG_ENABLED", "true")], [], Features + "cws/feature.go ManageNodeAgent (system-probe and security-agent)")
        {
            SystemProbe = true, SecurityAgent = true,
        },
        new("npm", false, [("DD_SYSTEM_PROBE_NETWORK_ENABLED", "true")], [], Features + "npm/feature.go ManageNodeAgent") { SystemProbe = true },
        new("usm", false, [("DD_SYSTEM_PROBE_SERVICE_MONITORING_ENABLED", "true")], [], Features + "usm/feature.go ManageNodeAgent") { SystemProbe = true },
        new("dynamicInstrumentation", false, [], [], Features + "dyninst/feature.go") { SystemProbe = true },
        new("dogstatsd", true, [], [], Features + "dogstatsd/feature.go manageNodeAgent: read with its ports and nonLocalTraffic"),
        new("otlp", false, [], [], Features + "otlp/feature.go ManageNodeAgent: read with each protocol's endpoint"),
        new("remoteConfiguration", true, [("DD_REMOTE_CONFIGURATION_ENABLED", "true")], [("DD_REMOTE_CONFIGURATION_ENABLED", "false")],
            Features + "remoteconfig/feature.go ManageNodeAgent (set either way)"),
        new("sbom", false, [("DD_SBOM_ENABLED", "true")], [], Features + "sbom/feature.go ManageNodeAgent: read with containerImage and host"),
        new("serviceDiscovery", false, [], [], Features + "servicediscovery/feature.go") { SystemProbe = true },
        new("gpu", false, [], [], Features + "gpu/feature.go") { SystemProbe = true },
        new("dataPlane", false, [], [], Features + "dataplane/feature.go: the Agent Data Plane container takes DogStatsD's port"),
        new("eventCollection", true, [], [], Features + "eventcollection/feature.go: the Cluster Agent's Kubernetes events, to the metrics intake"),
        new("orchestratorExplorer", true, [("DD_ORCHESTRATOR_EXPLORER_ENABLED", "true")], [("DD_ORCHESTRATOR_EXPLORER_ENABLED", "false")],
            Features + "orchestratorexplorer/feature.go ManageNodeAgent (set either way): read with ddUrl"),
        new("kubeStateMetricsCore", true, [], [], Features + "kubernetesstatecore/feature.go: the Cluster Agent's check, to the metrics intake"),
        new("admissionController", true, [], [], Features + "admissioncontroller/feature.go: the Cluster Agent's webhook, which the API server calls"),
        new("externalMetricsServer", false, [("DD_EXTERNAL_METRICS_PROVIDER_ENABLED", "true")], [],
            Features + "externalmetrics/feature.go ManageClusterAgent: read with endpoint.url"),
        new("autoscaling", false, [], [], Features + "autoscaling/feature.go: the Cluster Agent's workload autoscaling, through Remote Configuration"),
        new("clusterChecks", true, [], [], Features + "clusterchecks/feature.go: read with useClusterChecksRunners"),
        new("prometheusScrape", false, [("DD_PROMETHEUS_SCRAPE_ENABLED", "true")], [], Features + "prometheusscrape/feature.go manageNodeAgent: read with enableServiceEndpoints"),
        new("helmCheck", false, [], [], Features + "helmcheck/feature.go: the Cluster Agent's check of Helm releases, through the API server"),
        new("controlPlaneMonitoring", true, [], [], Features + "controlplanemonitoring/feature.go: checks of the control plane, scheduled by the Cluster Agent")
        {
            Note = "features.controlPlaneMonitoring (on by default) runs checks against the cluster's control plane (the API server, etcd, the scheduler, the " +
                "controller manager) on their metrics ports: not planned; allow them by hand where the control plane is reachable.",
        },
        new("kubernetesActions", false, [], [], Features + "kubernetesactions/feature.go: the Cluster Agent acts on the API server"),
    ];

    /// <summary>The row of <paramref name="name"/>, or null when the Operator documents no such feature.</summary>
    public static OperatorFeature? Find(string name) => All.FirstOrDefault(f => f.Name == name);
}
