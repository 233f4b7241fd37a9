namespace FirewallRules.IO;

/// <summary>
/// One write of a file by <see cref="AtomicFile"/>: where the bytes go (<see cref="Stream"/>) and how they take the
/// target's place once written (<see cref="Commit"/>); disposed without a commit, it leaves the target as it was.
/// </summary>
/// <remarks>
/// <para>What is at the path decides how (links followed, on Linux):</para>
/// <list type="bullet">
/// <item>nothing, or a regular file: a temporary file in the same directory, renamed over it. A replaced file keeps
/// its permissions, owner and group (or the write is refused when they cannot be kept); a new one is created
/// <c>rw-r--r--</c> less the umask. A symbolic link stays a link: its final target is replaced.</item>
/// <item>a regular file with other hard links: refused with an <see cref="IOException"/> before anything is written. Renamed
/// over, the other names would keep the old content; copied into, readers would see it half done, and a full disk would leave it
/// cut short (a cut on a line boundary can be a valid file that allows more).</item>
/// <item>a character device (<c>/dev/stdout</c>, <c>/dev/null</c>) or a FIFO: written through, as a shell redirection does.</item>
/// <item>a directory, block device or socket: refused with an <see cref="IOException"/>.</item>
/// </list>
/// <para>A temporary file is named <c>.&lt;name&gt;.fwrules-&lt;random&gt;.tmp</c> and held locked while written. A run
/// killed mid-write cannot remove its own, so each write first removes the ones of its target that no live run
/// holds; a process that ends itself mid-write (a stop that cannot wait) removes its own first (<see cref="RemoveUnfinished"/>).</para>
/// </remarks>
internal sealed class FileReplacement : IDisposable
{
    private const string TemporaryMarker = ".fwrules-";
    private const string TemporaryExtension = ".tmp";
    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    // The temporary files this process is writing now, for RemoveUnfinished.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Unfinished = new(StringComparer.Ordinal);

    private readonly string _target;
    private readonly string? _temporary;
    private readonly UnixFileStatus? _existing;
    private bool _committed;

    private readonly FileStream _file;

    private FileReplacement(string target, string? temporary, UnixFileStatus? existing, FileStream file)
    {
        _target = target;
        _temporary = temporary;
        _existing = existing;
        _file = file;
    }

    /// <summary>Where to write the content.</summary>
    public Stream Stream => _file;

    /// <summary>Starts writing <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The path is a directory, block device or socket, or cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory or device cannot be written.</exception>
    public static FileReplacement Begin(string path, bool useAsync)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        UnixFileStatus? existing = OperatingSystem.IsLinux() ? UnixFileStatus.Read(full) : null;
        switch (existing?.Kind)
        {
            case UnixFileKind.CharacterDevice or UnixFileKind.Fifo:
                // Through the path as given: a link into /proc (/dev/stdout) leads to a pipe or terminal no other name reaches.
                return new FileReplacement(full, temporary: null, existing, Open(full, FileMode.Open, FileShare.ReadWrite, useAsync, createMode: null));
            case UnixFileKind.Directory:
                throw new IOException($"{full} is a directory");
            case UnixFileKind.BlockDevice or UnixFileKind.Socket:
                throw new IOException(
                    $"{full} is a {(existing.Value.Kind == UnixFileKind.Socket ? "socket" : "block device")}: " +
                    "write to a regular file, a character device such as /dev/stdout, or a FIFO");
            case UnixFileKind.Regular when existing.Value.Links > 1:
                throw new IOException($"{full} has {HardLinks(existing.Value.Links)}");
        }

        string target = FinalTarget(full);
        RemoveStaleTemporaries(target);
        // A random version-4 GUID: from the system's random source, where RandomNumberGenerator loads OpenSSL (5 ms a run).
        string temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}{TemporaryMarker}{Guid.NewGuid():N}{TemporaryExtension}");
        // Private while it is written: the file it replaces may have been private too.
        UnixFileMode createMode = existing is null ? NewFileMode : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var replacement = new FileReplacement(target, temporary, existing, Open(temporary, FileMode.CreateNew, FileShare.None, useAsync, createMode));
        Unfinished.TryAdd(temporary, 0);
        return replacement;
    }

    /// <summary>
    /// Why a file with <paramref name="links"/> hard links is not written, and the way out: <c>N hard links: …</c>, to follow
    /// "FILE has" or "it has".
    /// </summary>
    internal static string HardLinks(uint links) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{links} hard links: fwrules replaces a file whole by rename, which would leave the other {(links == 2 ? "link" : "links")} with the " +
            $"old content; remove {(links == 2 ? "it, or make it a symbolic link" : "them, or make them symbolic links")} to this file (ln -sf)");

    /// <summary>
    /// Removes the temporary files this process is writing, for a process about to end mid-write (a stop that cannot wait for
    /// the write to finish): no target is left with one beside it, and each target stays as it was. A write that goes on
    /// after this fails.
    /// </summary>
    public static void RemoveUnfinished()
    {
        foreach (string temporary in Unfinished.Keys)
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Puts the written content in the target's place.</summary>
    /// <param name="durable">Flush to disk first, so the new content survives a crash (cache files).</param>
    /// <exception cref="IOException">The content cannot be flushed or moved, or the file's owner cannot be kept; the target is unchanged.</exception>
    public void Commit(bool durable)
    {
        _file.Flush(flushToDisk: durable && _temporary is not null);
        _file.Dispose();
        if (_temporary is null)
        {
            _committed = true;
            return;
        }

        KeepOwnerAndPermissions();
        File.Move(_temporary, _target, overwrite: true);
        Unfinished.TryRemove(_temporary, out _);
        _committed = true;
    }

    /// <summary>Closes the stream and, unless committed, removes the temporary file: the target stays as it was.</summary>
    public void Dispose()
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException) when (!_committed)
        {
            // The write already failed (a full disk: closing flushes the rest of the buffer, and fails again). The content
            // is abandoned, and the failure that abandoned it is the one to report.
        }
        finally
        {
            if (!_committed && _temporary is not null)
            {
                TryDelete(_temporary);
                Unfinished.TryRemove(_temporary, out _);
            }
        }
    }

    private static FileStream Open(string path, FileMode mode, FileShare share, bool useAsync, UnixFileMode? createMode)
    {
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.Write,
            Share = share,
            BufferSize = 1 << 16,
            Options = useAsync ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (createMode is { } unixMode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>The file a chain of symbolic links ends at (which need not exist yet); the path itself when it is no link.</summary>
    private static string FinalTarget(string path) =>
        new FileInfo(path).LinkTarget is null ? path : File.ResolveLinkTarget(path, returnFinalTarget: true)!.FullName;

    /// <summary>Removes the temporary files of <paramref name="target"/> that no live run holds: those of runs that were killed.</summary>
    private static void RemoveStaleTemporaries(string target)
    {
        string prefix = $".{Path.GetFileName(target)}{TemporaryMarker}";
        foreach (string candidate in Directory.EnumerateFiles(Path.GetDirectoryName(target)!, "*" + TemporaryExtension))
        {
            if (!Path.GetFileName(candidate).StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                // A writing run holds its file locked; taking the lock means the run is gone.
                new FileStream(candidate, FileMode.Open, FileAccess.Write, FileShare.None).Dispose();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            TryDelete(candidate);
        }
    }

    private void KeepOwnerAndPermissions()
    {
        if (_existing is not { } existing || !OperatingSystem.IsLinux())
        {
            return;
        }

        UnixFileStatus written = UnixFileStatus.Read(_temporary!) ?? throw new IOException($"{_temporary} vanished while it was written");
        if (written.Owner != existing.Owner || written.Group != existing.Group)
        {
            try
            {
                UnixFileStatus.SetOwner(_temporary!, existing.Owner, existing.Group);
            }
            catch (IOException ex)
            {
                throw new IOException(
                    $"{_target} belongs to user {existing.Owner}, group {existing.Group}, and replacing it would not keep that ({ex.Message}); run as that user or as root");
            }
        }

        // After the owner: changing it clears the set-user and set-group bits.
        File.SetUnixFileMode(_temporary!, existing.Permissions);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next write of the same target removes it.
        }
    }
}
