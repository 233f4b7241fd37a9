using System.Globalization;
using System.Net.Sockets;
using System.Text;
using FirewallRules.IO;
using FirewallRules.Ranges;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Fetching;

/// <summary>
/// A directory of fetched ip-ranges documents: every version kept as its own file, exactly as received,
/// plus which one is current, the validators (<c>ETag</c>, <c>Last-Modified</c>) it was served with, and the SHA-256 of
/// every version as the store vetted it.
/// </summary>
/// <remarks>
/// <para>Layout: <c>&lt;directory&gt;/&lt;site&gt;/v&lt;version&gt;.json</c> and
/// <c>&lt;directory&gt;/&lt;site&gt;/current.json</c>, where <c>&lt;site&gt;</c> is the site's domain
/// (<c>datadoghq.eu</c>) or, for a mirror, its host, port and path.</para>
/// <para>Every file is written atomically and flushed to disk before it replaces the old one, so a crash or
/// a failed fetch leaves the last good copy as it was. A document is refused, and nothing written, when its
/// version is lower than the current one (<see cref="SnapshotRollbackException"/>), far ahead of the newest version known
/// (<see cref="SnapshotVersionJumpException"/>, also when nothing is stored), or when it would empty a
/// section or shrink it by more than <see cref="MaxAddressLoss"/> (<see cref="SnapshotShrinkException"/>),
/// or grow it to more than <see cref="MaxAddressGrowth"/> times its addresses (<see cref="SnapshotGrowthException"/>),
/// unless the save is forced. An empty store takes no first document on trust: the snapshot shipped in the library
/// (<see cref="IpRangesDocument.Embedded"/>, Datadog's US1 document) is a vetted document, and a US1 document is vetted
/// against it as against the last one stored whenever it is newer (older, shrunk and grown documents are refused); another
/// site's or a mirror's first document, whose versions count apart, is vetted against it for growth (a mirror's first document
/// modified before it is stored with a warning on <see cref="Logger"/>).</para>
/// <para>The cache is evidence, not authority: a document accepted is recorded in <c>current.json</c> with its SHA-256, and a
/// stored file is read back only while its bytes still hash to that record. A file changed since it was stored, or put
/// there by another hand (no record), is never loaded (<see cref="SnapshotUnvettedException"/>); the next fetch of that
/// version replaces it (<see cref="SnapshotUpdate.ReplacedUnvetted"/>). A <c>current.json</c> written by fwrules 0.1.0, which
/// recorded no hashes, is adopted once: the SHA-256 of its current version's file is recorded as it is then (a warning
/// on <see cref="Logger"/> says so), and its other versions are no longer read.</para>
/// <para>On Linux the directory and each site's directory must be owned by root or the user running the code, and writable
/// by their owner alone, as ssh requires of <c>~/.ssh</c>: otherwise every operation throws a
/// <see cref="System.Security.SecurityException"/> naming the directory and the fix before anything is read. Directories
/// the store creates get mode 0755.</para>
/// <para>Thread-safe for reading. Each write is atomic, but two writers saving for the same site at once
/// race, and the last one's <c>current.json</c> wins.</para>
/// </remarks>
public sealed partial class SnapshotStore
{
    private readonly double _maxAddressLoss = 0.5;
    private readonly double _maxAddressGrowth = 10;

    // Growth below these is never refused, whatever the factor: Datadog's real history grew a section by at most 4,080 IPv4
    // addresses (orchestrator, 16 to 4,096, v36 to v38) and 2^73 IPv6 addresses (logs, none to two /56s, v39 to v40).
    private static readonly UInt128 MinRefusedGrowthIPv4 = UInt128.One << 16;
    private static readonly UInt128 MinRefusedGrowthIPv6 = UInt128.One << 80;
    private readonly long _maxVersionJump = 1000;

    /// <summary>Uses <paramref name="directory"/>, which is created on the first save.</summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public SnapshotStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        DirectoryPath = Path.GetFullPath(directory);
    }

    /// <summary>The store's directory, as a full path.</summary>
    public string DirectoryPath { get; }

    /// <summary>
    /// The largest share of a section's addresses, per address family, that a new document may drop
    /// (counting addresses, so a prefix replaced by one of the same size loses nothing). A family that
    /// would be left empty is refused whatever this says.
    /// </summary>
    /// <value>0.5 (half). 1 allows any loss short of emptying.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 1.</exception>
    public double MaxAddressLoss
    {
        get => _maxAddressLoss;
        init => _maxAddressLoss = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be between 0 and 1.");
    }

    /// <summary>
    /// How many times its addresses, per address family, a section may grow to in a new document, when it grows by more
    /// than a /16 in IPv4 (65,536 addresses) or a /48 in IPv6: smaller growth is always accepted, which lets a section that
    /// had few addresses (or none) take on a new block. A broken or hostile document adding public /8s is refused; stored,
    /// it would also make the next genuine document look like a shrink.
    /// </summary>
    /// <value>10. Datadog's real history (v27 to v59) never grew a section by a /16 or a /48 at all.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1, or not a number.</exception>
    public double MaxAddressGrowth
    {
        get => _maxAddressGrowth;
        init => _maxAddressGrowth = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be at least 1.");
    }

    /// <summary>
    /// How far ahead of the newest version known a new document's version may be. The newest known is the store's current
    /// version or, when that is older or the store holds nothing for the site, the version of the snapshot shipped in the
    /// library (<see cref="IpRangesDocument.Embedded"/>): every Datadog site counts its changes from 1, so none is far past
    /// it. Datadog adds one per change, so a far larger jump is a broken or hostile document; stored, it would make every
    /// real version after it look like a rollback.
    /// </summary>
    /// <value>1000. At least 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxVersionJump
    {
        get => _maxVersionJump;
        init => _maxVersionJump = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be at least 1.");
    }

    /// <summary>Limits for reading stored documents back; use the ones the documents were fetched with.</summary>
    /// <value><see cref="IpRangesParseOptions.Default"/>.</value>
    public IpRangesParseOptions ParseOptions { get; init; } = IpRangesParseOptions.Default;

    /// <summary>
    /// Where the store says that it adopted a cache written by fwrules 0.1.0, or that a mirror's first document is older than the
    /// snapshot shipped in the library (warnings); null for nowhere.
    /// </summary>
    public ILogger? Logger { get; init; }

    /// <summary>The versions stored for <paramref name="site"/>, oldest first, vetted or not; empty when there are none.</summary>
    /// <exception cref="System.Security.SecurityException">The directory may be written by someone else (see the remarks).</exception>
    public IReadOnlyList<long> GetVersions(Site site)
    {
        ArgumentNullException.ThrowIfNull(site);
        CheckDirectories(site);
        string directory = SiteDirectory(site);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var versions = new List<long>();
        foreach (string path in Directory.EnumerateFiles(directory, "v*.json"))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (long.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out long version))
            {
                versions.Add(version);
            }
        }

        versions.Sort();
        return versions;
    }

    /// <summary>The path a stored version of <paramref name="site"/>'s document has (or would have).</summary>
    public string GetPath(Site site, long version)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return Path.Combine(SiteDirectory(site), string.Create(CultureInfo.InvariantCulture, $"v{version}.json"));
    }

    /// <summary>The current document of <paramref name="site"/>: the one last saved, else the highest version stored; null when none is.</summary>
    /// <exception cref="SnapshotUnvettedException">Its file does not hold the bytes the store vetted; it is not read.</exception>
    /// <exception cref="IpRangesFormatException">The stored file is not a valid document.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="System.Security.SecurityException">The directory may be written by someone else (see the remarks).</exception>
    public async Task<IpRangesDocument?> GetCurrentAsync(Site site, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        SnapshotState? state = await ReadStateAsync(site, cancellationToken).ConfigureAwait(false);
        return CurrentVersion(site, state) is long current ? await ReadVettedAsync(site, current, state, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>
    /// The validators the current document was served with; null when there is no current document, its file does not hold the
    /// bytes vetted, or the server sent none.
    /// </summary>
    /// <exception cref="System.Security.SecurityException">The directory may be written by someone else (see the remarks).</exception>
    public async Task<IpRangesValidators?> GetValidatorsAsync(Site site, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        SnapshotState? state = await ReadStateAsync(site, cancellationToken).ConfigureAwait(false);
        (IpRangesDocument? current, _) = await NewestVettedAsync(site, state, cancellationToken).ConfigureAwait(false);
        return ValidatorsOf(state, current);
    }

    /// <summary>
    /// Stores <paramref name="document"/> as its own version file and makes it current, unless it is older than
    /// the current one, far ahead of the newest version known, or shrinks or grows a section too far.
    /// </summary>
    /// <param name="site">Where the document came from.</param>
    /// <param name="document">The document; its <see cref="IpRangesDocument.Utf8Json"/> is written unchanged.</param>
    /// <param name="validators">Its validators, sent on the next fetch; <see langword="null"/> when there are none.</param>
    /// <param name="force">Store it even if it would be refused.</param>
    /// <param name="cancellationToken">Cancels the save; what was already replaced stays replaced, each file whole.</param>
    /// <exception cref="SnapshotRollbackException">The version is lower than the current one (not when forced).</exception>
    /// <exception cref="SnapshotVersionJumpException">The version is more than <see cref="MaxVersionJump"/> ahead of the newest known (not when forced).</exception>
    /// <exception cref="SnapshotShrinkException">A section would be emptied or lose too many addresses (not when forced).</exception>
    /// <exception cref="SnapshotGrowthException">A section would gain too many addresses (not when forced).</exception>
    /// <exception cref="SnapshotConflictException">The version was vetted with other content (not when forced).</exception>
    /// <exception cref="IOException">A file cannot be written; the previous files are untouched.</exception>
    /// <exception cref="System.Security.SecurityException">The directory may be written by someone else (see the remarks).</exception>
    /// <remarks>The checks compare with the newest document the store can prove it vetted: a current file changed since it was stored is passed over.</remarks>
    public async Task<SnapshotUpdate> SaveAsync(
        Site site, IpRangesDocument document, IpRangesValidators? validators, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(document);
        SnapshotState? state = await ReadStateAsync(site, cancellationToken).ConfigureAwait(false);
        (IpRangesDocument? previous, _) = await NewestVettedAsync(site, state, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(site, document, validators, force, state, previous, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches <paramref name="site"/>'s document if it changed since the current one (a conditional GET with the
    /// stored validators, sent only while the current file holds the bytes vetted) and saves it as <see cref="SaveAsync"/> does.
    /// </summary>
    /// <param name="client">The client to fetch with.</param>
    /// <param name="site">The site or mirror.</param>
    /// <param name="force">Store the document even if it would be refused.</param>
    /// <param name="cancellationToken">Cancels the update; the store is left as it was unless the save had begun.</param>
    /// <exception cref="IpRangesFetchException">The fetch failed after retries; nothing was written.</exception>
    /// <exception cref="IpRangesFormatException">The body is not a valid document, or is too large; nothing was written.</exception>
    /// <exception cref="SnapshotRefusedException">The document was refused; nothing was written.</exception>
    /// <exception cref="IOException">A file cannot be read or written; the previous files are untouched.</exception>
    /// <exception cref="System.Security.SecurityException">The directory may be written by someone else (see the remarks).</exception>
    public async Task<SnapshotUpdate> UpdateAsync(IpRangesClient client, Site site, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(site);
        SnapshotState? state = await ReadStateAsync(site, cancellationToken).ConfigureAwait(false);
        (IpRangesDocument? current, _) = await NewestVettedAsync(site, state, cancellationToken).ConfigureAwait(false);
        // A current file changed since it was vetted is passed over, so its validators are not sent: it is fetched again whole
        // (a "not modified" would leave nothing to replace it with).
        IpRangesValidators? validators = ValidatorsOf(state, current);
        IpRangesFetchResult fetched = await client.GetIfModifiedAsync(site, validators, cancellationToken).ConfigureAwait(false);
        SnapshotUpdate update = fetched.IsNotModified
            ? new SnapshotUpdate(isNotModified: true, current!, current, GetPath(site, current!.Version))
            : await StoreAsync(site, fetched.Document, fetched.Validators, force, state, previous: current, cancellationToken).ConfigureAwait(false);
        return update.WithUpstream(fetched);
    }

    // The save, checked against previous, the newest document proven vetted; state is the one read.
    private async Task<SnapshotUpdate> StoreAsync(
        Site site, IpRangesDocument document, IpRangesValidators? validators, bool force, SnapshotState? state, IpRangesDocument? previous,
        CancellationToken cancellationToken)
    {
        SnapshotRefusedException? overridden = null;
        try
        {
            Refuse(site, previous, document);
        }
        catch (SnapshotRefusedException refusal) when (force)
        {
            // Forced: stored all the same, and the update says what was overridden (a run's log must show it).
            overridden = refusal;
        }

        string path = GetPath(site, document.Version);
        TrustedDirectory.Create(SiteDirectory(site));
        string hash = Sha256Of(document.Utf8Json.Span);
        string? recorded = state?.Sha256?.GetValueOrDefault(document.Version);
        byte[]? stored = File.Exists(path) ? await ReadStoredAsync(path, cancellationToken).ConfigureAwait(false) : null;
        bool same = stored is not null && stored.AsSpan().SequenceEqual(document.Utf8Json.Span);
        if (recorded is not null && recorded != hash)
        {
            // Vetted with other content: Datadog bumps the version on every change, so one of the two is not what it published.
            var conflict = new SnapshotConflictException(site.Domain, document.Version, path);
            overridden = force ? overridden ?? conflict : throw conflict;
        }

        // A file of this version the store cannot vouch for (changed since it was stored, or planted) is no evidence: replaced.
        SnapshotUnvettedException? replaced = stored is not null && !same && (recorded is null || recorded == hash)
            ? new SnapshotUnvettedException(path, document.Version, recorded is not null)
            : null;

        // The version file first: should the state write fail, the previous version is still the current one.
        if (!same)
        {
            await AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(document.Utf8Json, ct).AsTask(), durable: true, cancellationToken).ConfigureAwait(false);
        }

        var next = new SnapshotState
        {
            Version = document.Version, ETag = validators?.ETag, LastModified = validators?.LastModified, Sha256 = Recorded(site, state, document.Version, hash),
        };
        await WriteStateAsync(site, next, cancellationToken).ConfigureAwait(false);
        WarnIfOlderThanSnapshot(site, previous, document);
        return new SnapshotUpdate(isNotModified: false, document, previous, path) { OverriddenRefusal = overridden, ReplacedUnvetted = replaced };
    }

    /// <summary>Refuses a version more than <see cref="MaxVersionJump"/> ahead of the newest known: the stored one, or the shipped snapshot's when newer.</summary>
    private void RefuseJump(string source, long? stored, long offered)
    {
        long shipped = IpRangesDocument.Embedded.Version;
        long known = Math.Max(stored ?? 0, shipped);
        if (offered - known <= MaxVersionJump)
        {
            return;
        }

        throw stored is long current && current >= shipped
            ? new SnapshotVersionJumpException(source, offered, current, MaxVersionJump)
            : new SnapshotVersionJumpException(source, offered, stored, shipped, MaxVersionJump);
    }

    private void AddIfShrunk(List<SectionShrinkage> into, string section, AddressFamily family, UInt128 before, UInt128 after)
    {
        var shrinkage = new SectionShrinkage(section, family, before, after);
        if (before > after && (shrinkage.IsEmptied || shrinkage.LostShare > MaxAddressLoss))
        {
            into.Add(shrinkage);
        }
    }

    private void AddIfGrown(List<SectionGrowth> into, string section, AddressFamily family, UInt128 before, UInt128 after, UInt128 minRefused)
    {
        var growth = new SectionGrowth(section, family, before, after);
        if (after > before && after - before > minRefused && growth.Factor > MaxAddressGrowth)
        {
            into.Add(growth);
        }
    }

    private long? CurrentVersion(Site site, SnapshotState? state)
    {
        IReadOnlyList<long> versions = GetVersions(site);
        return state is not null && versions.Contains(state.Version) ? state.Version
            : versions.Count > 0 ? versions[^1]
            : null;
    }

    // A stored version, within the document limit: a regular file, never through a link (a FIFO or /dev/zero is refused, not read).
    private async Task<byte[]> ReadStoredAsync(string path, CancellationToken cancellationToken)
    {
        int limit = (int)Math.Min(ParseOptions.MaxBytes, Array.MaxLength);
        try
        {
            return await Task.Run(() => InputFile.ReadTrustedBytes(path, limit), cancellationToken).ConfigureAwait(false);
        }
        catch (InputFileException ex) when (ex.TooLarge)
        {
            throw new IpRangesFormatException($"the document is larger than the {ParseOptions.MaxBytes} bytes allowed", location: null);
        }
    }

    /// <summary>The directory holding <paramref name="site"/>'s versions, which other per-site files (change notices) share.</summary>
    internal string SiteDirectory(Site site) => Path.Combine(DirectoryPath, site.IsCustom ? MirrorKey(site.IpRangesUri) : site.Domain);

    /// <summary>A file name for a mirror: host, port and path, with anything unsafe in a file name turned into <c>-</c>.</summary>
    private static string MirrorKey(Uri uri)
    {
        string text = uri.IsDefaultPort ? uri.Host + uri.AbsolutePath : $"{uri.Host}-{uri.Port}{uri.AbsolutePath}";
        var key = new StringBuilder(text.Length);
        foreach (char c in text.TrimEnd('/'))
        {
            key.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-');
        }

        return key.ToString();
    }
}
