namespace FirewallRules.AgentConfig;

/// <summary>
/// The Observability Pipelines Worker (OPW): <c>observability_pipelines_worker.{metrics,logs,traces}.enabled</c> with its
/// <c>.url</c>, or the older <c>vector.*</c> keys, send that track to the worker's URL, host and port as written. What the
/// agent then still sends to Datadog, from its source (DataDog/datadog-agent):
/// <list type="bullet">
/// <item>metrics: only series and sketches move (<c>NewDomainResolverWithMetricToVector</c>, comp/forwarder/defaultforwarder/resolver;
/// <c>configureOPW</c> reads the prefix whose <c>metrics.enabled</c> is on, <c>observability_pipelines_worker</c> first): metadata,
/// check runs, events and flares still go to the metrics intake, which stays planned;</item>
/// <item>logs: the worker's URL replaces the main logs endpoint and forces HTTP (<c>buildHTTPEndpoints</c> and
/// <c>BuildEndpointsWithConfig</c>, comp/logs/agent/config/config.go; <c>getObsPipelineURL</c> in config_keys.go takes
/// <c>observability_pipelines_worker.logs.url</c>, else <c>vector.logs.url</c>); <c>logs_config.additional_endpoints</c> still
/// receive theirs, and newer agents keep the Datadog intake too with <c>observability_pipelines_worker.logs.dual_ship</c>;</item>
/// <item>traces: the worker's URL replaces the trace agent's main endpoint (<c>applyDatadogConfig</c>, comp/trace/config/setup.go);
/// <c>apm_config.additional_endpoints</c> and the other APM intakes (profiling, telemetry) are unchanged.</item>
/// </list>
/// With a track on and its URL empty the agent logs an error: metrics and logs keep Datadog's intake, the trace agent has no main endpoint.
/// </summary>
internal static class ObservabilityPipelines
{
    /// <summary>The key prefix of the worker's settings.</summary>
    public const string Worker = "observability_pipelines_worker";

    /// <summary>The keys read here, for the template walk.</summary>
    public static readonly string[] Keys = [.. new[] { Worker, "vector" }
        .SelectMany(prefix => new[] { "metrics", "logs", "traces" }.SelectMany(track => new[] { $"{prefix}.{track}.enabled", $"{prefix}.{track}.url" }))
        .Concat([$"{Worker}.logs.dual_ship", "vector.logs.dual_ship"])];
}
