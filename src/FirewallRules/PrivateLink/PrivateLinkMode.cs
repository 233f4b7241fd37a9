namespace FirewallRules.PrivateLink;

/// <summary>Where the agents are relative to Datadog's PrivateLink region, which decides how the endpoints are set up.</summary>
public enum PrivateLinkMode
{
    /// <summary>
    /// The agents run in Datadog's region: interface endpoints there, with private DNS enabled, so the intake
    /// names resolve to the endpoints.
    /// </summary>
    SameRegion,

    /// <summary>
    /// The agents run in another region: cross-region interface endpoints in the agents' region (the service region
    /// set to Datadog's), with private DNS enabled. What Datadog recommends from other regions.
    /// </summary>
    CrossRegion,

    /// <summary>
    /// The agents run in a VPC peered with a VPC in Datadog's region: interface endpoints there without private DNS,
    /// and a Route 53 private hosted zone per private DNS name, holding an alias record to the endpoint and
    /// associated with both VPCs.
    /// </summary>
    PeeredVpc,
}
