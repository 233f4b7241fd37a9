using System.Globalization;

namespace FirewallRules.Fetching;

/// <summary>
/// The document would empty a section, or shrink it by more than <see cref="SnapshotStore.MaxAddressLoss"/>,
/// compared with the stored current one. An allow-list built from it could cut off traffic that works
/// today (an empty allow-list is an outage), so nothing was written; save with <c>force</c> to accept it.
/// </summary>
public sealed class SnapshotShrinkException : SnapshotRefusedException
{
    /// <summary>Creates the exception listing every section and family that shrank too far.</summary>
    /// <param name="source">Where the documents come from, e.g. <c>datadoghq.com</c>.</param>
    /// <param name="refusedVersion">The version offered.</param>
    /// <param name="currentVersion">The version stored and current.</param>
    /// <param name="shrinkages">What shrank; at least one.</param>
    /// <param name="maxAddressLoss">The share of a section's addresses that may go (for the message).</param>
    public SnapshotShrinkException(string source, long refusedVersion, long currentVersion, IReadOnlyList<SectionShrinkage> shrinkages, double maxAddressLoss)
        : this(source, refusedVersion, currentVersion, string.Create(CultureInfo.InvariantCulture, $"version {currentVersion}"), shrinkages, maxAddressLoss)
    {
    }

    /// <summary>The same, naming the document compared with as <paramref name="baseline"/> (the snapshot shipped in the library, say).</summary>
    internal SnapshotShrinkException(
        string source, long refusedVersion, long currentVersion, string baseline, IReadOnlyList<SectionShrinkage> shrinkages, double maxAddressLoss)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"refused ip-ranges version {refusedVersion} for {source}: compared with {baseline}, {string.Join("; ", shrinkages ?? [])} " +
            $"(at most {maxAddressLoss * 100:0}% of a section's addresses may go, and none may be emptied)"))
    {
        ArgumentNullException.ThrowIfNull(shrinkages);
        Shrinkages = shrinkages;
        RefusedVersion = refusedVersion;
        CurrentVersion = currentVersion;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SnapshotShrinkException()
    {
        Shrinkages = [];
    }

    /// <summary>Creates the exception with a message.</summary>
    public SnapshotShrinkException(string message)
        : base(message)
    {
        Shrinkages = [];
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SnapshotShrinkException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Shrinkages = [];
    }

    /// <summary>Every section and family that would shrink too far.</summary>
    public IReadOnlyList<SectionShrinkage> Shrinkages { get; }
}
