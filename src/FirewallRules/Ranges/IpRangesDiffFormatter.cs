using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FirewallRules.Ranges;

/// <summary>The text and JSON renderings of <see cref="IpRangesDiff"/>.</summary>
internal static class IpRangesDiffFormatter
{
    public static string ToText(IpRangesDiff diff)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"ip-ranges {Header(diff.FromVersion, diff.FromModified)} -> {Header(diff.ToVersion, diff.ToModified)}\n");
        if (diff.SectionsAdded.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"sections added: {string.Join(", ", diff.SectionsAdded)}\n");
        }

        if (diff.SectionsRemoved.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"sections removed: {string.Join(", ", diff.SectionsRemoved)}\n");
        }

        if (!diff.HasChanges)
        {
            text.Append("no change in any section\n");
        }

        foreach (IpRangesSectionDiff section in diff.Sections)
        {
            text.Append(section.Name).Append(section.IsAdded ? " (added)" : section.IsRemoved ? " (removed)" : string.Empty).Append('\n');
            AppendFamily(text, "IPv4", section.IPv4);
            AppendFamily(text, "IPv6", section.IPv6);
            foreach (LocationChange location in section.Locations)
            {
                string status = location.IsAdded ? " (added)" : location.IsRemoved ? " (removed)" : string.Empty;
                text.Append(CultureInfo.InvariantCulture, $"  location {location.Location}{status}: +{location.Added.Count} -{location.Removed.Count} prefixes\n");
                AppendPrefixes(text, "    ", location.Added, location.Removed);
            }
        }

        return text.ToString();
    }

    public static string ToJson(IpRangesDiff diff)
    {
        var dto = new IpRangesDiffDto(
            new DocumentHeaderDto(diff.FromVersion, diff.FromModified),
            new DocumentHeaderDto(diff.ToVersion, diff.ToModified),
            [.. diff.SectionsAdded],
            [.. diff.SectionsRemoved],
            [.. diff.Sections.Select(s => new SectionDiffDto(
                s.Name,
                Status(s.IsAdded, s.IsRemoved),
                ToDto(s.IPv4),
                ToDto(s.IPv6),
                [.. s.Locations.Select(l => new LocationChangeDto(l.Location, Status(l.IsAdded, l.IsRemoved), Strings(l.Added), Strings(l.Removed)))]))]);
        return JsonSerializer.Serialize(dto, IpRangesDiffJsonContext.Default.IpRangesDiffDto);
    }

    private static void AppendFamily(StringBuilder text, string family, PrefixChange change)
    {
        if (!change.HasListChanges && !change.HasAddressChanges)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"  {family}: listed +{change.ListedAdded.Count} -{change.ListedRemoved.Count}; ");
        text.Append(change.HasAddressChanges
            ? string.Create(CultureInfo.InvariantCulture,
                $"aggregated +{change.Added.Count} -{change.Removed.Count} prefixes (+{Addresses(change.Added)} -{Addresses(change.Removed)} addresses)\n")
            : "same addresses (the list was reshuffled)\n");
        AppendPrefixes(text, "    ", change.Added, change.Removed);
    }

    private static void AppendPrefixes(StringBuilder text, string indent, PrefixSet added, PrefixSet removed)
    {
        foreach (var prefix in added)
        {
            text.Append(indent).Append("+ ").Append(prefix.ToString()).Append('\n');
        }

        foreach (var prefix in removed)
        {
            text.Append(indent).Append("- ").Append(prefix.ToString()).Append('\n');
        }
    }

    private static string Header(long version, string modified) =>
        modified.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"version {version}")
            : string.Create(CultureInfo.InvariantCulture, $"version {version} ({modified})");

    // One family at a time, so one of the two counts is zero.
    private static UInt128 Addresses(PrefixSet set) => set.IPv4AddressCount + set.IPv6AddressCount;

    private static string Status(bool added, bool removed) => added ? "added" : removed ? "removed" : "changed";

    private static PrefixChangeDto ToDto(PrefixChange change) => new(
        Strings(change.Added), Strings(change.Removed), [.. change.ListedAdded.Select(p => p.ToString())], [.. change.ListedRemoved.Select(p => p.ToString())]);

    private static string[] Strings(PrefixSet set) => [.. set.Select(p => p.ToString())];
}
