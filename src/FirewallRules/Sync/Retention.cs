using System.Net;

namespace FirewallRules.Sync;

/// <summary>
/// Decides which prefixes stay allowed after Datadog stops publishing them: each aggregated prefix is remembered with the
/// last time it was seen published, and kept while that is less than the keep period ago.
/// </summary>
/// <remarks>
/// An address is allowed when the current document publishes it, or when some document seen less than the keep period
/// ago published it: the union of the current prefixes and every prefix last seen within the period. Datadog's guidance
/// is to allow every published range because only a subset is active at a time; the grace period covers connections and
/// DNS answers made before a change.
/// </remarks>
internal static class Retention
{
    /// <summary>Applies the keep period to <paramref name="sections"/> of <paramref name="document"/>, against the last-seen times <paramref name="state"/> holds.</summary>
    public static RetainedPrefixes Apply(IpRangesDocument document, IReadOnlyList<string> sections, SyncState state, DateTimeOffset now, TimeSpan keep) =>
        Apply(sections.ToDictionary(name => name, name => document[name].Prefixes, StringComparer.Ordinal), SyncStateFile.LastSeen(state), now, keep);

    /// <summary>Applies the keep period to the sections published now.</summary>
    /// <param name="published">Per section, what the current document publishes (aggregated).</param>
    /// <param name="lastSeen">Per section, each prefix and when it was last seen published, from earlier runs.</param>
    /// <param name="now">The time of this run, which becomes the last-seen time of everything published now.</param>
    /// <param name="keep">How long a prefix stays after it was last seen; zero drops it at once.</param>
    public static RetainedPrefixes Apply(
        IReadOnlyDictionary<string, PrefixSet> published, IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, DateTimeOffset now, TimeSpan keep)
    {
        var effective = new Dictionary<string, PrefixSet>(StringComparer.Ordinal);
        var seen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal);
        var kept = new List<KeptPrefix>();
        foreach ((string section, PrefixSet current) in published)
        {
            Dictionary<IPNetwork, DateTimeOffset> times = current.ToDictionary(prefix => prefix, _ => now);
            var still = new List<IPNetwork>();
            foreach ((IPNetwork prefix, DateTimeOffset at) in lastSeen.GetValueOrDefault(section) ?? [])
            {
                if (!times.ContainsKey(prefix) && now - at < keep)
                {
                    times[prefix] = at;
                    still.Add(prefix);
                }
            }

            PrefixSet retained = PrefixSet.Create(still);
            effective[section] = current.Union(retained);
            seen[section] = times;
            // Report only what is allowed beyond the current list (a reshuffled prefix is still published).
            kept.AddRange(retained.Except(current).Select(prefix => new KeptPrefix(section, prefix, Until(prefix, times, keep))));
        }

        return new RetainedPrefixes(effective, seen, kept);
    }

    // The latest expiry of a remembered prefix covering this (kept) piece.
    // Saturating: a last-seen time near the end of the calendar (9999-12-31) does not overflow.
    private static DateTimeOffset Until(IPNetwork piece, Dictionary<IPNetwork, DateTimeOffset> times, TimeSpan keep)
    {
        DateTimeOffset latest = times.Where(entry => entry.Key.Contains(piece.BaseAddress)).Max(entry => entry.Value);
        return latest > DateTimeOffset.MaxValue - keep ? DateTimeOffset.MaxValue : latest + keep;
    }
}
