using YamlDotNet.RepresentationModel;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The chart's values that decide, through its templates' own helpers (charts/datadog/templates/_helpers.tpl of the chart
/// 3.240.0, helm-charts dd34a0197), which of the Agent's containers run and what they contact: the trace agent, the security
/// agent's compliance and runtime security, and the Cluster Agent's external metrics provider. A value is true as a Helm
/// template reads it: false, 0, an empty string and null are false; a value left out takes the chart's default.
/// </summary>
internal static class HelmFeatures
{
    private static readonly string[] TcpKeys = ["datadog.apm.portEnabled", "datadog.apm.enabled", "datadog.apm.useLocalService"];

    private static readonly string[] SocketKeys = ["datadog.apm.socketEnabled", "datadog.apm.useSocketVolume"];

    private static readonly string[] RemoteConfigurationKeys = ["datadog.remoteConfiguration.enabled", "datadog.privateActionRunner.enabled"];

    /// <summary>Adds to <paramref name="environment"/> the variables the chart sets from these values.</summary>
    public static void Add(YamlMappingNode root, string file, Dictionary<string, SettingValue> environment)
    {
        var values = new Values(root, file);
        TraceAgent(values, environment);
        Security(values, environment);
        MetricsProvider(values, environment);
        RemoteConfigurationAndFips(values, environment);
        PrometheusScrape(values, environment);
    }

    /// <summary>Whether a Helm template takes <paramref name="value"/> as true (Go templates' truth over what YAML gave).</summary>
    internal static bool Truthy(SettingValue? value) => value?.Text is string text && (value.Quoted
        ? text.Length > 0
        : text.Trim().ToLowerInvariant() is not ("" or "false" or "no" or "off" or "0" or "~" or "null"));

    // should-enable-trace-agent: trace-agent-use-tcp-port, trace-agent-use-uds or trace-agent-use-local-service. use-uds is
    // datadog.apm.socketEnabled (true by default from the chart 2.21.0, helm-charts ca674fb5c) or useSocketVolume, except on
    // Windows, on GKE Autopilot without datadog.csi.enabled and on GDC; use-host-port is portEnabled or the deprecated enabled;
    // use-local-service is useLocalService, else use-host-port. The core agent's container sets DD_APM_ENABLED to it
    // (_container-agent.yaml); when true, it and the trace-agent container (_container-trace-agent.yaml, which the daemonset
    // adds then) set DD_APM_ENABLED=true and DD_APM_NON_LOCAL_TRAFFIC=true.
    private static void TraceAgent(Values values, Dictionary<string, SettingValue> environment)
    {
        bool socket = values.Linux && !(values.On("providers.gke.autopilot") && !values.On("datadog.csi.enabled")) && !values.On("providers.gke.gdc");
        // A chart's own values.yaml without socketEnabled is from before 2.21.0, whose templates had no socket default: only useSocketVolume.
        string[] sockets = values.OlderThanSocketDefault ? SocketKeys[1..] : SocketKeys;
        string? by = TcpKeys.FirstOrDefault(values.On)
            ?? (socket ? sockets.FirstOrDefault(values.On) : null);
        if (by is null)
        {
            string why = values.OlderThanSocketDefault
                ? " (the chart's own values.yaml from before 2.21.0, without socketEnabled: APM was off by default)"
                : values.On("datadog.apm.socketEnabled") ? " (the chart uses no socket on Windows, GKE Autopilot without datadog.csi.enabled or GDC)" : string.Empty;
            environment["DD_APM_ENABLED"] = values.Source("datadog.apm.socketEnabled", "false",
                $"datadog.apm.socketEnabled, portEnabled and useLocalService{why}");
            return;
        }

        environment["DD_APM_ENABLED"] = values.Source(by, "true", null);
        environment["DD_APM_NON_LOCAL_TRAFFIC"] = new SettingValue("true", null, SettingOrigin.Default) { Label = "the chart's trace-agent container" };
    }

    // Compliance (CSPM) runs in the security agent (should-enable-compliance: not on GKE Autopilot or GDC) or, with
    // runInSystemProbe, in system-probe (its DD_COMPLIANCE_CONFIG_ENABLED, _container-system-probe.yaml); both containers run on
    // Linux only and not on GDC (should-enable-security-agent, should-enable-system-probe). Runtime security (CWS) is
    // should-enable-runtime-security, runtime.enabled and not on GDC, in system-probe (runtime_security_config.enabled,
    // system-probe-configmap.yaml) and the security agent (DD_RUNTIME_SECURITY_CONFIG_ENABLED, _container-security-agent.yaml).
    private static void Security(Values values, Dictionary<string, SettingValue> environment)
    {
        bool linux = values.Linux && !values.On("providers.gke.gdc");
        const string Compliance = "datadog.securityAgent.compliance.enabled";
        bool compliance = linux && values.On(Compliance)
            && (values.On("datadog.securityAgent.compliance.runInSystemProbe") || !values.On("providers.gke.autopilot"));
        environment["DD_COMPLIANCE_CONFIG_ENABLED"] = values.Source(Compliance, compliance ? "true" : "false", null);
        const string Runtime = "datadog.securityAgent.runtime.enabled";
        environment["DD_RUNTIME_SECURITY_CONFIG_ENABLED"] = values.Source(Runtime, linux && values.On(Runtime) ? "true" : "false", null);
    }

    // The Cluster Agent's Deployment exists when clusterAgent.enabled and not existingClusterAgent.join (should-deploy-cluster-agent);
    // it sets DD_EXTERNAL_METRICS_PROVIDER_ENABLED from clusterAgent.metricsProvider.enabled, and DD_EXTERNAL_METRICS_PROVIDER_ENDPOINT
    // from clusterAgent.metricsProvider.endpoint when one is given (cluster-agent-deployment.yaml).
    private static void MetricsProvider(Values values, Dictionary<string, SettingValue> environment)
    {
        const string Enabled = "clusterAgent.metricsProvider.enabled";
        if (!values.On("clusterAgent.enabled") || values.On("existingClusterAgent.join") || !values.On(Enabled))
        {
            return;
        }

        environment["DD_EXTERNAL_METRICS_PROVIDER_ENABLED"] = values.Source(Enabled, "true", null);
        if (values.Get("clusterAgent.metricsProvider.endpoint") is { Text: { Length: > 0 } } endpoint && Truthy(endpoint))
        {
            environment["DD_EXTERNAL_METRICS_PROVIDER_ENDPOINT"] = endpoint with { Quoted = true };
        }
    }

    // DD_REMOTE_CONFIGURATION_ENABLED (_containers-common-env.yaml, always set) is datadog-remoteConfiguration-enabled: the top-level
    // remoteConfiguration.enabled (the preferred key) and either datadog.remoteConfiguration.enabled or
    // datadog.privateActionRunner.enabled, never on GDC. DD_FIPS_ENABLED (fips-envvar, _container-fips-proxy.yaml) is set where
    // should-enable-fips-proxy: fips.enabled on Linux without useFIPSAgent, GKE Autopilot or GDC.
    private static void RemoteConfigurationAndFips(Values values, Dictionary<string, SettingValue> environment)
    {
        string? off = !values.On("remoteConfiguration.enabled") ? "remoteConfiguration.enabled"
            : values.On("providers.gke.gdc") ? "providers.gke.gdc"
            : values.On("datadog.remoteConfiguration.enabled") || values.On("datadog.privateActionRunner.enabled") ? null
            : "datadog.remoteConfiguration.enabled";
        // The chart sets the variable whatever the values, so from its defaults alone it is true, and an Agent before 7.47, whose own
        // default is off, runs Remote Configuration too.
        string on = RemoteConfigurationKeys.FirstOrDefault(p => values.On(p) && values.Given(p)) ?? "remoteConfiguration.enabled";
        environment["DD_REMOTE_CONFIGURATION_ENABLED"] = values.Source(off ?? on, off is null ? "true" : "false", null);

        if (values.On("fips.enabled") && values.Linux && !values.On("useFIPSAgent") && !values.On("providers.gke.autopilot") && !values.On("providers.gke.gdc"))
        {
            environment["DD_FIPS_ENABLED"] = values.Source("fips.enabled", "true", null);
        }
    }

    // The agent's container sets DD_PROMETHEUS_SCRAPE_ENABLED and DD_PROMETHEUS_SCRAPE_SERVICE_ENDPOINTS only where
    // datadog.prometheusScrape.enabled (_container-agent.yaml); what it scrapes is in the cluster, its metrics go to the planned intake.
    private static void PrometheusScrape(Values values, Dictionary<string, SettingValue> environment)
    {
        const string Enabled = "datadog.prometheusScrape.enabled", Services = "datadog.prometheusScrape.serviceEndpoints";
        if (values.On(Enabled))
        {
            environment["DD_PROMETHEUS_SCRAPE_ENABLED"] = values.Source(Enabled, "true", null);
            environment["DD_PROMETHEUS_SCRAPE_SERVICE_ENDPOINTS"] = values.Source(Services, values.On(Services) ? "true" : "false", null);
        }
    }

    private sealed class Values(YamlMappingNode root, string file)
    {
        public bool Linux => Get("targetSystem")?.Text == "linux";

        // The chart's own values.yaml (top-level providers and existingClusterAgent, as HelmValues.OlderChart tells it) with an
        // apm section but no socketEnabled, which every chart's has from 2.21.0 (helm-charts ca674fb5c).
        public bool OlderThanSocketDefault => HelmNodes.Find(root, "providers", file) is not null && HelmNodes.Find(root, "existingClusterAgent", file) is not null
            && HelmNodes.Map(root, "datadog.apm", file) is not null && HelmNodes.Find(root, "datadog.apm.socketEnabled", file) is null;

        public SettingValue? Get(string path) => HelmValues.Value(root, path, file);

        public bool On(string path) => Truthy(Get(path));

        public bool Given(string path) => HelmNodes.Scalar(root, path, file) is YamlScalarNode node && YamlSettings.ValueOf(node, file) is { IsNull: false };

        // The value at path, or its chart default, with the text the chart hands the agent and where it was written.
        public SettingValue Source(string path, string text, string? label)
        {
            SettingValue given = Get(path) ?? new SettingValue(null, null, SettingOrigin.Default) { Label = path };
            return new SettingValue(text, null, given.Origin) { Label = label ?? given.Label ?? path };
        }
    }
}
