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
/// <para>A last-seen time ahead of the clock counts as now: the prefix is kept as if just seen, and the keep period it is
/// reported to end at is counted from now. What is written back depends on which is wrong. While the clock is behind
/// the state's last confirmation by the upstream (a real-time clock reset at boot: every record is ahead), each time is
/// written back as read, and a published prefix's is never moved back, so that once the clock is right each keep period
/// runs from its recorded time, not cut short by the clock's error. Otherwise (the time was written by a clock that ran
/// ahead, or by hand) it is written back as now, so no record keeps a prefix longer than the keep period from this run.</para>
/// </remarks>
internal static class Retention
{
    /// <summary>Applies the keep period to <paramref name="sections"/> of <paramref name="document"/>, against the last-seen times <paramref name="state"/> holds.</summary>
    /// <remarks>
    /// The clock counts as behind the records while it is behind the state's <see cref="SyncState.Confirmed"/> time. A recorded time
    /// later than <paramref name="latest"/> (the latest time the run can vouch for) counts as that time.
    /// </remarks>
    public static RetainedPrefixes Apply(
        IpRangesDocument document, IReadOnlyList<string> sections, SyncState state, DateTimeOffset now, TimeSpan keep, DateTimeOffset? latest = null)
    {
        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> recorded = SyncStateFile.LastSeen(state);
        RetainedPrefixes retained = Apply(sections.ToDictionary(name => name, name => document[name].Prefixes, StringComparer.Ordinal), AtMost(recorded, latest),
            now, keep, clockBehind: state.Confirmed > now);
        return retained with { CutShort = CutShort(recorded, retained, now, keep) };
    }

    // The retired prefixes dropped only because their time was bounded: neither published nor kept, yet within the keep period by the time recorded.
    private static int CutShort(Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> recorded, RetainedPrefixes retained, DateTimeOffset now, TimeSpan keep) =>
        recorded.Where(section => retained.LastSeen.ContainsKey(section.Key)).Sum(section => section.Value.Count(entry =>
            !retained.LastSeen[section.Key].ContainsKey(entry.Key) && now - Earlier(entry.Value, now) < keep));

    // The records with every time past latest counted as latest: one run with the clock years ahead keeps nothing for years.
    private static Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> AtMost(
        Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen, DateTimeOffset? latest) =>
        latest is not { } bound ? lastSeen
            : lastSeen.ToDictionary(s => s.Key, s => s.Value.ToDictionary(p => p.Key, p => p.Value > bound ? bound : p.Value), StringComparer.Ordinal);

    /// <summary>Applies the keep period to the sections published now.</summary>
    /// <param name="published">Per section, what the current document publishes (aggregated).</param>
    /// <param name="lastSeen">Per section, each prefix and when it was last seen published, from earlier runs.</param>
    /// <param name="now">The time of this run, which becomes the last-seen time of everything published now.</param>
    /// <param name="keep">How long a prefix stays after it was last seen; zero drops it at once.</param>
    /// <param name="clockBehind">True when the clock is known to be behind the records: times ahead of it are written back as read.</param>
    public static RetainedPrefixes Apply(IReadOnlyDictionary<string, PrefixSet> published, IReadOnlyDictionary<string, Dictionary<IPNetwork, DateTimeOffset>> lastSeen,
        DateTimeOffset now, TimeSpan keep, bool clockBehind = false)
    {
        var effective = new Dictionary<string, PrefixSet>(StringComparer.Ordinal);
        var seen = new Dictionary<string, Dictionary<IPNetwork, DateTimeOffset>>(StringComparer.Ordinal);
        var kept = new List<KeptPrefix>();
        foreach ((string section, PrefixSet current) in published)
        {
            Dictionary<IPNetwork, DateTimeOffset> recorded = lastSeen.GetValueOrDefault(section) ?? [];
            // Seen now; with the clock behind the records, never earlier than recorded.
            Dictionary<IPNetwork, DateTimeOffset> times = current.ToDictionary(prefix => prefix,
                prefix => clockBehind && recorded.TryGetValue(prefix, out DateTimeOffset at) && at > now ? at : now);
            var still = new List<IPNetwork>();
            foreach ((IPNetwork prefix, DateTimeOffset at) in recorded)
            {
                if (!times.ContainsKey(prefix) && now - Earlier(at, now) < keep)
                {
                    times[prefix] = clockBehind ? at : Earlier(at, now);
                    still.Add(prefix);
                }
            }

            PrefixSet retained = PrefixSet.Create(still);
            effective[section] = current.Union(retained);
            seen[section] = times;
            // Report only what is allowed beyond the current list (a reshuffled prefix is still published).
            kept.AddRange(retained.Except(current).Select(prefix => new KeptPrefix(section, prefix, Until(prefix, times, now, keep))));
        }

        return new RetainedPrefixes(effective, seen, kept);
    }

    // The latest expiry of a remembered prefix covering this (kept) piece, a time ahead of the clock counting as now.
    // Saturating: a last-seen time near the end of the calendar (9999-12-31), or a keep period longer than the calendar
    // itself (TimeSpan reaches 29,000 years), does not overflow; MaxValue - latest is a TimeSpan that always exists.
    private static DateTimeOffset Until(IPNetwork piece, Dictionary<IPNetwork, DateTimeOffset> times, DateTimeOffset now, TimeSpan keep)
    {
        DateTimeOffset latest = times.Where(entry => entry.Key.Contains(piece.BaseAddress)).Max(entry => Earlier(entry.Value, now));
        return keep > DateTimeOffset.MaxValue - latest ? DateTimeOffset.MaxValue : latest + keep;
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
