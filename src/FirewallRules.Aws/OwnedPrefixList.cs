using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Aws;

/// <summary>A customer-managed prefix list fwrules owns, as read from the account.</summary>
/// <param name="Id">The list's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Family">Its address family.</param>
/// <param name="Part">Its number within its family, from 1.</param>
/// <param name="Version">Its version when read: every change carries it, so a change made since fails instead of being overwritten.</param>
/// <param name="MaxEntries">Its size.</param>
/// <param name="Entries">Its entries at <paramref name="Version"/>.</param>
/// <param name="DocumentVersion">Its document-version tag; null when it has none.</param>
internal sealed record OwnedPrefixList(
    string Id, string Name, AddressFamilies Family, int Part, long Version, int MaxEntries, IReadOnlyList<IPNetwork> Entries, string? DocumentVersion = null)
{
    /// <summary>Every tag of the list (the shared grace record among them, <see cref="GraceRecord"/>).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// On the list holding its family's grace record: the entries the lists the record names held when it was written, read back at the
    /// versions it names (<see cref="GraceRecordSeal.HeldAt"/>) and matching its seal; null when the lists still hold those entries, or they
    /// cannot be read back (an older build's record, a version AWS no longer keeps).
    /// </summary>
    public PrefixSet? Recorded { get; init; }

    /// <summary>The account that owns the list (the account synced); null when AWS did not say.</summary>
    public string? OwnerId { get; init; }
}
