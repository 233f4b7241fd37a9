namespace FirewallRules.IO;

/// <summary>
/// Writes files so that readers see the old content or the new, never a mix, and a failed write leaves the old
/// content: the content goes to a temporary file in the same directory, which then replaces the target by rename.
/// Special files are written through; see <see cref="FileReplacement"/> for every case.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the old file is untouched.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="durable">Also flush to disk before the rename, so the new content survives a crash (cache files).</param>
    /// <exception cref="IOException">The path cannot be written (a directory, a block device, an owner that cannot be kept, a full disk).</exception>
    /// <exception cref="UnauthorizedAccessException">The directory or device cannot be written.</exception>
    public static void Write(string path, Action<Stream> write, bool durable = false)
    {
        using FileReplacement file = FileReplacement.Begin(path, useAsync: false);
        write(file.Stream);
        file.Commit(durable);
    }

    /// <inheritdoc cref="Write(string, Action{Stream}, bool)"/>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, bool durable, CancellationToken cancellationToken)
    {
        using FileReplacement file = FileReplacement.Begin(path, useAsync: true);
        await write(file.Stream, cancellationToken).ConfigureAwait(false);
        await file.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        file.Commit(durable);
    }
}
