using System.Text.Json.Serialization;

namespace FirewallRules.PrivateLink;

/// <summary>Source-generated (trimming- and AOT-safe) JSON metadata for the embedded <c>privatelink.json</c>.</summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false)]
[JsonSerializable(typeof(PrivateLinkDataDto))]
internal sealed partial class PrivateLinkJsonContext : JsonSerializerContext;

/// <summary>The parts of <c>data/privatelink.json</c> the catalog reads; the rest (site list, descriptions) is ignored.</summary>
internal sealed class PrivateLinkDataDto
{
    [JsonPropertyName("sources")]
    public Dictionary<string, SourceDto>? Sources { get; set; }

    [JsonPropertyName("aws_privatelink")]
    public Dictionary<string, AwsSiteDto>? AwsPrivateLink { get; set; }

    [JsonPropertyName("aws_privatelink_unsupported_sites")]
    public List<string>? AwsUnsupportedSites { get; set; }

    [JsonPropertyName("azure_private_link")]
    public Dictionary<string, OtherCloudSiteDto>? AzurePrivateLink { get; set; }

    [JsonPropertyName("gcp_private_service_connect")]
    public Dictionary<string, OtherCloudSiteDto>? GcpPrivateServiceConnect { get; set; }

    [JsonPropertyName("notes")]
    public List<string>? Notes { get; set; }
}

internal sealed class SourceDto
{
    [JsonPropertyName("repository")]
    public string? Repository { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("commit")]
    public string? Commit { get; set; }
}

internal sealed class AwsSiteDto
{
    [JsonPropertyName("aws_region")]
    public string? Region { get; set; }

    [JsonPropertyName("cross_region_label")]
    public string? CrossRegionLabel { get; set; }

    [JsonPropertyName("services")]
    public Dictionary<string, AwsServiceDto>? Services { get; set; }

    /// <summary>A source key, possibly followed by a remark: <c>vpc_endpoint_table (core services picked ...)</c>.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }
}

internal sealed class AwsServiceDto
{
    [JsonPropertyName("label")]
    public string? Label { get; set; }

    [JsonPropertyName("service_name")]
    public string? ServiceName { get; set; }

    [JsonPropertyName("private_dns_name")]
    public string? PrivateDnsName { get; set; }
}

/// <summary>An Azure Private Link or Google Cloud PSC site: the same shape, with a region and target named per cloud.</summary>
internal sealed class OtherCloudSiteDto
{
    [JsonPropertyName("azure_region")]
    public string? AzureRegion { get; set; }

    [JsonPropertyName("gcp_region")]
    public string? GcpRegion { get; set; }

    [JsonPropertyName("services")]
    public List<OtherCloudServiceDto>? Services { get; set; }
}

internal sealed class OtherCloudServiceDto
{
    [JsonPropertyName("label")]
    public string? Label { get; set; }

    [JsonPropertyName("service_alias")]
    public string? ServiceAlias { get; set; }

    [JsonPropertyName("psc_target")]
    public string? PscTarget { get; set; }

    [JsonPropertyName("private_dns_name")]
    public string? PrivateDnsName { get; set; }
}
