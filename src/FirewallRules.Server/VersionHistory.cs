using FirewallRules.Fetching;

namespace FirewallRules.Server;

/// <summary>
/// The vetted versions of one site the mirror has seen, oldest first: read from the snapshot store at start (so they
/// survive restarts) and extended by every version put in service. At most <see cref="MaxVersions"/> are kept, the
/// newest; the store's files themselves are never deleted.
/// </summary>
/// <remarks>Immutable: a new version makes a new history, swapped in by <see cref="SiteMirror"/>.</remarks>
internal sealed class VersionHistory
{
    /// <summary>
    /// How many versions the page keeps (about 20 kB each for Datadog's documents). Datadog publishes a few versions a
    /// month, so this is years of history; older versions stay in the store but leave the page.
    /// </summary>
    public const int MaxVersions = 500;

    private VersionHistory(IReadOnlyList<VersionRecord> versions) => Versions = versions;

    /// <summary>No version yet.</summary>
    public static VersionHistory Empty { get; } = new([]);

    /// <summary>The versions, oldest first.</summary>
    public IReadOnlyList<VersionRecord> Versions { get; }

    /// <summary>The newest version; null when there is none.</summary>
    public VersionRecord? Latest => Versions.Count == 0 ? null : Versions[^1];

    /// <summary>A version by number; null when it is not kept.</summary>
    public VersionRecord? Find(long version) => Versions.FirstOrDefault(v => v.Version == version);

    /// <summary>This history with <paramref name="document"/> after it; unchanged when that version is already the newest.</summary>
    public VersionHistory With(IpRangesDocument document, IpRangesDocument? previous, DateTimeOffset storedAt)
    {
        if (Latest is { } latest && latest.Version >= document.Version)
        {
            return this;
        }

        // A change is only stated against the version just before it in this history.
        IpRangesDocument? before = previous is not null && previous.Version == Latest?.Version ? previous : null;
        VersionRecord record = VersionRecord.Of(document, before, storedAt);
        return new VersionHistory([.. Versions.Skip(Math.Max(0, Versions.Count + 1 - MaxVersions)), record]);
    }

    /// <summary>
    /// The newest <see cref="MaxVersions"/> versions of <paramref name="site"/> in <paramref name="store"/>, each read as
    /// the site's own; a file the store cannot prove it vetted (changed since it was stored, or planted), or that cannot be
    /// read, is left out (the version before the next one is then a gap).
    /// </summary>
    public static async Task<VersionHistory> LoadAsync(SnapshotStore store, MirroredSite site, CancellationToken cancellationToken)
    {
        VersionHistory history = Empty;
        IpRangesDocument? previous = null;
        foreach (long version in store.GetVersions(site.Source).TakeLast(MaxVersions))
        {
            IpRangesDocument? document = await store.GetVettedOrNullAsync(site.Source, version, cancellationToken).ConfigureAwait(false);
            if (document is not null)
            {
                document = document.Site == site.Site ? document : IpRangesDocument.Parse(document.Utf8Json, site.Site, store.ParseOptions);
                history = history.With(document, previous, new DateTimeOffset(File.GetLastWriteTimeUtc(store.GetPath(site.Source, version)), TimeSpan.Zero));
            }

            previous = document;
        }

        return history;
    }
}
