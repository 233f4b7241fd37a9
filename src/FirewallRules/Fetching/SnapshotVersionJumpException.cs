namespace FirewallRules.Fetching;

/// <summary>
/// The document's version is further ahead of the stored current one than a feed that counts its changes one by
/// one ever moves (<see cref="SnapshotStore.MaxVersionJump"/>): a broken or hostile document, which, once
/// stored, would make every real version after it look like a rollback. Nothing was written; save with
/// <c>force</c> to accept it.
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
