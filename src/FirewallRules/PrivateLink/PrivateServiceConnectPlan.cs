using FirewallRules.Advice;
using FirewallRules.Rules;

namespace FirewallRules.PrivateLink;

/// <summary>
/// Google Cloud Private Service Connect to a Datadog site (US5, EU1), checked and ready to render, as Datadog's guide
/// lays it out: per published service an internal address and a forwarding rule to its service attachment, in
/// Datadog's region; a private Cloud DNS zone per private DNS name with its A records; and the agents' firewall rule
/// allowing 443/tcp to the endpoints' subnets (<see cref="Rules"/>).
/// </summary>
/// <remarks>
/// <para>Render with <c>plan.ToTerraform()</c> (hashicorp/google) or <c>plan.ToGcloud()</c>; the firewall rule alone
/// with any emitter, e.g. <c>plan.Rules.ToGcloudFirewall()</c>.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class PrivateServiceConnectPlan
{
    private PrivateServiceConnectPlan(PrivateConnectivity connectivity, PrivateServiceConnectOptions options, IReadOnlyList<PrivateEndpoint> endpoints)
    {
        Connectivity = connectivity;
        Endpoints = endpoints;
        EndpointSubnets = options.EndpointSubnets;
        GlobalAccess = options.GlobalAccess;
        string source = $"psc-{connectivity.Site.Name.ToLowerInvariant()}:endpoint-subnets";
        Rules = RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, EndpointSubnets, [source])],
            new RuleSetProvenance(connectivity.Site, null, null, [source], IsEmbeddedSnapshot: false));
    }

    /// <summary>The site's offering: site, region and every endpoint.</summary>
    public PrivateConnectivity Connectivity { get; }

    /// <summary>The Datadog site.</summary>
    public Site Site => Connectivity.Site;

    /// <summary>Datadog's region, e.g. <c>us-central1</c>: where the forwarding rules must be.</summary>
    public string Region => Connectivity.Region;

    /// <summary>The selected endpoints, in the guide's order.</summary>
    public IReadOnlyList<PrivateEndpoint> Endpoints { get; }

    /// <summary>The endpoints' subnets, as given.</summary>
    public PrefixSet EndpointSubnets { get; }

    /// <summary>Whether the forwarding rules allow global access.</summary>
    public bool GlobalAccess { get; }

    /// <summary>The agents' firewall rule: egress on 443/tcp to <see cref="EndpointSubnets"/> only.</summary>
    public RuleSet Rules { get; }

    /// <summary>Checks <paramref name="options"/> and plans the endpoints, zones and rule.</summary>
    /// <exception cref="RuleGenerationException">
    /// The site offers no Private Service Connect (the message names the sites that do, and the alternatives); no endpoint
    /// subnet was given, or one is too wide or overlaps Datadog's public ranges; a service is not offered.
    /// </exception>
    public static PrivateServiceConnectPlan Create(PrivateServiceConnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Site);
        ArgumentNullException.ThrowIfNull(options.EndpointSubnets);
        PrivateConnectivity offering = PrivateLinkPlan.Offering(options.Site, PrivateConnectivityKind.GcpPrivateServiceConnect);
        PrivateLinkPlan.CheckNetworks(
            options.EndpointSubnets, "endpoint subnet", SettingNames.Of<PrivateServiceConnectOptions>(nameof(PrivateServiceConnectOptions.EndpointSubnets)),
            PrivateLinkPlan.WidestSubnetIPv4, PrivateLinkPlan.WidestSubnetIPv6,
            "name the subnets the endpoints' addresses are reserved in");
        return new PrivateServiceConnectPlan(offering, options, PrivateLinkPlan.SelectEndpoints(offering, options.Services));
    }

    /// <summary>One endpoint (address and forwarding rule) per service attachment, with the intakes and DNS names it serves.</summary>
    internal IReadOnlyList<InterfaceEndpoint> ResolveEndpoints() => PrivateLinkPlan.Group(Endpoints);

    /// <summary>The private zones and A records, as the guide lists them: the zone's own name, and the agent zone's three.</summary>
    internal IReadOnlyList<PrivateZone> Zones() => PrivateZone.For(ResolveEndpoints(), ["@"]);
}
