using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The variables a DatadogAgent's <c>spec.global</c> and <c>spec.features</c> set on the node Agent's containers, in the Operator's
/// order (<c>component_reconciler.go</c>: the global settings, then each feature; a later variable of a name replaces the earlier,
/// <c>merger/envvars.go</c>), and the processes that run beside the core agent. DataDog/datadog-operator @
/// <c>55db53165d173041aaf6d902fd3776d0b33bf811</c>, as cited beside each.
/// </summary>
internal static class OperatorSettings
{
    /// <summary>
    /// The node Agent's own variables, before any setting (<c>component/agent/default.go</c>: <c>commonEnvVars</c> tells every container a
    /// Cluster Agent serves it, <c>envVarsForCoreAgent</c> sets the health port the liveness probe reads and container image collection);
    /// then <c>spec.global</c>: the site, the endpoint, the FIPS proxy, the variables of <c>global.env</c> (<c>global/global.go</c>, <c>global/fips.go</c>).
    /// </summary>
    public static void Global(ManifestValues spec, Dictionary<string, SettingValue> environment, PlanNotes notes)
    {
        foreach ((string variable, string value) in NodeAgentDefaults)
        {
            environment[variable] = new SettingValue(value, null, new SettingOrigin(spec.File, null)) { Label = $"{variable} (the Operator's node Agent)" };
        }

        Set(environment, "DD_SITE", spec.Get("global.site"));
        Set(environment, "DD_DD_URL", spec.Get("global.endpoint.url"));
        Env(spec, "global.env", environment, notes, _ => true);
        if (spec.Bool("global.fips.enabled", false))
        {
            SettingValue fips = spec.Get("global.fips.enabled")!;
            environment["DD_FIPS_ENABLED"] = fips with { Text = "true" };
            Set(environment, "DD_FIPS_PORT_RANGE_START", spec.Get("global.fips.port"));
            Set(environment, "DD_FIPS_LOCAL_ADDRESS", spec.Get("global.fips.localAddress") ?? fips with { Text = "127.0.0.1" });
            environment["DD_FIPS_USE_HTTPS"] = fips with { Text = spec.Bool("global.fips.useHTTPS", false) ? "true" : "false" };
        }

        if (spec.Bool("global.networkPolicy.create", false))
        {
            notes.Add($"spec.global.networkPolicy.create: the Operator writes network policies of its own for the Agent's pods " +
                $"({spec.Text("global.networkPolicy.flavor") ?? "kubernetes"}); the rules made from this plan add to them, and a pod any policy selects " +
                "is reached only as the policies together allow.");
        }
    }

    /// <summary>Each feature of <see cref="OperatorFeatures"/> and what it sets; the features whose variables depend on more than <c>enabled</c> beside them.</summary>
    public static void Features(ManifestValues spec, Dictionary<string, SettingValue> environment, PlanNotes notes, bool processChecksInCore)
    {
        foreach (OperatorFeature feature in OperatorFeatures.All)
        {
            bool on = On(spec, feature);
            SettingValue source = spec.Get($"features.{feature.Name}.enabled") ?? new SettingValue(null, null, new SettingOrigin(spec.File, null))
                { Label = $"spec.features.{feature.Name}.enabled (the Operator's default)" };
            foreach ((string variable, string value) in on ? feature.WhenOn : feature.WhenOff)
            {
                environment[variable] = source with { Text = value, Quoted = false };
            }

            if (on && feature.Note is string note)
            {
                notes.Add(note);
            }
        }

        Apm(spec, environment);
        Dogstatsd(spec, environment);
        Otlp(spec, environment);
        Details(spec, environment, notes, processChecksInCore);
        Unknown(spec, notes);
    }

    private static readonly (string Variable, string Value)[] NodeAgentDefaults =
        [("DD_CLUSTER_AGENT_ENABLED", "true"), ("DD_HEALTH_PORT", "5555"), ("DD_CONTAINER_IMAGE_ENABLED", "true")];

    private static readonly string[] ProcessFeatureNames = ["liveProcessCollection", "liveContainerCollection", "processDiscovery"];

    /// <summary>Whether the feature is on, as the Operator defaults it.</summary>
    public static bool On(ManifestValues spec, OperatorFeature feature) => spec.Bool($"features.{feature.Name}.enabled", feature.Default);

    /// <summary>
    /// Which of the system probe and the security agent the Operator deploys: each runs for the features that need it
    /// (<c>feature.RequiredComponents</c> of each; <c>cspm.runInSystemProbe</c> runs compliance there).
    /// </summary>
    public static AgentComponents Running(ManifestValues spec)
    {
        OperatorFeature[] on = [.. OperatorFeatures.All.Where(f => On(spec, f))];
        bool compliance = on.Any(f => f.Name == "cspm");
        bool inProbe = compliance && spec.Bool("features.cspm.runInSystemProbe", false);
        return new(on.Any(f => f.SystemProbe) || inProbe, on.Any(f => f.SecurityAgent && !(f.Name == "cspm" && inProbe)));
    }

    // APM (apm/feature.go manageNodeAgent): non-local traffic with the host port or the local agent service, which the Operator creates on
    // Kubernetes 1.22 and later (common/utils.go ShouldCreateAgentLocalService); the receiver's port moves only on the host's network.
    private static void Apm(ManifestValues spec, Dictionary<string, SettingValue> environment)
    {
        if (!spec.Bool("features.apm.enabled", true))
        {
            return;
        }

        SettingValue label = spec.Get("features.apm.hostPortConfig.enabled") ?? spec.Get("features.apm.enabled")
            ?? new SettingValue(null, null, new SettingOrigin(spec.File, null)) { Label = "spec.features.apm (the Operator's local agent service, Kubernetes 1.22+)" };
        environment["DD_APM_NON_LOCAL_TRAFFIC"] = label with { Text = "true", Quoted = false };
        if (spec.Bool("features.apm.hostPortConfig.enabled", false) && HostNetwork(spec) && spec.Port("features.apm.hostPortConfig.hostPort") is int port)
        {
            environment["DD_APM_RECEIVER_PORT"] = spec.Get("features.apm.hostPortConfig.hostPort")! with
            {
                Text = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }
    }

    // DogStatsD (dogstatsd/feature.go manageNodeAgent): DD_DOGSTATSD_NON_LOCAL_TRAFFIC always (nonLocalTraffic, default true); its port
    // moves to the host port only on the host's network.
    private static void Dogstatsd(ManifestValues spec, Dictionary<string, SettingValue> environment)
    {
        bool nonLocal = spec.Bool("features.dogstatsd.nonLocalTraffic", true);
        environment["DD_DOGSTATSD_NON_LOCAL_TRAFFIC"] = (spec.Get("features.dogstatsd.nonLocalTraffic")
            ?? new SettingValue(null, null, new SettingOrigin(spec.File, null)) { Label = "spec.features.dogstatsd.nonLocalTraffic (the Operator's default)" })
            with { Text = nonLocal ? "true" : "false", Quoted = false };
        if (spec.Bool("features.dogstatsd.hostPortConfig.enabled", false) && HostNetwork(spec) && spec.Port("features.dogstatsd.hostPortConfig.hostPort") is int port)
        {
            environment["DD_DOGSTATSD_PORT"] = spec.Get("features.dogstatsd.hostPortConfig.hostPort")! with
            {
                Text = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }
    }

    // The OTLP receivers (otlp/feature.go ManageNodeAgent): each protocol enabled sets its endpoint, 0.0.0.0:4317 and 0.0.0.0:4318 by default.
    private static void Otlp(ManifestValues spec, Dictionary<string, SettingValue> environment)
    {
        foreach ((string protocol, int port) in new[] { ("grpc", 4317), ("http", 4318) })
        {
            string path = $"features.otlp.receiver.protocols.{protocol}";
            if (spec.Bool($"{path}.enabled", false))
            {
                environment[$"DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_{protocol.ToUpperInvariant()}_ENDPOINT"] = spec.Get($"{path}.endpoint")
                    ?? spec.Get($"{path}.enabled")! with { Text = $"0.0.0.0:{port}", Label = $"spec.{path}.endpoint (the Operator's default)" };
            }
        }
    }

    // What the features' other fields set: SBOM's scopes, the external metrics server's endpoint, the orchestrator explorer's URL,
    // Prometheus' service endpoints, the process checks' place, the cluster checks runners.
    private static void Details(ManifestValues spec, Dictionary<string, SettingValue> environment, PlanNotes notes, bool processChecksInCore)
    {
        if (spec.Bool("features.sbom.enabled", false))
        {
            environment["DD_SBOM_CONTAINER_IMAGE_ENABLED"] = Flag(spec, "features.sbom.containerImage.enabled");
            environment["DD_SBOM_HOST_ENABLED"] = Flag(spec, "features.sbom.host.enabled");
        }

        if (spec.Bool("features.externalMetricsServer.enabled", false))
        {
            Set(environment, "DD_EXTERNAL_METRICS_PROVIDER_ENDPOINT", spec.Get("features.externalMetricsServer.endpoint.url"));
        }

        if (spec.Bool("features.orchestratorExplorer.enabled", true))
        {
            Set(environment, "DD_ORCHESTRATOR_EXPLORER_ORCHESTRATOR_DD_URL", spec.Get("features.orchestratorExplorer.ddUrl"));
        }

        if (spec.Bool("features.prometheusScrape.enabled", false))
        {
            environment["DD_PROMETHEUS_SCRAPE_SERVICE_ENDPOINTS"] = Flag(spec, "features.prometheusScrape.enableServiceEndpoints");
        }

        // The process features set where the process checks run (liveprocess, livecontainer, processdiscovery feature.go: from Agent 7.60).
        if (ProcessFeatureNames.Any(f => On(spec, OperatorFeatures.Find(f)!)))
        {
            environment["DD_PROCESS_CONFIG_RUN_IN_CORE_AGENT_ENABLED"] = new SettingValue(processChecksInCore ? "true" : "false", null,
                new SettingOrigin(spec.File, null)) { Label = "the Operator's process features (run in the core agent from Agent 7.60)" };
        }

        if (spec.Bool("features.clusterChecks.enabled", true) && spec.Bool("features.clusterChecks.useClusterChecksRunners", false))
        {
            notes.Add("spec.features.clusterChecks.useClusterChecksRunners deploys the cluster checks runners, Agents of their own (pods labelled " +
                "agent.datadoghq.com/component=cluster-checks-runner): they send to the Datadog intakes planned here, and their checks connect to the services " +
                "those checks name, which are not planned. The kubernetes, cilium and calico policies select the Agent's pods (component agent): allow the " +
                "same Datadog hosts for the runners' pods, and what their checks reach, by hand.");
        }
    }

    // A key under spec.features the Operator does not document: the API server prunes it (the CRD's structural schema), and nothing reads it.
    private static void Unknown(ManifestValues spec, PlanNotes notes)
    {
        if (spec.Map("features") is not { } features)
        {
            return;
        }

        string[] unknown = [.. YamlSettings.Entries(features, spec.File).Select(e => e.Name).Where(n => OperatorFeatures.Find(n) is null)];
        if (unknown.Length > 0)
        {
            notes.Add($"spec.features has {string.Join(", ", unknown.Select(n => IO.TerminalText.EscapeWhole(n.Length > 40 ? n[..40] : n)))}, which is no " +
                "feature of the Operator's DatadogAgent (v2alpha1): the API server drops it, and the plan reads nothing from it.");
        }
    }

    /// <summary>A container's variables from <paramref name="path"/>; a variable from a ConfigMap, a Secret or a field (valueFrom) is noted.</summary>
    public static void Env(ManifestValues spec, string path, Dictionary<string, SettingValue> environment, PlanNotes notes, Func<string, bool> read)
    {
        var unread = new List<string>();
        foreach ((YamlMappingNode entry, string key) in spec.Entries(path, "name and value", "a map of name and value"))
        {
            if (HelmNodes.Field(entry, key, "name", spec.File) is not { Value: string name })
            {
                continue;
            }

            if (HelmNodes.Field(entry, key, "value", spec.File) is YamlScalarNode scalar && read(name))
            {
                environment[name] = YamlSettings.ValueOf(scalar, spec.File) with { Quoted = true, Label = null };
            }
            else if (YamlSettings.Child(entry, "valueFrom", spec.File) is not null)
            {
                unread.Add(name);
            }
        }

        if (unread.Count > 0)
        {
            notes.Add($"spec.{path} sets {string.Join(", ", unread.Select(IO.TerminalText.EscapeWhole))} from a ConfigMap, a Secret or a field (valueFrom), " +
                "which the plan cannot read: a DD_* variable there (DD_SITE, DD_DD_URL, a proxy) changes what the Agent contacts; give those variables " +
                "as an environment file beside the manifest to plan them.");
        }
    }

    /// <summary>Whether the node Agent's pods run on the host's network (<c>override.nodeAgent.hostNetwork</c>).</summary>
    public static bool HostNetwork(ManifestValues spec) => spec.Bool("override.nodeAgent.hostNetwork", false);

    private static SettingValue Flag(ManifestValues spec, string path) =>
        (spec.Get(path) ?? new SettingValue(null, null, new SettingOrigin(spec.File, null)) { Label = $"spec.{path} (the Operator's default)" })
            with { Text = spec.Bool(path, false) ? "true" : "false", Quoted = false };

    private static void Set(Dictionary<string, SettingValue> environment, string variable, SettingValue? value)
    {
        if (value is { Text: { Length: > 0 } })
        {
            environment[variable] = value with { Quoted = true };
        }
    }
}
