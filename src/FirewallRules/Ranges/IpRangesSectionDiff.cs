namespace FirewallRules.Ranges;

/// <summary>How one section changed between two documents, per address family, and per location for sections that list locations.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class IpRangesSectionDiff
{
    private IpRangesSectionDiff(string name, bool isAdded, bool isRemoved, PrefixChange ipv4, PrefixChange ipv6, IReadOnlyList<LocationChange> locations)
    {
        Name = name;
        IsAdded = isAdded;
        IsRemoved = isRemoved;
        IPv4 = ipv4;
        IPv6 = ipv6;
        Locations = locations;
    }

    /// <summary>The section's key, e.g. <c>logs</c>.</summary>
    public string Name { get; }

    /// <summary>The known section this is, or null for a section this library does not know.</summary>
    public Section? KnownSection => Sections.TryParse(Name, out Section known) && Sections.GetName(known) == Name ? known : null;

    /// <summary>Whether only the newer document has the section (everything in it counts as added).</summary>
    public bool IsAdded { get; }

    /// <summary>Whether only the older document has the section (everything in it counts as removed).</summary>
    public bool IsRemoved { get; }

    /// <summary>The IPv4 changes.</summary>
    public PrefixChange IPv4 { get; }

    /// <summary>The IPv6 changes.</summary>
    public PrefixChange IPv6 { get; }

    /// <summary>The locations whose prefixes changed, by key (ordinal order); empty for sections without locations.</summary>
    public IReadOnlyList<LocationChange> Locations { get; }

    /// <summary>Whether any address of the section was added or removed (either family).</summary>
    public bool HasAddressChanges => IPv4.HasAddressChanges || IPv6.HasAddressChanges;

    /// <summary>Compares a section of two documents; null when nothing about it changed.</summary>
    internal static IpRangesSectionDiff? Between(string name, IpRangesSection? older, IpRangesSection? newer)
    {
        PrefixChange ipv4 = IpRangesSection.CompareIPv4(older, newer);
        PrefixChange ipv6 = IpRangesSection.CompareIPv6(older, newer);
        LocationChange[] locations = CompareLocations(
            older?.PrefixesByLocation ?? new Dictionary<string, PrefixSet>(), newer?.PrefixesByLocation ?? new Dictionary<string, PrefixSet>());
        bool changed = older is null || newer is null || ipv4.HasListChanges || ipv4.HasAddressChanges
            || ipv6.HasListChanges || ipv6.HasAddressChanges || locations.Length > 0;
        return changed ? new IpRangesSectionDiff(name, older is null, newer is null, ipv4, ipv6, locations) : null;
    }

    private static LocationChange[] CompareLocations(IReadOnlyDictionary<string, PrefixSet> older, IReadOnlyDictionary<string, PrefixSet> newer)
    {
        var changes = new List<LocationChange>();
        foreach (string location in older.Keys.Union(newer.Keys).Order(StringComparer.Ordinal))
        {
            bool inOlder = older.TryGetValue(location, out PrefixSet? before);
            bool inNewer = newer.TryGetValue(location, out PrefixSet? after);
            before ??= PrefixSet.Empty;
            after ??= PrefixSet.Empty;
            PrefixSet added = after.Except(before);
            PrefixSet removed = before.Except(after);
            if (!inOlder || !inNewer || !added.IsEmpty || !removed.IsEmpty)
            {
                changes.Add(new LocationChange(location, isAdded: !inOlder, isRemoved: !inNewer, added, removed));
            }
        }

        return [.. changes];
    }
}
