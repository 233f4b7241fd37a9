namespace FirewallRules.Fetching;

/// <summary>
/// A document claims a version that the store already vetted with different content (the SHA-256 recorded for it
/// differs): Datadog bumps the version on every change, so one of the two is not what Datadog published (a rewriting
/// mirror, or tampering). Nothing was written and the stored copy is kept; save with <c>force</c> to replace it. A stored
/// file that no longer holds the bytes vetted is no evidence: a fetch of that version replaces it without this refusal.
/// </summary>
public sealed class SnapshotConflictException : SnapshotRefusedException
{
    /// <summary>Creates the exception for <paramref name="version"/>, stored at <paramref name="path"/> with other content.</summary>
    /// <param name="source">Where the documents come from, e.g. <c>datadoghq.com</c>.</param>
    /// <param name="version">The version both documents claim.</param>
    /// <param name="path">The stored copy that is kept.</param>
    public SnapshotConflictException(string source, long version, string path)
        : base($"refused ip-ranges version {version} for {source}: {path} already holds version {version} with different content (a rewriting mirror, or tampering?)")
    {
        RefusedVersion = version;
        CurrentVersion = version;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SnapshotConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SnapshotConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SnapshotConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
