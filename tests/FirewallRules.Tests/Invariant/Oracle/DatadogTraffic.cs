using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Invariant.Oracle;

/// <summary>
/// What Datadog's network documentation says each ip-ranges section is for, as the proofs' oracle reads it (never the library's
/// <c>SectionTraffic</c>): the sources Datadog connects from (webhooks, synthetics) reach your endpoints, the other sections are
/// reached from your hosts; every section on 443/tcp, logs also on 10516/tcp (logs over TCP), remote-configuration also on
/// 8042/tcp (Agent 7.80 and later).
/// </summary>
internal static class DatadogTraffic
{
    private static readonly string[] Ingress = ["webhooks", "synthetics"];

    /// <summary>Whether the section's documented traffic is from your hosts to it (else from it to your endpoints).</summary>
    public static bool Egress(string section) => !Ingress.Contains(section);

    /// <summary>The section's documented TCP ports.</summary>
    public static int[] Ports(string section) => section switch
    {
        "logs" => [443, 10516],
        "remote-configuration" => [443, 8042],
        _ => [443],
    };

    /// <summary>The keys of a document's sections: the objects with a <c>prefixes_ipv4</c> list.</summary>
    public static string[] Sections(JsonObject document) =>
        [.. document.Where(p => p.Value is JsonObject o && o.ContainsKey("prefixes_ipv4")).Select(p => p.Key)];

    /// <summary>A section's prefixes as the document writes them (both families; duplicates and all), read from its JSON alone.</summary>
    public static IReadOnlyList<string> Prefixes(JsonObject document, string section) =>
        [.. new[] { "prefixes_ipv4", "prefixes_ipv6" }.SelectMany(key => document[section]?[key]?.AsArray() ?? []).Select(p => p!.GetValue<string>())];

    /// <summary>A section's addresses, read from the document's JSON alone.</summary>
    public static AddressSet Addresses(JsonObject document, string section) => AddressSet.Of(Prefixes(document, section));
}
