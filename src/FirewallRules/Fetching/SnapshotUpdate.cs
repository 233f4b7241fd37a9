using System.Diagnostics.CodeAnalysis;

namespace FirewallRules.Fetching;

/// <summary>What a <see cref="SnapshotStore"/> update did: nothing (not modified), or which document replaced which.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class SnapshotUpdate
{
    internal SnapshotUpdate(bool isNotModified, IpRangesDocument current, IpRangesDocument? previous, string path)
    {
        IsNotModified = isNotModified;
        Current = current;
        Previous = previous;
        Path = path;
    }

    /// <summary>Whether the server said the stored document is still current; nothing was written.</summary>
    [MemberNotNullWhen(true, nameof(Previous))]
    public bool IsNotModified { get; }

    /// <summary>The document that is current in the store now.</summary>
    public IpRangesDocument Current { get; }

    /// <summary>
    /// The document that was current before: the newest the store could prove it vetted; null when the store held none for the site.
    /// The same as <see cref="Current"/> when not modified.
    /// </summary>
    public IpRangesDocument? Previous { get; }

    /// <summary>
    /// The refusal a forced save overrode (a rollback, a shrink, a growth, a version jump or a changed version), whose
    /// message says what it would have refused; null when nothing was forced through (or the save was not forced).
    /// </summary>
    public SnapshotRefusedException? OverriddenRefusal { get; internal init; }

    /// <summary>
    /// The file of this version that the save replaced because it did not hold the bytes the store vetted (changed since it
    /// was stored, or put there by another hand), whose message says which; null when there was none. Its content was
    /// never loaded.
    /// </summary>
    public SnapshotUnvettedException? ReplacedUnvetted { get; internal init; }

    /// <summary>
    /// The upstream's <c>Date</c> header on the answer this update came from (<see cref="IpRangesFetchResult.Date"/>); null when it sent
    /// none, or the update made no request (a save).
    /// </summary>
    public DateTimeOffset? UpstreamDate { get; internal init; }

    /// <summary>
    /// The upstream's <c>Age</c> header on the answer this update came from (<see cref="IpRangesFetchResult.Age"/>): how long before
    /// that answer its origin last confirmed the document; null when it sent none, or the update made no request.
    /// </summary>
    public TimeSpan? UpstreamAge { get; internal init; }

    /// <summary>The file <see cref="Current"/> is stored in.</summary>
    public string Path { get; }

    /// <summary>This update, with the upstream's <c>Date</c> and <c>Age</c> headers on the answer it came from.</summary>
    internal SnapshotUpdate WithUpstream(IpRangesFetchResult answer) => new(IsNotModified, Current, Previous, Path)
    {
        OverriddenRefusal = OverriddenRefusal,
        ReplacedUnvetted = ReplacedUnvetted,
        UpstreamDate = answer.Date,
        UpstreamAge = answer.Age,
    };

    /// <inheritdoc/>
    public override string ToString() => IsNotModified ? $"{Current}: not modified" : $"{Current}: saved to {Path}";
}
