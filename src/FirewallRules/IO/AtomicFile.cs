namespace FirewallRules.IO;

/// <summary>
/// Writes files so that readers see the old content or the new, never a mix: the content goes to a
/// temporary file in the same directory, which then replaces the target by rename.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the old file is untouched.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="durable">Also flush to disk before the rename, so the new content survives a crash (cache files).</param>
    public static void Write(string path, Action<Stream> write, bool durable = false)
    {
        string temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <inheritdoc cref="Write(string, Action{Stream}, bool)"/>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, bool durable, CancellationToken cancellationToken)
    {
        string temp = TempPathFor(path);
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (durable)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static string TempPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        // Same directory: a rename within one file system is atomic; a dot keeps it out of casual listings.
        return Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the temporary file is named so that it never replaces anything by itself.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
