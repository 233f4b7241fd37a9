using System.Net;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Ranges;

namespace FirewallRules.Sync;

/// <summary>
/// What <c>state.json</c> may ask to keep: a prefix stays in its keep period only when a vetted document of the cache (a
/// version the snapshot store accepted) published it in that section. Anything else (a prefix planted by whoever can
/// write the state directory, such as <c>10.0.0.0/8</c>) is dropped from the record with a warning, and never loaded.
/// Last-seen times in the future count as now, so no record keeps a prefix longer than the keep period from this run.
/// </summary>
internal static class GraceRecord
{
    /// <summary>Drops from <paramref name="state"/>'s record every prefix no vetted document published; returns a warning for each.</summary>
    /// <param name="state">The state read; its record is changed in place.</param>
    /// <param name="current">The document this run loads (vetted by the store, or its own newest copy).</param>
    /// <param name="store">The cache whose versions vet the rest.</param>
    /// <param name="site">The site the state belongs to.</param>
    /// <param name="now">This run's time.</param>
    /// <param name="cancellationToken">Cancels reading the cache.</param>
    public static async Task<IReadOnlyList<string>> VetAsync(SyncState state, IpRangesDocument current, SnapshotStore store, Site site, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        Dictionary<string, PrefixSet>? vetted = null;
        foreach ((string section, Dictionary<string, DateTimeOffset> record) in state.Published)
        {
            PrefixSet published = current.TryGetSection(section, out IpRangesSection? found) ? found.Prefixes : PrefixSet.Empty;
            foreach ((string text, DateTimeOffset at) in record.ToArray())
            {
                IPNetwork prefix = SyncStateFile.ParsePrefix(text);
                if (at > now)
                {
                    record[text] = now;
                }

                if (published.Contains(prefix))
                {
                    continue;
                }

                vetted ??= await VettedAsync(store, site, cancellationToken).ConfigureAwait(false);
                if (!(vetted.TryGetValue(section, out PrefixSet? ever) && ever.Contains(prefix)))
                {
                    record.Remove(text);
                    warnings.Add($"the sync state asks to keep {prefix} in '{TerminalText.Escape(section)}', which no vetted document in the cache {TerminalText.EscapeWhole(store.DirectoryPath)} published: dropped, not loaded");
                }
            }
        }

        return warnings;
    }

    // Per section, every address some stored version published. A version that cannot be read (damaged, not a regular file) vets nothing.
    private static async Task<Dictionary<string, PrefixSet>> VettedAsync(SnapshotStore store, Site site, CancellationToken cancellationToken)
    {
        var union = new Dictionary<string, PrefixSet>(StringComparer.Ordinal);
        foreach (long version in store.GetVersions(site))
        {
            string path = store.GetPath(site, version);
            IpRangesDocument document;
            try
            {
                if (OperatingSystem.IsLinux() && UnixFileStatus.Read(path, followLinks: false)?.Kind != UnixFileKind.Regular)
                {
                    continue;
                }

                document = await IpRangesDocument.LoadAsync(path, site, store.ParseOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IpRangesFormatException or IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (IpRangesSection section in document.SectionList)
            {
                union[section.Name] = union.TryGetValue(section.Name, out PrefixSet? earlier) ? earlier.Union(section.Prefixes) : section.Prefixes;
            }
        }

        return union;
    }
}
