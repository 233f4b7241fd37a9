namespace FirewallRules.Fetching;

/// <summary>
/// The document's version is lower than the stored current one: a stale mirror or cache, or a rollback.
/// Nothing was written; save with <c>force</c> to accept it.
/// </summary>
public sealed class SnapshotRollbackException : SnapshotRefusedException
{
    /// <summary>Creates the exception for <paramref name="refusedVersion"/> offered while <paramref name="currentVersion"/> is current.</summary>
    /// <param name="source">Where the documents come from, e.g. <c>datadoghq.com</c>.</param>
    /// <param name="refusedVersion">The version offered.</param>
    /// <param name="currentVersion">The version stored and current.</param>
    public SnapshotRollbackException(string source, long refusedVersion, long currentVersion)
        : base(
            $"refused ip-ranges version {refusedVersion} for {source}: version {currentVersion} is already stored, " +
            "and versions only go up (a stale mirror or cache, or a rollback?)")
    {
        RefusedVersion = refusedVersion;
        CurrentVersion = currentVersion;
    }

    /// <summary>
    /// Creates the exception for <paramref name="refusedVersion"/> offered when the newest vetted document known is the snapshot shipped in
    /// the library, <paramref name="shippedVersion"/>, and <paramref name="holds"/> says what the cache holds (none, or an older version).
    /// </summary>
    internal SnapshotRollbackException(string source, long refusedVersion, long shippedVersion, string holds)
        : base(
            $"refused ip-ranges version {refusedVersion} for {source}: version {shippedVersion}, the snapshot shipped in the library ({holds}), is newer, " +
            "and versions only go up (a stale mirror or cache, or a rollback?)")
    {
        RefusedVersion = refusedVersion;
        CurrentVersion = shippedVersion;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SnapshotRollbackException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SnapshotRollbackException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SnapshotRollbackException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
