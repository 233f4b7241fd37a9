using System.Net;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Ranges;

namespace FirewallRules.Sync;

/// <summary>
/// What <c>state.json</c> may ask to keep: a prefix stays in its keep period only when a vetted document of the cache (a
/// version the snapshot store accepted, whose file still hashes to the SHA-256 it recorded then) published it in that
/// section; a version file planted beside them, or changed since, vets nothing. Anything else (a prefix planted by whoever can
/// write the state directory, such as <c>10.0.0.0/8</c>) is dropped from the record with a warning, and never loaded.
/// Last-seen times ahead of the clock are <see cref="Retention"/>'s to weigh.
/// </summary>
internal static class GraceRecord
{
    /// <summary>
    /// Drops from <paramref name="state"/>'s record every prefix no vetted document published; returns a warning for each of
    /// the first <see cref="SyncReport.ListedAtMost"/>, and one counting the rest.
    /// </summary>
    /// <param name="state">The state read; its record is changed in place.</param>
    /// <param name="current">The document this run loads (vetted by the store, or its own newest copy).</param>
    /// <param name="store">The cache whose vetted versions vet the rest, newest first, read only while something is left to vet.</param>
    /// <param name="site">The site the state belongs to.</param>
    /// <param name="cancellationToken">Cancels reading the cache.</param>
    public static async Task<IReadOnlyList<string>> VetAsync(SyncState state, IpRangesDocument current, SnapshotStore store, Site site,
        CancellationToken cancellationToken)
    {
        var unvetted = new List<(string Section, string Text, IPNetwork Prefix)>();
        foreach ((string section, Dictionary<string, DateTimeOffset> record) in state.Published)
        {
            foreach (string text in record.Keys.ToArray())
            {
                IPNetwork prefix = SyncStateFile.ParsePrefix(text);
                if (!Publishes(current, section, prefix))
                {
                    unvetted.Add((section, text, prefix));
                }
            }
        }

        foreach (long version in store.GetVersions(site).Reverse())
        {
            if (unvetted.Count == 0)
            {
                break;
            }

            if (await store.GetVettedOrNullAsync(site, version, cancellationToken).ConfigureAwait(false) is IpRangesDocument document)
            {
                unvetted.RemoveAll(entry => Publishes(document, entry.Section, entry.Prefix));
            }
        }

        foreach ((string section, string text, _) in unvetted)
        {
            state.Published[section].Remove(text);
        }

        // A record of any size gets a bounded listing: the first ones named, the rest counted.
        string cache = TerminalText.EscapeWhole(store.DirectoryPath);
        int listed = unvetted.Count > SyncReport.ListedAtMost + 1 ? SyncReport.ListedAtMost : unvetted.Count;
        IEnumerable<string> warnings = unvetted.Take(listed).Select(entry =>
            $"the sync state asks to keep {entry.Prefix} in '{TerminalText.Escape(entry.Section)}', which no vetted document in the cache {cache} " +
                "published: dropped, not loaded");
        return listed == unvetted.Count
            ? [.. warnings]
            : [.. warnings, $"the sync state asks to keep {unvetted.Count - listed} more prefixes no vetted document in the cache {cache} published: dropped, not loaded"];
    }

    private static bool Publishes(IpRangesDocument document, string section, IPNetwork prefix) =>
        document.TryGetSection(section, out IpRangesSection? found) && found.Prefixes.Contains(prefix);
}
