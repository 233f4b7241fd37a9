namespace FirewallRules.PrivateLink;

/// <summary>What to build for Google Cloud Private Service Connect to a Datadog site; <see cref="PrivateServiceConnectPlan.Create"/> checks it.</summary>
public sealed class PrivateServiceConnectOptions
{
    /// <summary>The Datadog site: one that offers Private Service Connect (US5 in us-central1, EU1 in europe-west3).</summary>
    public required Site Site { get; init; }

    /// <summary>
    /// The subnets the endpoints' internal addresses are reserved in: the only destinations the agents' firewall rule
    /// allows 443/tcp to, instead of Datadog's public ranges. Each at most a /16.
    /// </summary>
    public required PrefixSet EndpointSubnets { get; init; }

    /// <summary>The intakes to create endpoints for.</summary>
    /// <value>Null: every intake the site offers.</value>
    public IReadOnlyList<DatadogService>? Services { get; init; }

    /// <summary>
    /// Whether agents outside Datadog's region may use the endpoints (the guide's "Enable global access"): the forwarding
    /// rules must be in Datadog's region either way.
    /// </summary>
    public bool GlobalAccess { get; init; }
}
