using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Aws;

/// <summary>The sentences both PrivateLink formats write (as comments or template metadata), so they say the same.</summary>
internal static class PrivateLinkText
{
    /// <summary>What the output is, e.g. <c>Datadog AWS PrivateLink for US1 (datadoghq.com), same-region endpoints in us-east-1.</c></summary>
    public static string Title(PrivateLinkPlan plan) => plan.Mode switch
    {
        PrivateLinkMode.SameRegion => $"Datadog AWS PrivateLink for {plan.Site}: interface endpoints in {plan.Region} with private DNS.",
        PrivateLinkMode.CrossRegion => $"Datadog AWS PrivateLink for {plan.Site}: cross-region interface endpoints to {plan.Region}, with private DNS.",
        _ => $"Datadog AWS PrivateLink for {plan.Site}: interface endpoints in {plan.Region} for a peered VPC, with Route 53 private hosted zones.",
    };

    /// <summary>The mode as a word, e.g. <c>same-region</c>, for a one-line summary.</summary>
    public static string ModeName(PrivateLinkMode mode) => mode switch
    {
        PrivateLinkMode.SameRegion => "same-region",
        PrivateLinkMode.CrossRegion => "cross-region",
        _ => "peered-vpc",
    };

    /// <summary>How to deploy the output, the endpoints it creates, and anything the user must do by hand.</summary>
    public static IReadOnlyList<string> Guidance(PrivateLinkPlan plan, IReadOnlyList<InterfaceEndpoint> endpoints, string vpc, string subnets, string peer)
    {
        var lines = new List<string>();
        lines.AddRange(plan.Mode switch
        {
            PrivateLinkMode.SameRegion =>
            [
                $"Deploy in {plan.Region}, with {vpc} the agents' VPC and {subnets} the endpoints' subnets (within {string.Join(", ", plan.EndpointSubnets)}).",
                "The VPC needs enableDnsSupport and enableDnsHostnames, so that the intake names resolve to the endpoints.",
            ],
            PrivateLinkMode.CrossRegion =>
            [
                $"Deploy in the agents' region (not {plan.Region}), with {vpc} the agents' VPC and {subnets} the endpoints' subnets " +
                $"(within {string.Join(", ", plan.EndpointSubnets)}).",
                $"The endpoints reach Datadog's services in {plan.Region} across regions (service region {plan.Connectivity.CrossRegionLabel}).",
                "The VPC needs enableDnsSupport and enableDnsHostnames, so that the intake names resolve to the endpoints.",
            ],
            _ =>
            [
                $"Deploy in {plan.Region}, with {vpc} the VPC peered with the agents' VPC ({peer}) and {subnets} the endpoints' subnets " +
                $"(within {string.Join(", ", plan.EndpointSubnets)}).",
                "Private DNS is off: each private DNS name gets a private hosted zone with an alias record to its endpoint, associated with both VPCs; " +
                "both need enableDnsSupport and enableDnsHostnames.",
                "If the agents' VPC belongs to another account, authorize each zone's association first (aws route53 create-vpc-association-authorization): templates cannot.",
                $"The agents' egress rules belong in their own VPC and region: render them with {AgentRules(plan)}.",
            ],
        });
        lines.Add($"Only 443/tcp: the endpoints accept the agents' networks ({string.Join(", ", plan.AgentNetworks)}) and nothing else.");
        lines.AddRange(endpoints.Select(e =>
            $"Endpoint {e.Key}: {e.ServiceName} for {string.Join(", ", e.PrivateDnsNames)} ({string.Join(", ", e.Serves.Select(s => s.Label))})."));
        lines.AddRange(endpoints.SelectMany(e => e.Choices));
        lines.AddRange(endpoints.SelectMany(e => e.Sources).Distinct().Order()
            .Select(source => $"Endpoint services as documented in {PrivateLinkCatalog.Cite(source)}."));
        if (plan.Endpoints.Any(e => e.Service == DatadogService.LogsAgent))
        {
            lines.Add("Agents older than 6.19 or 7.19 send logs over HTTPS only with logs_config.force_use_http: true (DD_LOGS_CONFIG_FORCE_USE_HTTP=true).");
        }

        return lines;
    }

    // The caller's command names its own flag; the library names only its API.
    private static string AgentRules(PrivateLinkPlan plan) =>
        plan.AgentRulesCommand is string command
            ? $"{command} ({nameof(PrivateLinkPlan)}.{nameof(PrivateLinkPlan.AgentRules)})"
            : $"{nameof(PrivateLinkPlan)}.{nameof(PrivateLinkPlan.AgentRules)}";
}
