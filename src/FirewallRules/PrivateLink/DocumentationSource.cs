namespace FirewallRules.PrivateLink;

/// <summary>
/// Where a private connectivity value was documented. Each is a file of the DataDog/documentation repository;
/// <see cref="PrivateLinkCatalog.Cite"/> names the file and commit.
/// </summary>
public enum DocumentationSource
{
    /// <summary>
    /// <c>assets/scripts/config/regions.config.js</c>: the values behind the PrivateLink guide's per-site placeholders
    /// (US1, AP1 and AP2 service names and private DNS names).
    /// </summary>
    RegionsConfig,

    /// <summary>
    /// The newer "VPC Endpoint Service IDs" tables of <c>content/en/agent/guide/private-link.md</c>, one row per
    /// hostname (US1, AP2 and UK1); its commit could not be identified.
    /// </summary>
    EndpointTable,

    /// <summary><c>content/en/agent/guide/azure-private-link.md</c> (US3).</summary>
    AzureGuide,

    /// <summary><c>content/en/agent/guide/gcp-private-service-connect.md</c> (US5 and EU1).</summary>
    GcpGuide,
}
