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
    bool Quiet);
