namespace FirewallRules.Server;

/// <summary>
/// What the mirror remembers of one vetted version after the document itself is dropped: its dates, each
/// section's aggregated prefixes, and how it differs from the version before it.
/// </summary>
/// <param name="Version">The document's version.</param>
/// <param name="ModifiedText">Its <c>modified</c> field as published: untrusted text, to escape wherever it is shown.</param>
/// <param name="Modified">That field as a time, when it is in a format Datadog has used.</param>
/// <param name="StoredAt">When the mirror stored it (its file's time in the snapshot store).</param>
/// <param name="Sections">Each section's aggregated prefixes, in the document's order.</param>
/// <param name="Change">The change from the previous stored version; null for the oldest one kept.</param>
internal sealed record VersionRecord(
    long Version, string ModifiedText, DateTimeOffset? Modified, DateTimeOffset StoredAt,
    IReadOnlyList<(string Name, PrefixSet Prefixes)> Sections, VersionChange? Change)
{
    /// <summary>The record of <paramref name="document"/>, compared with <paramref name="previous"/> when there is one.</summary>
    public static VersionRecord Of(IpRangesDocument document, IpRangesDocument? previous, DateTimeOffset storedAt) => new(
        document.Version, document.ModifiedText, document.Modified, storedAt,
        [.. document.SectionList.Select(section => (section.Name, section.Prefixes))],
        previous is null ? null : VersionChange.Between(previous, document));

    /// <summary>A section's prefixes in this version; null when it had no such section.</summary>
    public PrefixSet? Find(string section) =>
        Sections.FirstOrDefault(s => string.Equals(s.Name, section, StringComparison.Ordinal)).Prefixes;
}
