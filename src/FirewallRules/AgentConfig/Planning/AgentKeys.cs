namespace FirewallRules.AgentConfig;

/// <summary>
/// The keys whose values change what the plan says, as the planners read them: what the configuration-template walk
/// (<c>ConfigTemplateCoverageTests</c>) counts as mapped. A planner reading a new key lists it here.
/// </summary>
internal static class AgentKeys
{
    private static readonly string[] Read =
    [
        "site", "dd_url", "additional_endpoints", "cmd_host", "cmd_port", "bind_host", "gui_port", "health_port", "expvar_port",
        "use_dogstatsd", "dogstatsd_port", "dogstatsd_non_local_traffic", "remote_configuration.enabled", "remote_configuration.no_tls", "no_proxy_nonexact_match",
        "proxy.https", "proxy.http", "proxy.no_proxy",
        "logs_enabled", "logs_config.use_http", "logs_config.force_use_http", "logs_config.use_tcp", "logs_config.force_use_tcp",
        "logs_config.logs_dd_url", "logs_config.dd_url", "logs_config.logs_no_ssl", "logs_config.additional_endpoints",
        "apm_config.enabled", "apm_config.receiver_port", "apm_config.apm_non_local_traffic", "apm_config.apm_dd_url",
        "apm_config.additional_endpoints", "apm_config.debug.port",
        "process_config.enabled", "process_config.process_collection.enabled", "process_config.container_collection.enabled",
        "process_config.process_discovery.enabled", "process_config.process_dd_url", "process_config.expvar_port", "process_config.cmd_port",
        "security_agent.cmd_port", "security_agent.expvar_port",
        "network_config.enabled", "system_probe_config.network.enabled", "service_monitoring_config.enabled", "system_probe_config.enabled",
        "orchestrator_explorer.enabled", "cluster_agent.enabled",
        "kubernetes_https_kubelet_port", "kubernetes_http_kubelet_port", "kubelet_use_api_server",
        "external_metrics_provider.enabled", "external_metrics_provider.endpoint", "external_metrics_provider.endpoints",
        "otlp_config.receiver.protocols.grpc.endpoint", "otlp_config.receiver.protocols.http.endpoint",
        "database_monitoring.metrics.dd_url", "database_monitoring.activity.dd_url", "database_monitoring.samples.dd_url",
        "network_devices.snmp_traps.enabled", "network_devices.snmp_traps.port", "network_devices.snmp_traps.bind_host",
        "network_devices.netflow.enabled", "network_devices.netflow.listeners", "network_devices.autodiscovery", "snmp_listener",
        "sbom.container_image.enabled", "sbom.host.enabled", "evp_proxy_config.dd_url", "fips.enabled", "convert_dd_site_fqdn.enabled", "confd_path",
        "runtime_security_config.activity_dump.enabled", "process_config.run_in_core_agent.enabled", "process_config.event_collection.enabled",
    ];

    /// <summary>Every key that changes the plan: the planners' own, the feature map's and the dual-shipping keys'.</summary>
    public static IReadOnlySet<string> Mapped { get; } =
        new HashSet<string>(Read.Concat(FeatureMap.Rows.SelectMany(r => r.UrlKeys.Prepend(r.Key))).Concat(EndpointKeys.Read).Concat(PipelineEndpoint.Keys)
            .Concat(ObservabilityPipelines.Keys).Concat(OtherDestinations.Keys),
            StringComparer.OrdinalIgnoreCase);
}
