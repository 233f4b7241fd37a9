using System.Text.Json;

namespace FirewallRules.Tests.PrivateLink;

/// <summary>One row of data/privatelink-vpc-endpoint-ids.csv.</summary>
internal sealed record EndpointTableRow(string Site, string Name, string? Anchor, string ServiceName);

/// <summary>
/// The raw data files (data/privatelink.json and data/privatelink-vpc-endpoint-ids.csv), read here without the library,
/// and the three disagreements data/PROVENANCE.md documents, written out by hand: what the catalog and the outputs are
/// checked against.
/// </summary>
internal static class PrivateLinkData
{
    /// <summary>The AWS sites and their regions, as PROVENANCE.md summarises them.</summary>
    public static readonly (string Site, string Region)[] AwsSites = [("us1", "us-east-1"), ("ap1", "ap-northeast-1"), ("ap2", "ap-southeast-2"), ("uk1", "eu-west-2")];

    /// <summary>The values the newer endpoint table gives where it disagrees with regions.config.js (PROVENANCE.md section 2).</summary>
    public static readonly Dictionary<(string Site, string Service), (string ServiceName, string PrivateDnsName)> TableDisagreements = new()
    {
        [("us1", "api")] = ("com.amazonaws.vpce.us-east-1.vpce-svc-07895350fd0109264", "orchid.intake.datadoghq.com"),
        [("us1", "traces")] = ("com.amazonaws.vpce.us-east-1.vpce-svc-0ee865cd1c0a7ba32", "lime.intake.datadoghq.com"),
        [("ap2", "metrics")] = ("com.amazonaws.vpce.ap-southeast-2.vpce-svc-06a30d6a016b746ff", "beige.intake.ap2.datadoghq.com"),
    };

    private static readonly Lazy<JsonDocument> Json = new(() => JsonDocument.Parse(File.ReadAllBytes(TestData.Path_("privatelink.json"))));

    public static JsonElement Root => Json.Value.RootElement;

    /// <summary>aws_privatelink.SITE.services.KEY as written: service name, private DNS name, label.</summary>
    public static IEnumerable<(string Site, string Key, string ServiceName, string PrivateDnsName, string Label)> AwsServices() =>
        Root.GetProperty("aws_privatelink").EnumerateObject().SelectMany(site => site.Value.GetProperty("services").EnumerateObject().Select(service => (
            site.Name,
            service.Name.Replace('_', '-'),
            service.Value.GetProperty("service_name").GetString()!,
            service.Value.GetProperty("private_dns_name").GetString()!,
            service.Value.GetProperty("label").GetString()!)));

    /// <summary>
    /// The service name and private DNS name an output must use for a site's service: the data file's, or where the
    /// sources disagree and the endpoint table is preferred, the table's.
    /// </summary>
    public static (string ServiceName, string PrivateDnsName) Expected(string site, string key, bool preferTable)
    {
        (string _, string _, string serviceName, string dns, string _) = AwsServices().Single(s => s.Site == site && s.Key == key);
        return preferTable && TableDisagreements.TryGetValue((site, key), out (string, string) table) ? table : (serviceName, dns);
    }

    public static IReadOnlyList<EndpointTableRow> Table() =>
        File.ReadAllLines(TestData.Path_("privatelink-vpc-endpoint-ids.csv")).Skip(1).Select(line => line.Split(','))
            .Select(f => new EndpointTableRow(f[0], f[3], f[4] == "---" ? null : f[4], f[5]))
            .ToArray();
}
