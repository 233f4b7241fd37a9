using System.Globalization;

namespace FirewallRules.Fetching;

/// <summary>
/// The document would grow a section's addresses in a family to more than <see cref="SnapshotStore.MaxAddressGrowth"/> times
/// as many, and by more than a /16 in IPv4 (65,536 addresses) or a /48 in IPv6, compared with the stored current one.
/// An allow-list built from it would open egress to far more than Datadog (a broken or hostile document), and once stored
/// it would make the next genuine document look like a shrink; so nothing was written. Save with <c>force</c> to accept it.
/// </summary>
public sealed class SnapshotGrowthException : SnapshotRefusedException
{
    /// <summary>Creates the exception listing every section and family that grew too far.</summary>
    /// <param name="source">Where the documents come from, e.g. <c>datadoghq.com</c>.</param>
    /// <param name="refusedVersion">The version offered.</param>
    /// <param name="currentVersion">The version stored and current.</param>
    /// <param name="growths">What grew; at least one.</param>
    /// <param name="maxAddressGrowth">How many times its addresses a section may grow to (for the message).</param>
    public SnapshotGrowthException(string source, long refusedVersion, long currentVersion, IReadOnlyList<SectionGrowth> growths, double maxAddressGrowth)
        : this(source, refusedVersion, currentVersion, string.Create(CultureInfo.InvariantCulture, $"version {currentVersion}"), growths, maxAddressGrowth)
    {
    }

    /// <summary>The same, naming the document compared with as <paramref name="baseline"/> (the snapshot shipped in the library, say).</summary>
    internal SnapshotGrowthException(
        string source, long refusedVersion, long currentVersion, string baseline, IReadOnlyList<SectionGrowth> growths, double maxAddressGrowth)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"refused ip-ranges version {refusedVersion} for {source}: compared with {baseline}, {string.Join("; ", growths ?? [])} " +
            $"(a section may grow to at most {maxAddressGrowth:0.##} times its addresses, or by at most a /16 in IPv4 or a /48 in IPv6)"))
    {
        ArgumentNullException.ThrowIfNull(growths);
        Growths = growths;
        RefusedVersion = refusedVersion;
        CurrentVersion = currentVersion;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SnapshotGrowthException()
    {
        Growths = [];
    }

    /// <summary>Creates the exception with a message.</summary>
    public SnapshotGrowthException(string message)
        : base(message)
    {
        Growths = [];
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SnapshotGrowthException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Growths = [];
    }

    /// <summary>Every section and family that would grow too far.</summary>
    public IReadOnlyList<SectionGrowth> Growths { get; }
}
