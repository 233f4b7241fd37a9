using System.Net;

namespace FirewallRules.Sync;

/// <summary>What <see cref="Retention"/> decided.</summary>
/// <param name="Effective">Per section, the prefixes to allow: published now, or kept.</param>
/// <param name="LastSeen">Per section, the prefixes to remember and when each was last seen published.</param>
/// <param name="Kept">The prefixes allowed only because they are within the keep period, with when they go.</param>
internal sealed record RetainedPrefixes(
    IReadOnlyDictionary<string, PrefixSet> Effective,
    IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> LastSeen,
    IReadOnlyList<KeptPrefix> Kept)
{
    /// <summary>
    /// How many retired prefixes were dropped only because their last-seen time counted as the latest time the run could vouch for:
    /// by the time recorded, they were still within the keep period.
    /// </summary>
    public int CutShort { get; init; }
}
