using System.Net;

namespace FirewallRules.Sync;

/// <summary>What <see cref="Retention"/> decided.</summary>
/// <param name="Effective">Per section, the prefixes to allow: published now, or kept.</param>
/// <param name="LastSeen">Per section, the prefixes to remember and when each was last seen published.</param>
/// <param name="Kept">The prefixes allowed only because they are within the keep period, with when they go.</param>
internal sealed record RetainedPrefixes(
    IReadOnlyDictionary<string, PrefixSet> Effective,
    IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> LastSeen,
    IReadOnlyList<KeptPrefix> Kept);
