namespace FirewallRules.Fetching;

/// <summary>
/// <see cref="SnapshotStore"/> refused to make a document current because it looks wrong for a feed of
/// allow-list entries; nothing was written. Saving with <c>force</c> accepts it anyway.
/// </summary>
/// <remarks>
/// The kinds of refusal are the subclasses: <see cref="SnapshotRollbackException"/>, <see cref="SnapshotVersionJumpException"/>,
/// <see cref="SnapshotShrinkException"/>, <see cref="SnapshotGrowthException"/> and <see cref="SnapshotConflictException"/>.
/// </remarks>
public abstract class SnapshotRefusedException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    protected SnapshotRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    protected SnapshotRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    protected SnapshotRefusedException()
        : base("the snapshot store refused the document")
    {
    }

    /// <summary>The version of the document that was refused.</summary>
    public long RefusedVersion { get; protected init; }

    /// <summary>The version that stays current.</summary>
    public long CurrentVersion { get; protected init; }
}
