using System.Text.Json;
using System.Text.Json.Serialization;

namespace FirewallRules.Ranges;

/// <summary>Source-generated (trimming- and AOT-safe) JSON metadata for the ip-ranges documents.</summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false)]
[JsonSerializable(typeof(IpRangesDocumentDto))]
[JsonSerializable(typeof(IpRangesSectionDto))]
internal sealed partial class IpRangesJsonContext : JsonSerializerContext;

/// <summary>The root as written: two header fields, then one object per section (kept whatever its name).</summary>
internal sealed class IpRangesDocumentDto
{
    [JsonPropertyName("version")]
    public JsonElement? Version { get; set; }

    [JsonPropertyName("modified")]
    public JsonElement? Modified { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Others { get; set; }
}

/// <summary>One section as written, also the root of a per-section document.</summary>
internal sealed class IpRangesSectionDto
{
    [JsonPropertyName("prefixes_ipv4")]
    public List<string>? PrefixesIPv4 { get; set; }

    [JsonPropertyName("prefixes_ipv6")]
    public List<string>? PrefixesIPv6 { get; set; }

    [JsonPropertyName("prefixes_ipv4_by_location")]
    public Dictionary<string, List<string>>? PrefixesIPv4ByLocation { get; set; }

    [JsonPropertyName("prefixes_ipv6_by_location")]
    public Dictionary<string, List<string>>? PrefixesIPv6ByLocation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Others { get; set; }
}
