namespace FirewallRules.AgentConfig;

/// <summary>
/// One destination per host, port and protocol: the features that reach the same place (tracer and agent telemetry on
/// <c>instrumentation-telemetry-intake.&lt;site&gt;:443</c>, metrics and flares on a relay's <c>dd_url</c>) become one
/// destination naming each of them (<c>apm-telemetry+agent-telemetry</c>), with each purpose; a firewall, a proxy's
/// allow-list and the plan's counts see one destination. A host reached on one port both over TLS and over plain HTTP (an
/// <c>http://</c> logs URL to relay:8080 beside an <c>https://</c> one to the same relay) stays two destinations, one per scheme: a
/// proxy allows them differently (a CONNECT tunnel, a proxied plain request), and the plan shows both.
/// </summary>
internal static class DestinationMerge
{
    /// <summary>The separator between the features of a merged destination.</summary>
    public const string Separator = "+";

    /// <summary>
    /// The destinations, merged per host (case-insensitive), port and scheme, in the order each first appears. A proxy
    /// leads its group: what is sent through it to its own host and port (a <c>dd_url</c> naming the proxy) ends there.
    /// </summary>
    public static List<AgentDestination> Merge(IEnumerable<AgentDestination> destinations) =>
        [.. destinations.GroupBy(d => (Host: d.HostName.TrimEnd('.').ToLowerInvariant(), d.Port, d.Scheme)).Select(group => group.Count() == 1 ? group.First()
            : (group.FirstOrDefault(d => d.Coverage == DestinationCoverage.Proxy) ?? group.First()) with
        {
            Feature = string.Join(Separator, group.SelectMany(Features).Distinct(StringComparer.Ordinal)),
            Purpose = string.Join("; ", group.Select(d => d.Purpose).Distinct(StringComparer.Ordinal)),
        })];

    /// <summary>The features a destination serves: one, or each of a merged destination's.</summary>
    public static IEnumerable<string> Features(AgentDestination destination) => destination.Feature.Split(Separator);

    /// <summary>Whether <paramref name="destination"/> serves <paramref name="feature"/> (alone or among others).</summary>
    public static bool Serves(AgentDestination destination, string feature) =>
        Features(destination).Contains(feature, StringComparer.OrdinalIgnoreCase);
}
