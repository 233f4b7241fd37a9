using System.Text.Json.Serialization;

namespace FirewallRules.Ranges;

/// <summary>Source-generated (trimming- and AOT-safe) JSON metadata for <see cref="IpRangesDiff.ToJson"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IpRangesDiffDto))]
internal sealed partial class IpRangesDiffJsonContext : JsonSerializerContext;

internal sealed record IpRangesDiffDto(
    DocumentHeaderDto From, DocumentHeaderDto To, string[] SectionsAdded, string[] SectionsRemoved, SectionDiffDto[] Sections);

internal sealed record DocumentHeaderDto(long Version, string Modified);

internal sealed record SectionDiffDto(string Name, string Status, PrefixChangeDto Ipv4, PrefixChangeDto Ipv6, LocationChangeDto[] Locations);

internal sealed record PrefixChangeDto(string[] Added, string[] Removed, string[] ListedAdded, string[] ListedRemoved);

internal sealed record LocationChangeDto(string Location, string Status, string[] Added, string[] Removed);
