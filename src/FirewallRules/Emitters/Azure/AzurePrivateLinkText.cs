using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Azure;

/// <summary>What every Azure Private Link format (Terraform, ARM, Bicep) says and asks for, so they say and ask the same.</summary>
internal static class AzurePrivateLinkText
{
    /// <summary>The input naming the endpoints' subnet.</summary>
    public const string SubnetDescription = "The subnet the private endpoints live in, usually in the network of the agents.";

    /// <summary>The input naming the virtual network the zones are linked to.</summary>
    public const string VirtualNetworkDescription = "The virtual network the private DNS zones are linked to: the agents' network.";

    /// <summary>The input holding the request message.</summary>
    public const string RequestMessageDescription = "The request message Datadog sees: the guide suggests the e-mail address of your Datadog account.";

    /// <summary>The request message unless the deployment passes another.</summary>
    public const string DefaultRequestMessage = "Datadog Private Link (FirewallRules)";

    /// <summary>How long resolvers keep the zones' A records, in seconds.</summary>
    public const int RecordTtl = 300;

    /// <summary>The input naming where the endpoints and the NSG are created.</summary>
    public static string LocationDescription(AzurePrivateLinkPlan plan) =>
        $"Where to create the private endpoints and the network security group: your virtual network's region (Datadog's services are in {plan.Region}).";

    /// <summary>The header's first line: what the output is, for <paramref name="format"/>.</summary>
    public static string Title(AzurePrivateLinkPlan plan, string format) =>
        $"Datadog over Azure Private Link for {plan.Site}: private endpoints to Datadog's services in {plan.Region}, private DNS zones. For {format}.";

    /// <summary>The endpoint's name (and its connection's): <c>{name}-{key}</c>.</summary>
    public static string EndpointName(AzureNsgOptions options, InterfaceEndpoint endpoint) => $"{options.Name}-{endpoint.Key}";

    /// <summary>A zone's link to the virtual network: <c>{name}-{zone with dashes}</c>.</summary>
    public static string LinkName(AzureNsgOptions options, PrivateZone zone) => $"{options.Name}-{zone.DnsName.Replace('.', '-')}";

    /// <summary>A record's name as a word for identifiers: <c>apex</c> for <c>@</c>, <c>wildcard</c> for <c>*</c>, else the name.</summary>
    public static string RecordWord(string record) => record switch
    {
        "@" => "apex",
        "*" => "wildcard",
        _ => record,
    };

    /// <summary>
    /// What the guide asks beyond the resources (approval, the NSG's subnet, named by <paramref name="subnet"/> as the
    /// format refers to it), the endpoints created, the zones' records and where the facts come from.
    /// </summary>
    public static IReadOnlyList<string> Guidance(AzurePrivateLinkPlan plan, IReadOnlyList<InterfaceEndpoint> endpoints, string subnet)
    {
        var lines = new List<string>
        {
            "Each endpoint stays Pending until Datadog approves it: ask Datadog Support, naming the endpoints, then check that their connection status is Approved.",
            $"Associate the network security group with the endpoints' subnet ({subnet}); " +
            "Azure applies NSG rules to private endpoints only when the subnet's private endpoint network policies are enabled.",
        };
        lines.AddRange(endpoints.Select(e =>
            $"Endpoint {e.Key}: {e.ServiceName} for {string.Join(", ", e.PrivateDnsNames)} ({string.Join(", ", e.Serves.Select(s => s.Label))})."));
        lines.Add(plan.ZoneRecords == AzureZoneRecords.WildcardAndApex
            ? "Zones hold * and their own name (@), as chosen; agent.<site> holds its own name and * for metrics and trace for traces, as the guide lists them."
            : "Zones hold *, as the Azure guide says; agent.<site> holds its own name and * for metrics and trace for traces, as the guide lists them.");
        lines.Add($"Aliases and DNS names as documented in {PrivateLinkCatalog.Cite(DocumentationSource.AzureGuide)}.");
        return lines;
    }
}
