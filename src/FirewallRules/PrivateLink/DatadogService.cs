namespace FirewallRules.PrivateLink;

/// <summary>
/// A Datadog intake that has its own private endpoint, as Datadog's PrivateLink guide lists them. On the
/// command line each has a key: <c>logs-agent</c>, <c>logs-user</c>, <c>api</c>, <c>metrics</c>, <c>containers</c>,
/// <c>process</c>, <c>profiling</c>, <c>traces</c>, <c>dbm</c>, <c>remote-config</c> (see <see cref="PrivateLinkCatalog.GetKey"/>).
/// </summary>
public enum DatadogService
{
    /// <summary>Logs sent by the Agent over HTTPS (<c>agent-http-intake.logs.&lt;site&gt;</c>).</summary>
    LogsAgent,

    /// <summary>Logs sent by your own code to the HTTP intake (<c>http-intake.logs.&lt;site&gt;</c>).</summary>
    LogsUser,

    /// <summary>The API (<c>api.&lt;site&gt;</c>).</summary>
    Api,

    /// <summary>Agent metrics (<c>metrics.agent.&lt;site&gt;</c>).</summary>
    Metrics,

    /// <summary>Containers, for the orchestrator explorer (<c>orchestrator.&lt;site&gt;</c>).</summary>
    Containers,

    /// <summary>Live processes (<c>process.&lt;site&gt;</c>).</summary>
    Process,

    /// <summary>Continuous profiler (<c>intake.profile.&lt;site&gt;</c>).</summary>
    Profiling,

    /// <summary>APM traces (<c>trace.agent.&lt;site&gt;</c>).</summary>
    Traces,

    /// <summary>Database Monitoring (<c>dbm-metrics-intake.&lt;site&gt;</c>).</summary>
    DatabaseMonitoring,

    /// <summary>Remote Configuration (<c>config.&lt;site&gt;</c>).</summary>
    RemoteConfiguration,
}
