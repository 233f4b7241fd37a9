using FirewallRules.PrivateLink;

namespace FirewallRules.Cli.Commands;

/// <summary>What one <c>privatelink</c> run was asked to do, however the command line spelled it.</summary>
internal sealed record PrivateLinkRequest(
    string Format,
    Site Site,
    IReadOnlyList<string> AgentNetworks,
    IReadOnlyList<string> EndpointSubnets,
    IReadOnlyList<DatadogService>? Services,
    PrivateLinkMode Mode,
    DocumentationSource? PreferredSource,
    bool AgentsOnly,
    string Name,
    bool Comments,
    string? Output,
    bool Quiet)
{
    /// <summary>Azure: the records of the zones where Datadog's guides differ; null when not chosen.</summary>
    public AzureZoneRecords? ZoneRecords { get; init; }

    /// <summary>Google Cloud: global access and the firewall rule's network and targets.</summary>
    public GoogleCloud Gcp { get; init; } = new(false, null, [], []);

    /// <summary>The Private Service Connect settings.</summary>
    internal sealed record GoogleCloud(bool GlobalAccess, string? Network, IReadOnlyList<string> TargetTags, IReadOnlyList<string> TargetServiceAccounts);
}
