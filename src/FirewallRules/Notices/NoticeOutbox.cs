using System.Globalization;
using System.Text.Json;
using FirewallRules.Fetching;
using FirewallRules.IO;

namespace FirewallRules.Notices;

/// <summary>
/// Change notices waiting to be posted, kept on disk beside a site's snapshots
/// (<c>&lt;cache&gt;/&lt;site&gt;/notices/</c>) so that none is lost and none is sent twice.
/// </summary>
/// <remarks>
/// <para>A notice is derived from the store, not from a run's memory: <c>noticed.json</c> holds the version last
/// turned into a notice, and <see cref="RecordAsync"/> writes a notice for the change from it to the store's current
/// version. A run that dies after fetching, before recording, leaves the change to the next run; one that dies after
/// writing the notice but before moving <c>noticed.json</c> on writes the same file again, under the same name.</para>
/// <para>Pending notices are files named <c>&lt;sequence&gt;-v&lt;old&gt;-v&lt;new&gt;.json</c>, sent oldest first and
/// deleted once the receiver answers 2xx. A run that dies between that answer and the delete sends the notice again
/// next time, with the same <c>id</c> and <c>Idempotency-Key</c>, so a receiver can drop the repeat.</para>
/// <para>Recording and delivering hold a lock on <c>notices/.lock</c>: two runs never send the same notice at once.</para>
/// </remarks>
internal sealed class NoticeOutbox
{
    private const string NoticedFileName = "noticed.json";
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private NoticeOutbox(string directory) => DirectoryPath = directory;

    /// <summary>The directory holding the pending notices and <c>noticed.json</c>.</summary>
    public string DirectoryPath { get; }

    /// <summary>The outbox of <paramref name="site"/> in <paramref name="store"/>'s directory.</summary>
    public static NoticeOutbox For(SnapshotStore store, Site site)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new NoticeOutbox(Path.Combine(store.SiteDirectory(site), "notices"));
    }

    /// <summary>The pending notices' files, oldest first.</summary>
    public IReadOnlyList<string> PendingFiles =>
        Directory.Exists(DirectoryPath)
            ? [.. Directory.EnumerateFiles(DirectoryPath, "*-v*-v*.json").Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// Writes a notice for the change from the last noticed version to <paramref name="store"/>'s current one, when they
    /// differ. The first call only remembers the current version: notices cover changes from then on.
    /// </summary>
    /// <returns>The notice written, or null when there was nothing new.</returns>
    /// <exception cref="IOException">A file cannot be read or written, or the outbox stayed locked by another run.</exception>
    public async Task<ChangeNotice?> RecordAsync(SnapshotStore store, Site site, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        using FileLock held = await LockAsync(timeProvider, cancellationToken).ConfigureAwait(false);
        IpRangesDocument? current = await store.GetCurrentAsync(site, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return null;
        }

        NoticedVersion? noticed = ReadNoticed();
        if (noticed?.Version == current.Version)
        {
            return null;
        }

        // Only a version the store proves it vetted is compared with: one deleted from the cache by hand, or changed since, is not.
        if (noticed is null || await store.GetVettedOrNullAsync(site, noticed.Version, cancellationToken).ConfigureAwait(false) is not { } previous)
        {
            // Nothing noticed yet (or that version is gone or cannot be vouched for): start from here.
            await WriteNoticedAsync(new NoticedVersion { Version = current.Version, Sequence = noticed?.Sequence ?? 0 }, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var notice = ChangeNotice.Create(previous, current);
        long sequence = noticed.Sequence + 1;
        string path = Path.Combine(DirectoryPath, string.Create(CultureInfo.InvariantCulture, $"{sequence:D8}-v{previous.Version}-v{current.Version}.json"));
        byte[] json = notice.ToJson();
        await AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(json, ct).AsTask(), durable: true, cancellationToken).ConfigureAwait(false);
        await WriteNoticedAsync(new NoticedVersion { Version = current.Version, Sequence = sequence }, cancellationToken).ConfigureAwait(false);
        return notice;
    }

    /// <summary>Posts every pending notice, oldest first, deleting each once accepted; stops at the first that fails, keeping it and the rest.</summary>
    /// <exception cref="IOException">A notice file cannot be read or deleted, or the outbox stayed locked by another run.</exception>
    public async Task<NoticeDelivery> DeliverAsync(NoticeSender sender, Uri target, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        using FileLock held = await LockAsync(timeProvider, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> pending = PendingFiles;
        for (int sent = 0; sent < pending.Count; sent++)
        {
            byte[] json = await File.ReadAllBytesAsync(pending[sent], cancellationToken).ConfigureAwait(false);
            string? failure = await sender.SendAsync(target, IdOf(json, pending[sent]), json, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return new NoticeDelivery(sent, pending.Count - sent, failure);
            }

            File.Delete(pending[sent]);
        }

        return new NoticeDelivery(pending.Count, 0, null);
    }

    private async Task<FileLock> LockAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DirectoryPath);
        string path = Path.Combine(DirectoryPath, ".lock");
        return await FileLock.TryAcquireAsync(path, LockWait, timeProvider, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"another fwrules run has held {path} for {LockWait.TotalSeconds:0} s");
    }

    private NoticedVersion? ReadNoticed()
    {
        string path = Path.Combine(DirectoryPath, NoticedFileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), NoticeJsonContext.Default.NoticedVersion) : null;
        }
        catch (JsonException)
        {
            // Our own small file, damaged by hand: start again from the current version.
            return null;
        }
    }

    private Task WriteNoticedAsync(NoticedVersion noticed, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(
            Path.Combine(DirectoryPath, NoticedFileName),
            (stream, ct) => JsonSerializer.SerializeAsync(stream, noticed, NoticeJsonContext.Default.NoticedVersion, ct),
            durable: true,
            cancellationToken);

    // The id the notice was written with; the file name for a file damaged by hand, which the receiver then sees as it is.
    private static string IdOf(byte[] json, string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("id", out JsonElement id) && id.GetString() is { } text ? text : Path.GetFileName(path);
        }
        catch (JsonException)
        {
            return Path.GetFileName(path);
        }
    }
}
