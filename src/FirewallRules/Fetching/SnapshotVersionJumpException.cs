namespace FirewallRules.Fetching;

/// <summary>
/// The document's version is further ahead of the newest version known (the stored current one, or the snapshot
/// shipped in the library when that is newer or nothing is stored) than a feed that counts its changes one by one ever
/// moves (<see cref="SnapshotStore.MaxVersionJump"/>): a broken or hostile document, which, once stored, would make
/// every real version after it look like a rollback. Nothing was written; save with <c>force</c> to accept it.
/// <see cref="SnapshotRefusedException.CurrentVersion"/> is 0 when the store held no version.
/// </summary>
public sealed class SnapshotVersionJumpException : SnapshotRefusedException
{
    /// <summary>Creates the exception for <paramref name="refusedVersion"/> offered while <paramref name="currentVersion"/> is current.</summary>
    /// <param name="source">Where the documents come from, e.g. <c>datadoghq.com</c>.</param>
    /// <param name="refusedVersion">The version offered.</param>
    /// <param name="currentVersion">The version stored and current.</param>
    /// <param name="maxVersionJump">How far ahead a version may be (for the message).</param>
    public SnapshotVersionJumpException(string source, long refusedVersion, long currentVersion, long maxVersionJump)
        : base($"refused ip-ranges version {refusedVersion} for {source}: it is more than {maxVersionJump} versions ahead of the stored version {currentVersion}, "
            + "further than the feed moves between fetches (Datadog adds one per change); stored, it would make every real version after it look like a rollback")
    {
        RefusedVersion = refusedVersion;
        CurrentVersion = currentVersion;
    }

    /// <summary>
    /// Creates the exception for <paramref name="refusedVersion"/> when the newest version known is that of the snapshot shipped
    /// in the library, <paramref name="shippedVersion"/>, newer than the stored one (<paramref name="storedVersion"/>; null when
    /// the store holds none for the site).
    /// </summary>
    internal SnapshotVersionJumpException(string source, long refusedVersion, long? storedVersion, long shippedVersion, long maxVersionJump)
        : base($"refused ip-ranges version {refusedVersion} for {source}: it is more than {maxVersionJump} versions ahead of version {shippedVersion}, the newest "
            + $"known (the snapshot shipped in the library; {(storedVersion is long stored ? $"the cache holds version {stored}" : "the cache holds none")}), "
            + "further than the feed moves between fetches (Datadog adds one per change); stored, it would make every real version after it look like a rollback")
    {
        RefusedVersion = refusedVersion;
        CurrentVersion = storedVersion ?? 0;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SnapshotVersionJumpException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SnapshotVersionJumpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SnapshotVersionJumpException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
