using System.Text.Json.Serialization;

namespace FirewallRules.Notices;

/// <summary>Source-generated (trimming- and AOT-safe) JSON metadata for the outbox's own file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NoticedVersion))]
internal sealed partial class NoticeJsonContext : JsonSerializerContext;

/// <summary><c>noticed.json</c>: the version last turned into a notice, and that notice's sequence number.</summary>
internal sealed class NoticedVersion
{
    public long Version { get; set; }

    public long Sequence { get; set; }
}
