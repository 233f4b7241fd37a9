namespace FirewallRules.PrivateLink;

/// <summary>A Datadog site's private connectivity offering: the cloud, the region and one endpoint per intake.</summary>
/// <remarks>Immutable and thread-safe. Get one from <see cref="PrivateLinkCatalog.For"/>.</remarks>
public sealed class PrivateConnectivity
{
    internal PrivateConnectivity(Site site, PrivateConnectivityKind kind, string region, string? crossRegionLabel, IReadOnlyList<PrivateEndpoint> endpoints)
    {
        Site = site;
        Kind = kind;
        Region = region;
        CrossRegionLabel = crossRegionLabel;
        Endpoints = endpoints;
    }

    /// <summary>The Datadog site.</summary>
    public Site Site { get; }

    /// <summary>Which kind of private connectivity.</summary>
    public PrivateConnectivityKind Kind { get; }

    /// <summary>The cloud region the endpoints are offered in, e.g. <c>us-east-1</c>, <c>westus2</c> or <c>europe-west3</c>.</summary>
    public string Region { get; }

    /// <summary>
    /// AWS only: how the console names the service region when creating a cross-region endpoint, e.g.
    /// <c>US East (N.Virginia) (us-east-1)</c>; null where the documentation does not describe cross-region endpoints.
    /// </summary>
    public string? CrossRegionLabel { get; }

    /// <summary>Whether the documentation describes cross-region endpoints for this site (AWS only).</summary>
    public bool SupportsCrossRegion => CrossRegionLabel is not null;

    /// <summary>The endpoints, in the documentation's order.</summary>
    public IReadOnlyList<PrivateEndpoint> Endpoints { get; }

    /// <summary>The name of <see cref="Kind"/>, e.g. <c>AWS PrivateLink</c>.</summary>
    public string KindName => NameOf(Kind);

    /// <summary>The name of a kind of private connectivity, e.g. <c>Azure Private Link</c>.</summary>
    internal static string NameOf(PrivateConnectivityKind kind) => kind switch
    {
        PrivateConnectivityKind.AwsPrivateLink => "AWS PrivateLink",
        PrivateConnectivityKind.AzurePrivateLink => "Azure Private Link",
        _ => "Google Cloud Private Service Connect",
    };

    /// <summary>The endpoint of <paramref name="service"/>, or null when the site offers none.</summary>
    public PrivateEndpoint? Find(DatadogService service) => Endpoints.FirstOrDefault(e => e.Service == service);

    /// <summary>For example <c>AWS PrivateLink in us-east-1</c>.</summary>
    public override string ToString() => $"{KindName} in {Region}";
}
