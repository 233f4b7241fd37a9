using FirewallRules.Intakes;
using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The chart's components beside the node Agent whose traffic the plan does not hold, each said in a note with what to allow
/// by hand: the private action runners, the Datadog Operator subchart and the cluster checks runners (charts/datadog, chart
/// 3.240.0, helm-charts 79f7c74fd, as cited beside each).
/// </summary>
internal static class HelmComponents
{
    private static readonly string[] RunnerKeys = ["datadog.kubeStateMetricsCore.useClusterCheckRunners", "datadog.orchestratorExplorer.useClusterCheckRunners"];

    /// <summary>Adds the notes for the components these values deploy; <paramref name="site"/> is the plan's Datadog site.</summary>
    public static void Notes(YamlMappingNode root, string file, string site, PlanNotes notes)
    {
        bool On(string path) => HelmFeatures.Truthy(HelmValues.Value(root, path, file));
        bool clusterAgent = On("clusterAgent.enabled") && !On("existingClusterAgent.join");
        PrivateActionRunners(On("datadog.privateActionRunner.enabled") && HelmValues.Value(root, "targetSystem", file)?.Text == "linux",
            clusterAgent && On("clusterAgent.privateActionRunner.enabled"), site, notes);
        Operator(root, file, On("datadog.operator.enabled"), notes);
        Deployed(root, file, On, notes);
        Misplaced(root, file, notes);

        // agent-clusterchecks-deployment.yaml exists when should-deploy-cluster-agent and should-enable-cluster-check-workers:
        // kubeStateMetricsCore or orchestratorExplorer useClusterCheckRunners, or datadog.clusterChecks.enabled and clusterChecksRunner.enabled.
        string? by = RunnerKeys.FirstOrDefault(On)
            ?? (On("datadog.clusterChecks.enabled") && On("clusterChecksRunner.enabled") ? "clusterChecksRunner.enabled" : null);
        if (clusterAgent && by is not null)
        {
            notes.Add($"{by} deploys the cluster checks runners, Agents of their own (pods labelled agent.datadoghq.com/component=cluster-checks-runner, " +
                "agent-clusterchecks-deployment.yaml): they send to the Datadog intakes planned here, and their checks connect to the services " +
                "those checks name, which are not planned. The kubernetes, cilium and calico policies select the Agent's pods (component agent): " +
                "allow the same Datadog hosts for the runners' pods, and what their checks reach, by hand.");
        }
    }

    // The node Agent's private-action-runner container (daemonset.yaml, Linux only; its privateactionrunner.yaml,
    // private-action-runner-configmap.yaml) and the Cluster Agent's runner (DD_PRIVATE_ACTION_RUNNER_ENABLED,
    // cluster-agent-deployment.yaml). Datadog's docs (Actions, "Use Private Actions") list the network access a runner needs:
    // https://<site> and https://config.<site>; it polls Datadog for tasks and runs each against the service it names.
    private static void PrivateActionRunners(bool node, bool cluster, string site, PlanNotes notes)
    {
        string[] which = [.. new[] { (node, "datadog.privateActionRunner.enabled"), (cluster, "clusterAgent.privateActionRunner.enabled") }
            .Where(r => r.Item1).Select(r => r.Item2)];
        if (which.Length > 0)
        {
            notes.Add($"{string.Join(" and ", which)}: the private action runner polls Datadog for workflow and app actions and runs each against " +
                $"the service it names. Datadog's docs (Use Private Actions) list {site} and {IntakeCatalog.RemoteConfiguration.Host(site)} (443/tcp): " +
                $"{site} is not planned, {IntakeCatalog.RemoteConfiguration.Host(site)} " +
                "only as remote configuration's host when that is on; allow them, and the services its actions reach (actionsAllowlist), by hand.");
        }
    }

    // datadog.operator.enabled (the chart's default from its values.yaml) installs the datadog-operator chart as the subchart
    // "operator" (requirements.yaml). The Operator's pod talks to the Kubernetes API server and, with operatorMetricsEnabled (its
    // chart's default "true", charts/datadog-operator/values.yaml), forwards the metrics and events of each resource it manages (a
    // DatadogAgent, a DatadogMonitor) to https://api.datadoghq.com, or DD_DD_URL/DD_URL, or https://api. and DD_SITE
    // (setupFromOperator, pkg/controller/utils/datadog/metrics_forwarder.go, DataDog/datadog-operator); its chart sets DD_URL from
    // operator.dd_url and DD_SITE from operator.site (charts/datadog-operator/templates/deployment.yaml).
    private static void Operator(YamlMappingNode root, string file, bool enabled, PlanNotes notes)
    {
        // A chart's own values.yaml without the key is from before the chart had the subchart.
        bool oldOwn = HelmNodes.Find(root, "datadog.operator", file) is null && HelmNodes.Find(root, "providers", file) is not null
            && HelmNodes.Find(root, "existingClusterAgent", file) is not null;
        if (!enabled || oldOwn)
        {
            return;
        }

        string? Given(string path) => HelmNodes.Scalar(root, path, file) is { Value: { Length: > 0 } given } ? given.Trim() : null;
        string api = Given("operator.dd_url") is string url ? $"{url} (operator.dd_url)" : Given("operator.site") is string site
            ? $"https://{IntakeCatalog.Api.Host(site)} (operator.site)"
            : $"{IntakeCatalog.Api.ExampleUrl} (the Operator chart's default while operator.site is not set)";
        notes.Add("datadog.operator.enabled (true in the chart's values.yaml) installs the Datadog Operator (the subchart operator.*): its pod is no Agent pod and " +
            "its traffic is not planned: the Kubernetes API server, and, with operatorMetricsEnabled (its default), the metrics and events of each " +
            $"resource it manages (a DatadogAgent, a DatadogMonitor) to {api}. Allow these for the Operator's pod by hand, or set " +
            "datadog.operator.enabled: false when the chart alone deploys the Agent.");
    }

    // The sections of datadog: that turn on what the Agent contacts (charts/datadog/values.yaml 3.240.0), none of them a top-level key of the chart.
    private static readonly string[] DatadogSections =
    [
        "apm", "appsec", "asm", "containerImageCollection", "containerLifecycle", "dataPlane", "discovery", "dogstatsd", "dynamicInstrumentationGo",
        "gpuMonitoring", "hostProfiler", "logs", "networkMonitoring", "networkPath", "orchestratorExplorer", "otelCollector", "otlp", "privateActionRunner",
        "processAgent", "profiling", "prometheusScrape", "sbom", "securityAgent", "serviceMonitoring", "systemProbe", "traceroute",
    ];

    // A section of datadog: written at the top level (securityAgent: beside datadog:): the chart reads nothing there, so it is said, not planned.
    private static void Misplaced(YamlMappingNode root, string file, PlanNotes notes)
    {
        foreach (string key in YamlSettings.Entries(root, file).Select(e => e.Name).Where(DatadogSections.Contains))
        {
            notes.Add($"{key} is a top-level key here; the chart reads datadog.{key}, so nothing under it is read or planned: move it under datadog:.");
        }
    }

    // What these values deploy, or leave out, that the plan of the node Agent does not show (charts/datadog/values.yaml 3.240.0):
    // no DaemonSet (agents.enabled), the OTel Agent gateway Deployment (its OTLP receivers, otelAgentGateway.ports), and Agent pods on the
    // host network. The DDOT Collector in the Agent's pods is planned (CollectorPlanner).
    private static void Deployed(YamlMappingNode root, string file, Func<string, bool> on, PlanNotes notes)
    {
        if (!on("agents.enabled"))
        {
            notes.Add("agents.enabled is false: the chart deploys no node Agent (no DaemonSet), so no pod of this release sends or listens as this plan " +
                "says; it is what the node Agents would need.");
        }

        if (on("otelAgentGateway.enabled"))
        {
            notes.Add($"otelAgentGateway.enabled deploys the OTel Agent gateway (a Deployment of its own, listening on {Ports(root, file, "otelAgentGateway.ports")}, " +
                "otelAgentGateway.ports), which exports where its configuration says: neither its listeners nor its pods' destinations are planned; " +
                "allow them for its pods by hand.");
        }

        if (on("agents.useHostNetwork"))
        {
            notes.Add(AgentNoteKind.HostNetwork, "agents.useHostNetwork puts the Agent's pods on the host's network, where NetworkPolicy and CiliumNetworkPolicy (kubernetes, " +
                "cilium, calico) do not apply: use a host firewall format (nftables, iptables) on the nodes instead.");
        }
    }

    // The container ports a component's values give (containerPort and protocol, TCP by default), or the chart's own: the OTLP receivers' (ListenerCatalog).
    private static string Ports(YamlMappingNode root, string file, string path)
    {
        string[] ports = [.. HelmNodes.Entries(root, path, file, "containerPort", "a map (containerPort, protocol)")
            .Select(e => (Port: HelmNodes.Field(e.Entry, e.Key, "containerPort", file)?.Value, Protocol: HelmNodes.Field(e.Entry, e.Key, "protocol", file)?.Value ?? "TCP"))
            .Where(p => p.Port is { Length: > 0 and <= 5 } port && port.All(char.IsAsciiDigit) && p.Protocol is "TCP" or "UDP" or "tcp" or "udp")
            .Select(p => $"{p.Port}/{p.Protocol.ToLowerInvariant()}")];
        return ports.Length == 0 ? $"{ListenerCatalog.OtlpGrpc} and {ListenerCatalog.OtlpHttp}" : string.Join(" and ", ports.Distinct());
    }
}
