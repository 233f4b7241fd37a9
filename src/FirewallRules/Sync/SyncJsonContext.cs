using System.Text.Json.Serialization;

namespace FirewallRules.Sync;

/// <summary>Source-generated (trimming- and AOT-safe) JSON metadata for the sync state file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SyncState))]
internal sealed partial class SyncJsonContext : JsonSerializerContext;
