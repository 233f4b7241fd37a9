namespace FirewallRules.PrivateLink;

/// <summary>What to build for Azure Private Link to a Datadog site; <see cref="AzurePrivateLinkPlan.Create"/> checks it.</summary>
public sealed class AzurePrivateLinkOptions
{
    /// <summary>The Datadog site: one that offers Azure Private Link (US3, in westus2).</summary>
    public required Site Site { get; init; }

    /// <summary>
    /// The networks the agents send from: the only sources the endpoints' network security group accepts 443/tcp from.
    /// At most /8 (IPv4) or /16 (IPv6) each.
    /// </summary>
    public required PrefixSet AgentNetworks { get; init; }

    /// <summary>The intakes to create private endpoints for.</summary>
    /// <value>Null: every intake the site offers.</value>
    public IReadOnlyList<DatadogService>? Services { get; init; }

    /// <summary>The A records of the zones other than <c>agent.&lt;site&gt;</c>, where Datadog's guides differ (see <see cref="AzureZoneRecords"/>).</summary>
    /// <value>Null: refused when such a zone is needed, rather than guessed.</value>
    public AzureZoneRecords? ZoneRecords { get; init; }
}
