namespace FirewallRules.Fetching;

/// <summary>
/// A stored document's file does not hold the bytes <see cref="SnapshotStore"/> vetted: its SHA-256 differs from the one
/// recorded when the store accepted it (the file was changed since), or none was recorded for its version (the file was put
/// there by another hand). The file is never loaded; the next fetch of that version replaces it.
/// </summary>
public sealed class SnapshotUnvettedException : IOException
{
    /// <summary>Creates the exception for <paramref name="version"/>'s file at <paramref name="path"/>.</summary>
    /// <param name="path">The stored file.</param>
    /// <param name="version">The version its name claims.</param>
    /// <param name="recorded">Whether the store recorded a SHA-256 for that version (then the file was changed since).</param>
    public SnapshotUnvettedException(string path, long version, bool recorded)
        : base(recorded
            ? $"{IO.TerminalText.EscapeWhole(path)} no longer holds ip-ranges version {version} as the cache vetted it (its SHA-256 is not the one recorded " +
                "when it was stored: changed since, by hand or tampering?)"
            : $"{IO.TerminalText.EscapeWhole(path)} was never vetted by the cache (no SHA-256 is recorded for ip-ranges version {version}: put there " +
                "by hand, or tampering?)")
    {
        FilePath = path;
        Version = version;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SnapshotUnvettedException()
        : base("a stored document does not hold the bytes the snapshot store vetted")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SnapshotUnvettedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SnapshotUnvettedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The stored file; null when not given.</summary>
    public string? FilePath { get; }

    /// <summary>The version the file's name claims; 0 when not given.</summary>
    public long Version { get; }
}
