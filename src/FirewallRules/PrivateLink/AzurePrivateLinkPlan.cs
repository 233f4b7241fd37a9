using FirewallRules.Advice;
using FirewallRules.Rules;

namespace FirewallRules.PrivateLink;

/// <summary>
/// Azure Private Link to a Datadog site (US3), checked and ready to render, as Datadog's guide lays it out: a private
/// endpoint per Private Link service alias (a manual connection that Datadog approves), a private DNS zone per private
/// DNS name with its A records and a link to your virtual network, and the network security group rule of the
/// endpoints' subnet accepting 443/tcp from the agents' networks only (<see cref="Rules"/>).
/// </summary>
/// <remarks>
/// <para>Render with <c>plan.ToTerraform()</c> (hashicorp/azurerm), <c>plan.ToAzureArm()</c> or <c>plan.ToBicep()</c>;
/// the NSG rules alone with any Azure emitter, e.g. <c>plan.Rules.ToAzureCli()</c>.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class AzurePrivateLinkPlan
{
    private AzurePrivateLinkPlan(PrivateConnectivity connectivity, AzurePrivateLinkOptions options, IReadOnlyList<PrivateEndpoint> endpoints)
    {
        Connectivity = connectivity;
        Endpoints = endpoints;
        AgentNetworks = options.AgentNetworks;
        ZoneRecords = options.ZoneRecords;
        string source = $"privatelink-{connectivity.Site.Name.ToLowerInvariant()}:agent-networks";

        // Azure's default AllowVnetInBound would let the whole virtual network in: the rule closes its port.
        Rules = RuleSet.Create(
            [new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, AgentNetworks, [source], closesPort: true)],
            new RuleSetProvenance(connectivity.Site, null, null, [source], IsEmbeddedSnapshot: false));
    }

    /// <summary>The site's offering: site, region and every endpoint.</summary>
    public PrivateConnectivity Connectivity { get; }

    /// <summary>The Datadog site.</summary>
    public Site Site => Connectivity.Site;

    /// <summary>The region of Datadog's Private Link services, e.g. <c>westus2</c>.</summary>
    public string Region => Connectivity.Region;

    /// <summary>The selected endpoints, in the guide's order.</summary>
    public IReadOnlyList<PrivateEndpoint> Endpoints { get; }

    /// <summary>The agents' networks, as given.</summary>
    public PrefixSet AgentNetworks { get; }

    /// <summary>The records chosen for the zones where the guides differ; null when none was chosen.</summary>
    public AzureZoneRecords? ZoneRecords { get; }

    /// <summary>The endpoints' network security group: ingress on 443/tcp from <see cref="AgentNetworks"/> only.</summary>
    public RuleSet Rules { get; }

    /// <summary>Checks <paramref name="options"/> and plans the endpoints, zones and rules.</summary>
    /// <exception cref="RuleGenerationException">
    /// The site offers no Azure Private Link (the message names the sites that do, and the alternatives); no agent network
    /// was given, or one is too wide or overlaps Datadog's public ranges; a service is not offered.
    /// </exception>
    public static AzurePrivateLinkPlan Create(AzurePrivateLinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Site);
        ArgumentNullException.ThrowIfNull(options.AgentNetworks);
        PrivateConnectivity offering = PrivateLinkPlan.Offering(options.Site, PrivateConnectivityKind.AzurePrivateLink);
        PrivateLinkPlan.CheckNetworks(
            options.AgentNetworks, "agent network", SettingNames.Of<AzurePrivateLinkOptions>(nameof(AzurePrivateLinkOptions.AgentNetworks)),
            PrivateLinkPlan.WidestAgentNetworkIPv4, PrivateLinkPlan.WidestAgentNetworkIPv6,
            "the endpoints would accept nearly anyone: name the agents' own networks");
        return new AzurePrivateLinkPlan(offering, options, PrivateLinkPlan.SelectEndpoints(offering, options.Services));
    }

    /// <summary>One private endpoint per Private Link service alias, with the intakes and DNS names it serves.</summary>
    internal IReadOnlyList<InterfaceEndpoint> ResolveEndpoints() => PrivateLinkPlan.Group(Endpoints);

    /// <summary>The private zones and their A records.</summary>
    /// <exception cref="RuleGenerationException">A zone's records are where the guides differ and <see cref="ZoneRecords"/> is not set.</exception>
    internal IReadOnlyList<PrivateZone> Zones()
    {
        IReadOnlyList<PrivateZone> zones = PrivateZone.For(ResolveEndpoints(), ZoneRecords == AzureZoneRecords.WildcardAndApex ? ["*", "@"] : ["*"]);
        PrivateZone[] undecided = ZoneRecords is null ? [.. zones.Where(z => !z.DnsName.StartsWith("agent.", StringComparison.Ordinal))] : [];
        return undecided.Length == 0 ? zones : throw new RuleGenerationException(
            $"Datadog's guides differ on the records of {string.Join(", ", undecided.Select(z => z.DnsName))}: " +
            "the Azure guide adds '*' only, which does not answer for the zone's own name " +
            "(the name the Agent connects to); its agent zone and the Google Cloud guide also hold the zone's own name. Refusing to guess",
            new SettingAdvice("choose {0}, as the Azure guide says, or {1}",
                SettingNames.Of<AzurePrivateLinkOptions, AzureZoneRecords>(nameof(AzurePrivateLinkOptions.ZoneRecords), AzureZoneRecords.Wildcard),
                SettingNames.Of<AzurePrivateLinkOptions, AzureZoneRecords>(nameof(AzurePrivateLinkOptions.ZoneRecords), AzureZoneRecords.WildcardAndApex)));
    }
}
