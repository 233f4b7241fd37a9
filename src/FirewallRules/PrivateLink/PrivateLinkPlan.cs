using System.Net;
using System.Net.Sockets;
using FirewallRules.Advice;
using FirewallRules.Rules;

namespace FirewallRules.PrivateLink;

/// <summary>
/// AWS PrivateLink to a Datadog site, checked and ready to render: the interface endpoints, and two rule sets on
/// 443/tcp only: the endpoints' security group accepts the agents' networks (<see cref="EndpointRules"/>), and the
/// agents' security group reaches the endpoints' subnets instead of Datadog's public ranges (<see cref="AgentRules"/>).
/// </summary>
/// <remarks>
/// <para>Render the rules with any AWS emitter (<c>plan.Rules.ToAwsSecurityGroup()</c>), or everything, endpoints
/// and Route 53 zones included, with <c>plan.ToCloudFormation()</c> or <c>plan.ToTerraform()</c>.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class PrivateLinkPlan
{
    internal const int WidestAgentNetworkIPv4 = 8;
    internal const int WidestAgentNetworkIPv6 = 16;

    // The largest VPC AWS allows: an endpoint subnet cannot be wider.
    internal const int WidestSubnetIPv4 = 16;
    internal const int WidestSubnetIPv6 = 44;

    // Every prefix Datadog publishes in the embedded snapshot: none may appear in PrivateLink rules.
    private static readonly Lazy<PrefixSet> DatadogPublicRanges = new(() =>
        IpRangesDocument.Embedded.SectionList.Aggregate(PrefixSet.Empty, (all, section) => all.Union(section.Prefixes)));

    private PrivateLinkPlan(PrivateConnectivity connectivity, PrivateLinkOptions options, IReadOnlyList<PrivateEndpoint> endpoints)
    {
        Connectivity = connectivity;
        Mode = options.Mode;
        PreferredSource = options.PreferredSource;
        Endpoints = endpoints;
        AgentNetworks = options.AgentNetworks;
        EndpointSubnets = options.EndpointSubnets;
        AgentRulesCommand = options.AgentRulesCommand;
        string site = connectivity.Site.Name.ToLowerInvariant();
        string ingress = $"privatelink-{site}:agent-networks";
        string egress = $"privatelink-{site}:endpoint-subnets";
        var provenance = new RuleSetProvenance(connectivity.Site, null, null, [ingress, egress], IsEmbeddedSnapshot: false);
        var accept = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, AgentNetworks, [ingress]);
        var reach = new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, EndpointSubnets, [egress]);
        EndpointRules = RuleSet.Create([accept], provenance with { Sections = [ingress] });
        AgentRules = RuleSet.Create([reach], provenance with { Sections = [egress] });
        Rules = RuleSet.Create([accept, reach], provenance);
    }

    /// <summary>The site's AWS PrivateLink offering: site, region and every endpoint.</summary>
    public PrivateConnectivity Connectivity { get; }

    /// <summary>The Datadog site.</summary>
    public Site Site => Connectivity.Site;

    /// <summary>Datadog's region for the site, e.g. <c>us-east-1</c>: where the endpoint services are.</summary>
    public string Region => Connectivity.Region;

    /// <summary>How the agents reach the endpoints.</summary>
    public PrivateLinkMode Mode { get; }

    /// <summary>The source followed where the documentation disagrees; null when none was chosen.</summary>
    public DocumentationSource? PreferredSource { get; }

    /// <summary>The selected endpoints, in the catalog's order, with every documented value.</summary>
    public IReadOnlyList<PrivateEndpoint> Endpoints { get; }

    /// <summary>The agents' networks, as given.</summary>
    public PrefixSet AgentNetworks { get; }

    /// <summary>The endpoints' subnets, as given.</summary>
    public PrefixSet EndpointSubnets { get; }

    /// <summary>The endpoints' security group: ingress on 443/tcp from <see cref="AgentNetworks"/> only.</summary>
    public RuleSet EndpointRules { get; }

    /// <summary>The agents' security group: egress on 443/tcp to <see cref="EndpointSubnets"/> only.</summary>
    public RuleSet AgentRules { get; }

    /// <summary>How the caller's tool renders <see cref="AgentRules"/> on their own (<see cref="PrivateLinkOptions.AgentRulesCommand"/>); null when not given.</summary>
    internal string? AgentRulesCommand { get; }

    /// <summary><see cref="EndpointRules"/> and <see cref="AgentRules"/> together.</summary>
    public RuleSet Rules { get; }

    /// <summary>
    /// The rules deployed with the endpoints, in their VPC: <see cref="Rules"/> when the agents share that VPC
    /// (same-region and cross-region endpoints), only <see cref="EndpointRules"/> for a peered VPC, whose agents'
    /// group belongs in their own VPC and region (render <see cref="AgentRules"/> there).
    /// </summary>
    public RuleSet EndpointVpcRules => Mode == PrivateLinkMode.PeeredVpc ? EndpointRules : Rules;

    /// <summary>Checks <paramref name="options"/> and plans the endpoints and rules.</summary>
    /// <exception cref="RuleGenerationException">
    /// The site offers no AWS PrivateLink (the message names the sites that do, and the Azure and Google Cloud
    /// alternatives), or does not document cross-region endpoints; no agent network or endpoint subnet was given, or one
    /// is too wide or overlaps Datadog's public ranges; a service is not offered or none is selected.
    /// </exception>
    public static PrivateLinkPlan Create(PrivateLinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Site);
        ArgumentNullException.ThrowIfNull(options.AgentNetworks);
        ArgumentNullException.ThrowIfNull(options.EndpointSubnets);
        PrivateConnectivity offering = Offering(options.Site, PrivateConnectivityKind.AwsPrivateLink);

        if (options.Mode == PrivateLinkMode.CrossRegion && !offering.SupportsCrossRegion)
        {
            string documented = string.Join(", ", PrivateLinkCatalog.All.Where(o => o.SupportsCrossRegion).Select(o => o.Site.Name));
            throw new RuleGenerationException(
                $"Datadog documents cross-region endpoints for {documented}, not for {offering.Site.Name}: use same-region endpoints in {offering.Region}, or VPC peering");
        }

        CheckNetworks(
            options.AgentNetworks, "agent network", SettingNames.Of<PrivateLinkOptions>(nameof(PrivateLinkOptions.AgentNetworks)),
            WidestAgentNetworkIPv4, WidestAgentNetworkIPv6,
            "the endpoints would accept nearly anyone: name the agents' own networks");
        CheckNetworks(
            options.EndpointSubnets, "endpoint subnet", SettingNames.Of<PrivateLinkOptions>(nameof(PrivateLinkOptions.EndpointSubnets)),
            WidestSubnetIPv4, WidestSubnetIPv6,
            "no VPC subnet is that large: name the subnets the endpoints are in");
        return new PrivateLinkPlan(offering, options, SelectEndpoints(offering, options.Services));
    }

    /// <summary>
    /// The interface endpoints to create: one per distinct endpoint service (two intakes may share one), each with the
    /// private DNS names it serves, where the sources disagree the value from <see cref="PreferredSource"/>.
    /// </summary>
    /// <exception cref="RuleGenerationException">Sources disagree and no source was preferred, or two services claim one DNS name.</exception>
    internal IReadOnlyList<InterfaceEndpoint> ResolveInterfaceEndpoints()
    {
        PrivateEndpoint[] undecided = Endpoints
            .Where(e => e.SourcesDisagree && (PreferredSource is not DocumentationSource preferred || e.From(preferred) is null))
            .ToArray();
        if (undecided.Length > 0)
        {
            throw new RuleGenerationException(
                $"Datadog's documentation sources disagree on the endpoint service for {string.Join("; ", undecided.Select(Disagreement))}. " +
                "Refusing to guess",
                new SettingAdvice(
                    "check with 'aws ec2 describe-vpc-endpoint-services --service-names NAME', then choose a source with {0} (the newer) or {1}, or leave those services out",
                    SettingNames.Of<PrivateLinkOptions, DocumentationSource>(nameof(PreferredSource), DocumentationSource.EndpointTable),
                    SettingNames.Of<PrivateLinkOptions, DocumentationSource>(nameof(PreferredSource), DocumentationSource.RegionsConfig)));
        }

        var chosen = Endpoints.Select(e => (Endpoint: e, Value: e.SourcesDisagree ? e.From(PreferredSource!.Value)! : e.Documented[0])).ToArray();
        InterfaceEndpoint[] interfaces = chosen
            .GroupBy(c => c.Value.Target, StringComparer.Ordinal)
            .Select(g => new InterfaceEndpoint(
                string.Join("-", g.Select(c => PrivateLinkCatalog.GetKey(c.Endpoint.Service!.Value))),
                g.Key,
                [.. g.Select(c => c.Endpoint)],
                [.. g.Select(c => c.Value.PrivateDnsName).Distinct(StringComparer.Ordinal)],
                [.. g.Select(c => c.Value.Source).Distinct()],
                [.. g.Where(c => c.Endpoint.SourcesDisagree).Select(c => Choice(c.Endpoint, c.Value))]))
            .ToArray();
        if (interfaces.SelectMany(i => i.PrivateDnsNames.Select(name => (Name: name, i.ServiceName))).GroupBy(n => n.Name).FirstOrDefault(n => n.Count() > 1) is { } clash)
        {
            throw new RuleGenerationException(
                $"{clash.Key} would be served by two endpoint services ({string.Join(", ", clash.Select(c => c.ServiceName))}): its DNS cannot point at both");
        }

        return interfaces;
    }

    /// <summary>What <paramref name="site"/> offers, when it is <paramref name="kind"/>.</summary>
    /// <exception cref="RuleGenerationException">It offers something else or nothing: the message names who offers what.</exception>
    internal static PrivateConnectivity Offering(Site site, PrivateConnectivityKind kind)
    {
        PrivateConnectivity? offering = PrivateLinkCatalog.For(site);
        return offering is { } found && found.Kind == kind
            ? found
            : throw new RuleGenerationException(
                $"{site} does not offer {PrivateConnectivity.NameOf(kind)}{(offering is null ? string.Empty : $": it offers {offering} instead")}. " +
                $"Private connectivity by site: {PrivateLinkCatalog.DescribeOfferings()}.");
    }

    /// <summary>
    /// One endpoint per distinct target of <paramref name="endpoints"/> (single-source offerings: Azure, Google Cloud),
    /// with the intakes and private DNS names it serves.
    /// </summary>
    internal static IReadOnlyList<InterfaceEndpoint> Group(IReadOnlyList<PrivateEndpoint> endpoints) =>
        [.. endpoints
            .GroupBy(e => e.Target, StringComparer.Ordinal)
            .Select(g => new InterfaceEndpoint(
                string.Join("-", g.Where(e => e.Service is not null).Select(e => PrivateLinkCatalog.GetKey(e.Service!.Value))),
                g.Key,
                [.. g],
                [.. g.Select(e => e.PrivateDnsName).Distinct(StringComparer.Ordinal)],
                [.. g.Select(e => e.Source).Distinct()],
                []))];

    private static string Disagreement(PrivateEndpoint endpoint) =>
        $"{PrivateLinkCatalog.GetKey(endpoint.Service!.Value)} " +
        $"({string.Join(" vs ", endpoint.Documented.Select(d => $"{PrivateLinkCatalog.ShortName(d.Source)}: {d.Target} for {d.PrivateDnsName}"))})";

    private static string Choice(PrivateEndpoint endpoint, DocumentedEndpoint chosen) =>
        $"{endpoint.Label}: Datadog's documentation sources disagree; " +
        $"this uses {chosen.Target} ({chosen.PrivateDnsName}) from {PrivateLinkCatalog.ShortName(chosen.Source)} as asked; " +
        string.Join("; ", endpoint.Documented.Where(d => d != chosen).Select(d => $"{PrivateLinkCatalog.ShortName(d.Source)} lists {d.Target} ({d.PrivateDnsName})")) + ".";

    internal static PrivateEndpoint[] SelectEndpoints(PrivateConnectivity offering, IReadOnlyList<DatadogService>? services)
    {
        if (services is null)
        {
            return [.. offering.Endpoints];
        }

        if (services.Count == 0)
        {
            throw new RuleGenerationException("no service was selected: name at least one (logs-agent, api, metrics, ...), or none for all");
        }

        return [.. services.Distinct().Select(service => offering.Find(service) ?? throw new RuleGenerationException(
            $"{offering.Site.Name} offers no PrivateLink endpoint for {PrivateLinkCatalog.GetKey(service)}"))
            .OrderBy(e => e.Service)];
    }

    internal static void CheckNetworks(PrefixSet networks, string what, string setting, int widestIPv4, int widestIPv6, string why)
    {
        if (networks.IsEmpty)
        {
            throw new RuleGenerationException($"no {what} was given, and an allow-list of nothing is refused",
                new SettingAdvice("name at least one with {0}", setting));
        }

        foreach (IPNetwork network in networks)
        {
            int widest = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? widestIPv4 : widestIPv6;
            if (network.PrefixLength < widest)
            {
                throw new RuleGenerationException($"{what} {network} is wider than /{widest}: {why}");
            }
        }

        // Only private paths belong here: a public Datadog range would send the traffic around PrivateLink.
        PrefixSet overlap = networks.Intersect(DatadogPublicRanges.Value);
        if (!overlap.IsEmpty)
        {
            throw new RuleGenerationException(
                $"{what} {overlap.First()} overlaps Datadog's public ranges ({IpRangesDocument.Embedded}): PrivateLink rules never allow those");
        }
    }
}

/// <summary>One VPC interface endpoint to create: an endpoint service and the intakes and DNS names it serves.</summary>
/// <param name="Key">The served intakes' keys joined, for names: <c>api</c>, <c>logs-agent-logs-user</c>.</param>
/// <param name="ServiceName">The endpoint service, e.g. <c>com.amazonaws.vpce.us-east-1.vpce-svc-...</c>.</param>
/// <param name="Serves">The intakes it serves.</param>
/// <param name="PrivateDnsNames">Their private DNS names: one private hosted zone each when DNS is set up by hand.</param>
/// <param name="Sources">Where the service name used is documented.</param>
/// <param name="Choices">For intakes whose sources disagree: which value was used, and what the other source says.</param>
internal sealed record InterfaceEndpoint(
    string Key, string ServiceName, IReadOnlyList<PrivateEndpoint> Serves, IReadOnlyList<string> PrivateDnsNames, IReadOnlyList<DocumentationSource> Sources,
    IReadOnlyList<string> Choices);
