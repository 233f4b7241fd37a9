namespace FirewallRules.PrivateLink;

/// <summary>
/// Which A records the Azure Private Link output creates in each private DNS zone other than <c>agent.&lt;site&gt;</c>,
/// where Datadog's guides differ: the Azure guide has you add <c>*</c> only, which does not answer for the zone's own
/// name (the intake name the Agent uses), while its own <c>agent.&lt;site&gt;</c> zone and the Google Cloud guide also
/// hold the zone's own name (<c>@</c>). Nothing here picks one.
/// </summary>
public enum AzureZoneRecords
{
    /// <summary>A <c>*</c> record only, as the Azure guide's "Create a Private DNS zone" steps say.</summary>
    Wildcard,

    /// <summary><c>*</c> and the zone's own name (<c>@</c>), both to the endpoint's address.</summary>
    WildcardAndApex,
}
