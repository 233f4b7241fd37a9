using FirewallRules.Fetching;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// What the cache vouches for: every prefix a vetted document of the cache published (a version the snapshot store accepted, whose
/// file still hashes to the SHA-256 it recorded then) in the sections the sync publishes: another section's prefix (a webhook's address in
/// an egress list) is not the last run's either. A list entry the lists' grace record does not keep is kept as
/// the last run's only within these (<see cref="Aws.GraceRecord.Merge"/>): an entry added by hand is not published by being in a list.
/// </summary>
internal static class VettedPrefixes
{
    /// <summary>
    /// The prefixes of <paramref name="sections"/> in <paramref name="current"/> and in every vetted version of <paramref name="site"/> in
    /// <paramref name="store"/>.
    /// </summary>
    public static async Task<PrefixSet> ReadAsync(SnapshotStore store, Site site, IpRangesDocument current, IReadOnlyList<string> sections,
        CancellationToken cancellationToken)
    {
        PrefixSet Published(IpRangesDocument document) =>
            document.SectionList.Where(s => sections.Contains(s.Name, StringComparer.Ordinal)).Aggregate(PrefixSet.Empty, (union, s) => union.Union(s.Prefixes));
        PrefixSet vetted = Published(current);
        foreach (long version in store.GetVersions(site))
        {
            if (version != current.Version && await store.GetVettedOrNullAsync(site, version, cancellationToken).ConfigureAwait(false) is { } document)
            {
                vetted = vetted.Union(Published(document));
            }
        }

        return vetted;
    }
}
