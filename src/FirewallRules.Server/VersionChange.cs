using FirewallRules.Notices;
using FirewallRules.Ranges;

namespace FirewallRules.Server;

/// <summary>How a version differs from the one stored before it: the change notice's text, and per section the aggregated prefixes and addresses added and removed.</summary>
/// <param name="FromVersion">The previous version.</param>
/// <param name="Id">The change notice's id.</param>
/// <param name="Text">The change notice's one line, as <c>serve --notify</c> posts it.</param>
/// <param name="Sections">The sections whose addresses changed.</param>
internal sealed record VersionChange(long FromVersion, string Id, string Text, IReadOnlyList<SectionChange> Sections)
{
    /// <summary>The change from <paramref name="previous"/> to <paramref name="current"/>, as the change notice states it.</summary>
    public static VersionChange Between(IpRangesDocument previous, IpRangesDocument current)
    {
        var notice = ChangeNotice.Create(previous, current);
        return new VersionChange(previous.Version, notice.Id, notice.Text, [.. notice.Sections.Select(SectionChange.Of)]);
    }
}

/// <summary>One section's change between two versions, per family, aggregated.</summary>
internal sealed record SectionChange(string Name, PrefixSet AddedIPv4, PrefixSet RemovedIPv4, PrefixSet AddedIPv6, PrefixSet RemovedIPv6)
{
    /// <summary>From a section's diff.</summary>
    public static SectionChange Of(IpRangesSectionDiff diff) =>
        new(diff.Name, diff.IPv4.Added, diff.IPv4.Removed, diff.IPv6.Added, diff.IPv6.Removed);

    /// <summary>Prefixes added, both families.</summary>
    public int PrefixesAdded => AddedIPv4.Count + AddedIPv6.Count;

    /// <summary>Prefixes removed, both families.</summary>
    public int PrefixesRemoved => RemovedIPv4.Count + RemovedIPv6.Count;
}
