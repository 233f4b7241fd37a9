namespace FirewallRules.PrivateLink;

/// <summary>What to build for AWS PrivateLink to a Datadog site; <see cref="PrivateLinkPlan.Create"/> checks it.</summary>
public sealed class PrivateLinkOptions
{
    /// <summary>The Datadog site: one that offers AWS PrivateLink (<see cref="PrivateLinkCatalog.AwsPrivateLinkSites"/>).</summary>
    public required Site Site { get; init; }

    /// <summary>
    /// The networks the agents send from: the only sources the endpoints' security group accepts 443/tcp from. At most
    /// /8 (IPv4) or /16 (IPv6) each.
    /// </summary>
    public required PrefixSet AgentNetworks { get; init; }

    /// <summary>
    /// The subnets the interface endpoints are in: the only destinations the agents' security group allows 443/tcp to,
    /// instead of Datadog's public ranges. Each at most the size of a VPC (/16 IPv4, /44 IPv6).
    /// </summary>
    public required PrefixSet EndpointSubnets { get; init; }

    /// <summary>The intakes to create endpoints for.</summary>
    /// <value>Null: every intake the site offers.</value>
    public IReadOnlyList<DatadogService>? Services { get; init; }

    /// <summary>Where the agents are relative to Datadog's region.</summary>
    /// <value><see cref="PrivateLinkMode.SameRegion"/>.</value>
    public PrivateLinkMode Mode { get; init; } = PrivateLinkMode.SameRegion;

    /// <summary>
    /// Which documentation source to follow where Datadog's sources give different endpoint services (see
    /// <see cref="PrivateEndpoint.SourcesDisagree"/>). Only used for those endpoints.
    /// </summary>
    /// <value>
    /// Null: an endpoint whose sources disagree is refused when its service name is needed (CloudFormation, Terraform),
    /// rather than guessed. <see cref="DocumentationSource.EndpointTable"/> is the newer of the two.
    /// </value>
    public DocumentationSource? PreferredSource { get; init; }

    /// <summary>
    /// How your tool renders the agents' rules on their own, which a peered VPC's guidance tells the reader to do, e.g.
    /// <c>'mytool privatelink --agents-only'</c>: the library names no tool's command or flag of its own.
    /// </summary>
    /// <value>Null: the guidance names <see cref="PrivateLinkPlan.AgentRules"/> alone.</value>
    public string? AgentRulesCommand { get; init; }
}
