namespace FirewallRules.PrivateLink;

/// <summary>A private DNS zone the Azure and Google Cloud guides have you create, and its A records.</summary>
/// <param name="DnsName">The zone: a private DNS name of the published services table.</param>
/// <param name="Records">Each record's relative name (<c>@</c> for the zone's own name, <c>*</c>, <c>trace</c>) and the key of the endpoint whose address it holds.</param>
internal sealed record PrivateZone(string DnsName, IReadOnlyList<(string Name, string EndpointKey)> Records)
{
    /// <summary>
    /// The zones for <paramref name="endpoints"/>: one per private DNS name. The metrics and traces intakes share
    /// <c>agent.&lt;site&gt;</c>, whose records both guides list: the zone's own name and <c>*</c> (the Agent's versioned
    /// <c>&lt;version&gt;-app.agent.</c> names) to metrics, <c>trace</c> to traces. Every other zone gets
    /// <paramref name="otherRecords"/>.
    /// </summary>
    public static IReadOnlyList<PrivateZone> For(IReadOnlyList<InterfaceEndpoint> endpoints, IReadOnlyList<string> otherRecords) =>
        endpoints
            .SelectMany(e => e.Serves.Select(s => (Dns: s.PrivateDnsName, s.Service, e.Key)))
            .Distinct()
            .GroupBy(x => x.Dns, StringComparer.Ordinal)
            .Select(zone => new PrivateZone(zone.Key, [.. zone
                .SelectMany(x => x.Service switch
                {
                    DatadogService.Metrics when IsAgentZone(zone.Key) => new[] { ("@", x.Key), ("*", x.Key) },
                    DatadogService.Traces when IsAgentZone(zone.Key) => [("trace", x.Key)],
                    _ => otherRecords.Select(name => (name, x.Key)).ToArray(),
                })
                .Distinct()]))
            .ToArray();

    // The zone the guides name for metrics and traces together: agent.<site>.
    private static bool IsAgentZone(string dnsName) => dnsName.StartsWith("agent.", StringComparison.Ordinal);
}
