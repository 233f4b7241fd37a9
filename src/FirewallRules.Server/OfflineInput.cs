using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Ranges;

namespace FirewallRules.Server;

/// <summary>
/// Where an offline mirror's documents come from instead of the network (<c>fwrules serve --offline</c>, <c>--input FILE</c>):
/// the files given, read again at every refresh (an air-gapped site replaces a file, and the next refresh takes its new
/// version), each put to the snapshot store as a fetched document is, so the same vetting refuses a shrink, a growth or a
/// rollback; or, for US1 with no file and nothing stored, the snapshot embedded in the tool, served but never stored (a
/// first look leaves no old document in the cache to vet the live ones against).
/// </summary>
internal static class OfflineInput
{
    /// <summary>
    /// Stores the files' documents newer than the store's newest vetted one, oldest first; a document the store already
    /// holds is passed over, one older than it too (it is history, not a rollback).
    /// </summary>
    /// <param name="now">The current time: a file written later than it vouches for nothing.</param>
    /// <returns>
    /// The last document stored, with the file it came from (null when none was newer); and when the newest vetted document
    /// was last copied in: the latest write time, not past <paramref name="now"/>, of a file holding it byte for byte (null
    /// when none does). The operator who writes the files is the upstream of an offline mirror: that time is its confirmation.
    /// </returns>
    /// <exception cref="OfflineInputException">A file cannot be read, or is not a valid document; nothing of it was stored.</exception>
    /// <exception cref="OfflineInputRefusedException">The store refused a file's document; the ones before it are stored.</exception>
    public static async Task<((SnapshotUpdate Update, string File)? Stored, DateTimeOffset? CopiedAt)> ImportAsync(
        SnapshotStore store, Site source, IReadOnlyList<string> files, DateTimeOffset now, CancellationToken cancellationToken)
    {
        (IpRangesDocument Document, string File)[] documents = [.. files.Select(file => (Read(file, source), file)).OrderBy(input => input.Item1.Version)];
        (IpRangesDocument? newest, _) = await store.GetNewestVettedAsync(source, cancellationToken).ConfigureAwait(false);
        (SnapshotUpdate Update, string File)? last = null;
        foreach ((IpRangesDocument document, string file) in documents)
        {
            if (newest is not null && (document.Version < newest.Version || Same(document, newest)))
            {
                continue;
            }

            SnapshotUpdate update;
            try
            {
                update = await store.SaveAsync(source, document, validators: null, force: false, cancellationToken).ConfigureAwait(false);
            }
            catch (SnapshotRefusedException ex)
            {
                throw new OfflineInputRefusedException(file, ex);
            }

            newest = update.Current;
            last = (update, file);
        }

        DateTimeOffset? copiedAt = documents.Where(input => newest is not null && Same(input.Document, newest))
            .Select(input => (DateTimeOffset?)new DateTimeOffset(File.GetLastWriteTimeUtc(input.File), TimeSpan.Zero))
            .Where(written => written <= now).Max();
        return (last, copiedAt);
    }

    private static bool Same(IpRangesDocument document, IpRangesDocument other) =>
        document.Version == other.Version && document.Utf8Json.Span.SequenceEqual(other.Utf8Json.Span);

    /// <summary>The document to serve when a site has nothing at all: the embedded snapshot for US1, null for another site.</summary>
    public static IpRangesDocument? Fallback(Site site) => site == IpRangesDocument.Embedded.Site ? IpRangesDocument.Embedded : null;

    /// <summary>
    /// Reads each file once at start: a name that is no readable document is a mistake in the mirror's configuration, refused
    /// before it listens, not a failure logged at every refresh while it serves what it had (the embedded snapshot, say).
    /// </summary>
    /// <exception cref="IOException">A file cannot be read, or is not a valid document of <paramref name="source"/>.</exception>
    public static void Check(IReadOnlyList<string> files, Site source)
    {
        foreach (string file in files)
        {
            try
            {
                _ = Read(file, source);
            }
            catch (OfflineInputException ex)
            {
                throw new IOException(ex.Message, ex);
            }
        }
    }

    private static IpRangesDocument Read(string file, Site source)
    {
        try
        {
            return IpRangesDocument.Parse(InputFile.ReadAllBytes(file, (int)IpRangesParseOptions.Default.MaxBytes), source);
        }
        catch (IpRangesFormatException ex)
        {
            throw new OfflineInputException($"{TerminalText.EscapeWhole(file)}: {ex.Message}", invalid: true, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OfflineInputException(ex is InputFileException ? ex.Message : $"cannot read {TerminalText.EscapeWhole(file)}: {ex.Message}", invalid: false, ex);
        }
    }
}
