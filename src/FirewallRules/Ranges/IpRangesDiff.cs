using FirewallRules.Ranges;
namespace FirewallRules;

/// <summary>
/// What changed from one ip-ranges document to another: version and modification time, sections added and
/// removed, and per section, per address family, the prefixes added and removed, both as listed and
/// aggregated (so a reshuffle that changes no address shows as no address change), and per location.
/// </summary>
/// <remarks>
/// Made by <see cref="IpRangesDocument.DiffTo(IpRangesDocument)"/>. Applying it to the older document gives
/// the newer: for every section, older addresses minus <see cref="PrefixChange.Removed"/> plus
/// <see cref="PrefixChange.Added"/>. Immutable and thread-safe.
/// </remarks>
public sealed class IpRangesDiff
{
    private IpRangesDiff(IpRangesDocument from, IpRangesDocument to, IReadOnlyList<IpRangesSectionDiff> sections)
    {
        FromVersion = from.Version;
        ToVersion = to.Version;
        FromModified = from.ModifiedStamp ?? string.Empty;
        ToModified = to.ModifiedStamp ?? string.Empty;
        Sections = sections;
        SectionsAdded = [.. sections.Where(s => s.IsAdded).Select(s => s.Name)];
        SectionsRemoved = [.. sections.Where(s => s.IsRemoved).Select(s => s.Name)];
    }

    /// <summary>The older document's version (the one <see cref="IpRangesDocument.DiffTo(IpRangesDocument)"/> was called on).</summary>
    public long FromVersion { get; }

    /// <summary>The newer document's version.</summary>
    public long ToVersion { get; }

    /// <summary>The older document's <c>modified</c> text; empty when absent or in no recognised format (see <see cref="IpRangesDocument.Modified"/>).</summary>
    public string FromModified { get; }

    /// <summary>The newer document's <c>modified</c> text; empty when absent or in no recognised format.</summary>
    public string ToModified { get; }

    /// <summary>Every section that changed in any way (added, removed, list, addresses or locations), by key in ordinal order.</summary>
    public IReadOnlyList<IpRangesSectionDiff> Sections { get; }

    /// <summary>The keys of the sections only the newer document has.</summary>
    public IReadOnlyList<string> SectionsAdded { get; }

    /// <summary>The keys of the sections only the older document has.</summary>
    public IReadOnlyList<string> SectionsRemoved { get; }

    /// <summary>Whether any section changed in any way. Version and <c>modified</c> are not considered.</summary>
    public bool HasChanges => Sections.Count > 0;

    /// <summary>Whether any section's addresses changed; false when the documents only list the same addresses differently.</summary>
    public bool HasAddressChanges => Sections.Any(s => s.HasAddressChanges);

    internal static IpRangesDiff Between(IpRangesDocument from, IpRangesDocument to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        Dictionary<string, IpRangesSection> older = from.SectionList.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Dictionary<string, IpRangesSection> newer = to.SectionList.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var sections = new List<IpRangesSectionDiff>();
        foreach (string name in older.Keys.Union(newer.Keys).Order(StringComparer.Ordinal))
        {
            if (IpRangesSectionDiff.Between(name, older.GetValueOrDefault(name), newer.GetValueOrDefault(name)) is { } changed)
            {
                sections.Add(changed);
            }
        }

        return new IpRangesDiff(from, to, sections);
    }

    /// <summary>A report for people: one line per family that changed, then the aggregated prefixes added (<c>+</c>) and removed (<c>-</c>).</summary>
    public string ToText() => IpRangesDiffFormatter.ToText(this);

    /// <summary>
    /// The diff as indented JSON (<c>from</c>, <c>to</c>, <c>sectionsAdded</c>, <c>sectionsRemoved</c>, and
    /// <c>sections</c> with <c>ipv4</c>/<c>ipv6</c> objects holding <c>added</c>, <c>removed</c>,
    /// <c>listedAdded</c>, <c>listedRemoved</c>, and <c>locations</c>), for scripts.
    /// </summary>
    public string ToJson() => IpRangesDiffFormatter.ToJson(this);

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();
}
