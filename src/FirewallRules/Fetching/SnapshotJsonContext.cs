using System.Text.Json.Serialization;

namespace FirewallRules.Fetching;

/// <summary>Source-generated (trimming- and AOT-safe) JSON metadata for the snapshot store's own files.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SnapshotState))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;

/// <summary>
/// A site's <c>current.json</c>: which stored version is current, the validators it was served with, and the SHA-256 of
/// every version file as the store vetted it.
/// </summary>
internal sealed class SnapshotState
{
    public long Version { get; set; }

    public string? ETag { get; set; }

    public DateTimeOffset? LastModified { get; set; }

    /// <summary>
    /// Per stored version, the SHA-256 (lower-case hex) of its file's bytes when the store accepted it: only a file that
    /// still hashes to it is loaded. Null in a file written by fwrules 0.1.0, which recorded none (see
    /// <see cref="SnapshotStore"/> on adopting such a cache).
    /// </summary>
    public Dictionary<long, string>? Sha256 { get; set; }
}
