using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using FirewallRules.IO;
using FirewallRules.Ranges;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Fetching;

/// <summary>What the store can prove of its files: the SHA-256 recorded when each was vetted, the directories' owners, and a 0.1.0 cache's adoption.</summary>
public sealed partial class SnapshotStore
{
    private const string StateFileName = "current.json";

    // A record of every version of a site is a few hundred bytes per version.
    private const int StateFileLimit = 1024 * 1024;

    /// <summary>
    /// Refuses the store's directory, and <paramref name="site"/>'s when it exists, when anyone but root or this user could
    /// write them (<see cref="TrustedDirectory"/>): done before anything is read from them.
    /// </summary>
    /// <exception cref="UntrustedDirectoryException">One may be written by someone else.</exception>
    internal void CheckDirectories(Site site)
    {
        TrustedDirectory.Check(DirectoryPath);
        TrustedDirectory.Check(SiteDirectory(site));
    }

    /// <summary>
    /// The newest document of <paramref name="site"/> the store can prove it vetted: the current one, else the newest version
    /// below it whose file still hashes to its record; null when there is none. Also why newer files were passed over (the
    /// newest found), null when none was.
    /// </summary>
    /// <exception cref="IpRangesFormatException">A vetted file is not a valid document under <see cref="ParseOptions"/>.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    internal async Task<(IpRangesDocument? Document, SnapshotUnvettedException? PassedOver)> GetNewestVettedAsync(Site site, CancellationToken cancellationToken)
    {
        SnapshotState? state = await ReadStateAsync(site, cancellationToken).ConfigureAwait(false);
        return await NewestVettedAsync(site, state, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stored version of <paramref name="site"/> as vetted; null when its file does not hold the bytes vetted, or cannot be read or parsed.</summary>
    internal async Task<IpRangesDocument?> GetVettedOrNullAsync(Site site, long version, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadVettedAsync(site, version, await ReadStateAsync(site, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IpRangesFormatException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Why the file at <paramref name="path"/>, holding <paramref name="bytes"/>, is not what a snapshot store vetted, when
    /// it is a version file (<c>v&lt;version&gt;.json</c>) of a store that records hashes; null when it is, or when nothing says.
    /// </summary>
    internal static string? DescribeUnvetted(string path, ReadOnlySpan<byte> bytes)
    {
        string name = Path.GetFileName(path);
        if (!name.StartsWith('v') || !name.EndsWith(".json", StringComparison.Ordinal)
            || !long.TryParse(name.AsSpan(1, name.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out long version)
            || ReadStateFile(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, StateFileName)) is not { Sha256: { } recorded })
        {
            return null;
        }

        string? hash = recorded.GetValueOrDefault(version);
        return hash == Sha256Of(bytes) ? null : new SnapshotUnvettedException(path, version, hash is not null).Message;
    }

    private async Task<(IpRangesDocument? Document, SnapshotUnvettedException? PassedOver)> NewestVettedAsync(
        Site site, SnapshotState? state, CancellationToken cancellationToken)
    {
        SnapshotUnvettedException? passedOver = null;
        if (CurrentVersion(site, state) is not long current)
        {
            return (null, null);
        }

        foreach (long version in GetVersions(site).Where(version => version <= current).Reverse())
        {
            try
            {
                return (await ReadVettedAsync(site, version, state, cancellationToken).ConfigureAwait(false), passedOver);
            }
            catch (SnapshotUnvettedException unvetted)
            {
                passedOver ??= unvetted;
            }
        }

        return (null, passedOver);
    }

    // A stored version, only if its bytes hash to what the state recorded when the store vetted it: others are never parsed.
    private async Task<IpRangesDocument> ReadVettedAsync(Site site, long version, SnapshotState? state, CancellationToken cancellationToken)
    {
        string path = GetPath(site, version);
        byte[] bytes = await ReadStoredAsync(path, cancellationToken).ConfigureAwait(false);
        string? recorded = state?.Sha256?.GetValueOrDefault(version);
        return recorded is not null && recorded == Sha256Of(bytes)
            ? IpRangesDocument.Parse(bytes, site, ParseOptions)
            : throw new SnapshotUnvettedException(path, version, recorded is not null);
    }

    // The validators of the state's version, when current (the newest document proven) is that version: not for a file passed over.
    private static IpRangesValidators? ValidatorsOf(SnapshotState? state, IpRangesDocument? current) =>
        state is not null && current is not null && state.Version == current.Version && (state.ETag is not null || state.LastModified is not null)
            ? new IpRangesValidators(state.ETag, state.LastModified)
            : null;

    // The hashes to record once version is saved: those of the versions still stored, and the new one.
    private Dictionary<long, string> Recorded(Site site, SnapshotState? state, long version, string hash)
    {
        IReadOnlyList<long> stored = GetVersions(site);
        var recorded = (state?.Sha256 ?? []).Where(entry => stored.Contains(entry.Key)).ToDictionary();
        recorded[version] = hash;
        return recorded;
    }

    private static string Sha256Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string SourceName(Site site) => site.IsCustom ? site.IpRangesUri.AbsoluteUri : site.Domain;

    private async Task<SnapshotState?> ReadStateAsync(Site site, CancellationToken cancellationToken)
    {
        CheckDirectories(site);
        string path = Path.Combine(SiteDirectory(site), StateFileName);
        SnapshotState? state = await Task.Run(() => ReadStateFile(path), cancellationToken).ConfigureAwait(false);
        if (state is { Sha256: null })
        {
            await AdoptAsync(site, state, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    // Our own small file: never through a link, never a FIFO or a device, at most StateFileLimit; null when absent or damaged by
    // hand (then nothing is vetted, and the next fetch is unconditional).
    private static SnapshotState? ReadStateFile(string path)
    {
        try
        {
            return File.Exists(path)
                ? JsonSerializer.Deserialize(InputFile.ReadTrustedBytes(path, StateFileLimit), SnapshotJsonContext.Default.SnapshotState)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InputFileException)
        {
            return null;
        }
    }

    /// <summary>
    /// A <c>current.json</c> of fwrules 0.1.0, which recorded no hashes: its current version is adopted as vetted, once, by
    /// recording the SHA-256 of its file as it is now (the store vetted it when it saved it, and nothing recorded can say
    /// otherwise). Its other versions are not adopted: they are no longer read. Should the record not be written, the
    /// adoption holds for this read alone.
    /// </summary>
    private async Task AdoptAsync(Site site, SnapshotState state, CancellationToken cancellationToken)
    {
        state.Sha256 = [];
        string path = GetPath(site, state.Version);
        try
        {
            state.Sha256[state.Version] = Sha256Of(await ReadStoredAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IpRangesFormatException or IOException or UnauthorizedAccessException)
        {
            // No current file to adopt (gone, not a regular file, too large): nothing is vetted.
            return;
        }

        try
        {
            await WriteStateAsync(site, state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache this run may not write: adopted for this read; the next one tries again.
        }

        if (Logger is not null)
        {
            Adopted(Logger, SourceName(site), state.Version, TerminalText.EscapeWhole(path), null);
        }
    }

    private async Task WriteStateAsync(Site site, SnapshotState state, CancellationToken cancellationToken)
    {
        string statePath = Path.Combine(SiteDirectory(site), StateFileName);
        if (OperatingSystem.IsLinux() && UnixFileStatus.Read(statePath, followLinks: false) is { Kind: not UnixFileKind.Regular } special)
        {
            // Never written through: a FIFO would block the run, a link would replace a file outside the cache.
            throw new InputFileException(statePath, $"is {InputFile.Describe(special.Kind)}, not a regular file: move it away");
        }

        await AtomicFile.WriteAsync(
            statePath,
            (stream, ct) => JsonSerializer.SerializeAsync(stream, state, SnapshotJsonContext.Default.SnapshotState, ct),
            durable: true,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The store's one log line, defined here rather than source-generated: the .NET 10 logging generator emits an assembly's
    /// classes in an order that varies from build to build (dotnet/runtime#119587), so the library keeps its generated lines
    /// in one class (<see cref="IpRangesClientLog"/>), and this event id (1 of the store's category) is kept as it was.
    /// </summary>
    private static readonly Action<ILogger, string, long, string, Exception?> Adopted = LoggerMessage.Define<string, long, string>(
        LogLevel.Warning,
        new EventId(1, "CacheAdopted"),
        "{Source}: the cache was written by fwrules 0.1.0, which recorded no SHA-256 of the documents it vetted: ip-ranges version {Version} "
            + "({Path}) is adopted as vetted, as it is now, and its SHA-256 recorded; the earlier versions stored are no longer read");
}
