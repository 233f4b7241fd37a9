using System.Text.Json.Serialization;

namespace FirewallRules.Fetching;

/// <summary>Source-generated (trimming- and AOT-safe) JSON metadata for the snapshot store's own files.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SnapshotState))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;

/// <summary>A site's <c>current.json</c>: which stored version is current, and the validators it was served with.</summary>
internal sealed class SnapshotState
{
    public long Version { get; set; }

    public string? ETag { get; set; }

    public DateTimeOffset? LastModified { get; set; }
}
