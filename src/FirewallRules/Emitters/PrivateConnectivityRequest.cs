using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters;

/// <summary>
/// One rendering of a site's private connectivity, whichever its kind: the plan's inputs (each kind reads those it
/// takes), the format, the names and comments, and the values of the kind's settings (<see cref="PrivateConnectivityDescription.Settings"/>).
/// </summary>
/// <param name="Format">The format, as the registry or a whole-plan writer names it.</param>
/// <param name="Site">The site, which decides the kind.</param>
/// <param name="Name">The prefix of every name the output creates.</param>
/// <param name="Comments">Whether the output carries comments.</param>
internal sealed record PrivateConnectivityRequest(string Format, Site Site, string Name, bool Comments)
{
    /// <summary>AWS, Azure: the networks the agents send from.</summary>
    public PrefixSet AgentNetworks { get; init; } = PrefixSet.Empty;

    /// <summary>AWS, Google Cloud: the subnets the endpoints are in.</summary>
    public PrefixSet EndpointSubnets { get; init; } = PrefixSet.Empty;

    /// <summary>Only these intakes; null: all.</summary>
    public IReadOnlyList<DatadogService>? Services { get; init; }

    /// <summary>AWS: how the agents reach the endpoints.</summary>
    public PrivateLinkMode Mode { get; init; } = PrivateLinkMode.SameRegion;

    /// <summary>AWS: the documentation source followed where they disagree.</summary>
    public DocumentationSource? PreferredSource { get; init; }

    /// <summary>AWS: only the agents' egress rules.</summary>
    public bool AgentsOnly { get; init; }

    /// <summary>AWS: how the caller's tool renders the agents' rules alone (<see cref="PrivateLinkOptions.AgentRulesCommand"/>).</summary>
    public string? AgentRulesCommand { get; init; }

    /// <summary>Azure: the zones' records where Datadog's guides differ.</summary>
    public AzureZoneRecords? ZoneRecords { get; init; }

    /// <summary>Google Cloud: the forwarding rules' global access.</summary>
    public bool GlobalAccess { get; init; }

    /// <summary>The values given for the kind's settings.</summary>
    public SettingValues Settings { get; init; } = SettingValues.None;
}
