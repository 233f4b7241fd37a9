using System.Globalization;
using FirewallRules.Advice;
using FirewallRules.Fetching;

namespace FirewallRules.Sync;

/// <summary>The time a run records and counts the keep period from: the host's clock, bounded by what the tool can vouch for.</summary>
internal sealed partial class FirewallSync
{
    /// <summary>How far the clock may be from the upstream's Date header (its own clock, a second's resolution, a slow answer) and still be used.</summary>
    internal static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The run's time: the clock, unless this run's fetch brought the upstream's Date header and the clock is more than
    /// <see cref="ClockTolerance"/> ahead of it, or provably behind it (a real-time clock wrong before NTP, a spoofed NTP answer; see
    /// <see cref="Vouched"/>): then the upstream's time, at most <see cref="DateAheadBound"/> past the last time vouched for. A clock ahead
    /// of it, a Date ahead of a clock not shown to be behind, and one cut to that bound, are each said in one line. Without a Date, the
    /// clock, or a vouched time ahead of it plus the clock's time since (<see cref="Unvouched"/>). And the latest last-seen time a record may hold (the run's time when the
    /// upstream vouched for it, else the newer of the document's <c>modified</c> and the last time an upstream's Date vouched for
    /// (never the clock alone, which a run without a Date would record as its confirmation); null when there is neither): one
    /// past it was written by a clock that ran ahead, or by hand, and counts as that time, so one run with the clock years ahead
    /// keeps no prefix for years.
    /// </summary>
    private (DateTimeOffset Now, DateTimeOffset? Latest) RunTime(DateTimeOffset? upstream, IpRangesDocument document, SyncState state)
    {
        DateTimeOffset clock = TimeProvider.GetUtcNow();
        if (upstream is not { } date)
        {
            DateTimeOffset? vouched = new[] { document.Modified, state.Vouched }.Max();
            return (Unvouched(state, clock), vouched);
        }

        if (clock - date > ClockTolerance)
        {
            Warn?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"this host's clock ({clock:yyyy-MM-dd HH:mm:ss}Z) is ahead of the upstream's Date header ({date:yyyy-MM-dd HH:mm:ss}Z): the times recorded and the " +
                    $"keep period count from the upstream's, and no later time is recorded; set the clock (NTP)"));
        }

        // The fetch that brought the Date recorded the time it vouched for (Vouched, against the state as it was read).
        DateTimeOffset now = state.Vouched ?? clock;
        if (date - clock > ClockTolerance && now <= clock)
        {
            Warn?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"the upstream's Date header ({date:yyyy-MM-dd HH:mm:ss}Z) is ahead of this host's clock ({clock:yyyy-MM-dd HH:mm:ss}Z), which no time recorded " +
                    $"before shows to be behind: the clock's time is recorded, not the upstream's; if the clock is behind, set it (NTP)"));
        }
        else if (date - clock > ClockTolerance && now > clock && now < date)
        {
            Warn?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"the upstream's Date header ({date:yyyy-MM-dd HH:mm:ss}Z) is more than {Age(DateAheadBound)} past the last time vouched for, and this host's " +
                    $"clock ({clock:yyyy-MM-dd HH:mm:ss}Z) is behind: {now:yyyy-MM-dd HH:mm:ss}Z is recorded, not the upstream's time; set the clock (NTP)"));
        }

        return (now, now);
    }

    /// <summary>
    /// Applies the keep period at the run's time (<see cref="RunTime"/>). When the upstream sent no Date, the clock cannot be vouched
    /// for and no last-seen time past the document's <c>modified</c> (or the last Date an upstream sent) is honoured: a retired prefix
    /// that this drops before its keep period ends is dropped (fail-closed: the clock may be ahead), and one line says so.
    /// </summary>
    private RetainedPrefixes Retain(IpRangesDocument document, IReadOnlyList<string> sections, SyncState state, DateTimeOffset? upstream, TimeSpan keep)
    {
        (DateTimeOffset now, DateTimeOffset? latest) = RunTime(upstream, document, state);
        RetainedPrefixes retained = Retention.Apply(document, sections, state, now, keep, latest);
        if (upstream is null && latest is { } bound && retained.CutShort > 0)
        {
            bool one = retained.CutShort == 1;
            Warn?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"the upstream sent no Date header, so this host's clock could not be vouched for: the grace of {retained.CutShort} retired " +
                    $"{(one ? "prefix" : "prefixes")} could not be honoured past {bound:yyyy-MM-dd HH:mm:ss}Z " +
                    $"({(bound == document.Modified ? "the document's modified" : "the last time an upstream's Date vouched for")}), and " +
                    $"{(one ? "it was" : "they were")} dropped before the keep period ended; have the upstream (or a proxy before it) send a Date header"));
        }

        return retained;
    }

    /// <summary>
    /// Counts a copy from when its origin last confirmed it, by the upstream's <c>Age</c> header (a mirror whose own upstream is down
    /// keeps answering with the version it holds): the file just stored is dated no later than that, so a later run that falls back on
    /// it does not count it as fresh; and one confirmed longer than <see cref="MaxStale"/> ago is refused exactly as a cached copy that
    /// old is (nothing loaded, the firewall left as it was), the state then recording that confirmation, so <see cref="MaxStale"/>
    /// holds behind a mirror too.
    /// </summary>
    /// <exception cref="NoUsableCachedCopyException">The upstream's Age is longer than <see cref="MaxStale"/>.</exception>
    private async Task CountFromTheOriginAsync(SnapshotUpdate update, SyncState state, CancellationToken cancellationToken)
    {
        if (update.UpstreamAge is not { } age || state.Confirmed is not { } confirmed)
        {
            return;
        }

        var copy = new FileInfo(update.Path);
        if (copy.Exists && copy.LastWriteTimeUtc > confirmed.UtcDateTime)
        {
            copy.LastWriteTimeUtc = confirmed.UtcDateTime;
        }

        if (MaxStale > TimeSpan.Zero && age > MaxStale)
        {
            if (!DryRun)
            {
                await new SyncStateFile(stateDirectory).WriteAsync(state, cancellationToken).ConfigureAwait(false);
            }

            throw new NoUsableCachedCopyException(new SettingAdvice(
                $"{SyncAdvice.Literal(settings.Site.IpRangesUri.ToString())} answered with ip-ranges version {update.Current.Version}, which its own upstream " +
                    $"last confirmed {Age(age)} ago (its Age header), longer than {{0}} {Age(MaxStale)}: nothing was loaded, the firewall was left as it was " +
                    "(the mirror's upstream is down, or the mirror is offline)", SyncAdvice.MaxStale), null);
        }
    }

    /// <summary>
    /// The clock, or the upstream's <paramref name="date"/> when the clock is more than <see cref="ClockTolerance"/> ahead of it, or behind
    /// it and behind a time already known to have passed (<paramref name="vouched"/>, the last time an upstream's Date vouched for, or the
    /// shipped snapshot's <c>modified</c>: a real-time clock reset at boot). A Date ahead of a clock nothing shows to be behind is the
    /// upstream's word alone: taken, one answer dated years ahead would make every time recorded count as that, and a cached copy as
    /// fresh, until then.
    /// </summary>
    /// <remarks>
    /// The clock counts as behind only when it is more than <see cref="ClockTolerance"/> behind <paramref name="vouched"/> (a time recorded with
    /// the clock within the tolerance of a Date may be that much ahead of it), and such a Date counts as at most <see cref="DateAheadBound"/>
    /// past the later of <paramref name="vouched"/> and the shipped snapshot's <c>modified</c>: a clock behind shows that the time is later
    /// than those, never how much later, so one answer dated 2040 is not recorded as 2040.
    /// </remarks>
    private static DateTimeOffset Vouched(DateTimeOffset clock, DateTimeOffset date, DateTimeOffset? vouched)
    {
        if (clock - date > ClockTolerance)
        {
            return date;
        }

        DateTimeOffset known = new[] { vouched, IpRangesDocument.Embedded.Modified }.Max()!.Value;
        bool behind = clock < (known == vouched ? known - ClockTolerance : known);
        DateTimeOffset bound = DateAheadBound > DateTimeOffset.MaxValue - known ? DateTimeOffset.MaxValue : known + DateAheadBound;
        return date - clock > ClockTolerance && behind ? (date < bound ? date : bound) : clock;
    }

    /// <summary>How far past the last time vouched for (or the shipped snapshot's <c>modified</c>) a Date ahead of a clock shown to be behind is counted.</summary>
    internal static readonly TimeSpan DateAheadBound = TimeSpan.FromDays(1);

    /// <summary>
    /// The time a run without an upstream's Date counts as now: the clock, unless the state's vouched time is more than
    /// <see cref="ClockTolerance"/> ahead of it (a real-time clock reset at boot; or a time nothing vouches for any more: a hostile Date once
    /// taken, a hand-edited state). Then that time plus how long the clock has run since the first such run (<see cref="SyncState.AheadSince"/>,
    /// recorded): never one fixed "now", so a retired prefix still leaves after the keep period and <see cref="MaxStale"/> is still reached.
    /// </summary>
    private static DateTimeOffset Unvouched(SyncState state, DateTimeOffset clock)
    {
        if (state.Vouched is not { } vouched || vouched - clock <= ClockTolerance)
        {
            state.AheadSince = null;
            return clock;
        }

        DateTimeOffset since = state.AheadSince is { } at && at <= clock ? at : clock;
        state.AheadSince = since;
        return clock - since > DateTimeOffset.MaxValue - vouched ? DateTimeOffset.MaxValue : vouched + (clock - since);
    }

    /// <summary>The one-line warning of a run whose clock is behind the time its cached copy was last confirmed (counted <paramref name="age"/> ago).</summary>
    private static string ClockBehind(DateTimeOffset now, DateTimeOffset newest, long version, TimeSpan age) => string.Create(CultureInfo.InvariantCulture,
        $"this host's clock ({now:yyyy-MM-dd HH:mm:ss}Z) is behind the time the cached ip-ranges version {version} was last confirmed " +
            $"({newest:yyyy-MM-dd HH:mm:ss}Z): it counts as confirmed " +
            $"{(age > TimeSpan.Zero ? $"{Age(age)} ago (the time the clock has run since it was first found behind)" : "now")}, " +
            $"and each grace period runs from the time recorded; set the clock (NTP)");

    /// <summary>The time a fetch answered without a Date records (<see cref="Unvouched"/>); one line says so when it is not the clock's.</summary>
    private DateTimeOffset AnsweredWithoutDate(SyncState state, DateTimeOffset clock)
    {
        DateTimeOffset counted = Unvouched(state, clock);
        if (counted != clock)
        {
            Warn?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"the sync state's last vouched time ({state.Vouched:yyyy-MM-dd HH:mm:ss}Z) is ahead of this host's clock ({clock:yyyy-MM-dd HH:mm:ss}Z) and the upstream sent " +
                    $"no Date header to confirm it: this run counts as {counted:yyyy-MM-dd HH:mm:ss}Z, that time plus the {Age(clock - state.AheadSince!.Value)} the " +
                    $"clock has run since it was first found ahead, so grace periods still end and the cached copy still ages; set the clock (NTP)"));
        }

        return counted;
    }

    /// <summary>A duration as a person reads it: <c>3d4h</c>, <c>5h12m</c>, <c>40s</c>.</summary>
    internal static string Age(TimeSpan age)
    {
        var i = CultureInfo.InvariantCulture;
        return age.TotalDays >= 1 ? string.Create(i, $"{(int)age.TotalDays}d{age.Hours}h")
            : age.TotalHours >= 1 ? string.Create(i, $"{(int)age.TotalHours}h{age.Minutes}m")
            : age.TotalMinutes >= 1 ? string.Create(i, $"{(int)age.TotalMinutes}m{age.Seconds}s")
            : string.Create(i, $"{Math.Max(0, (int)age.TotalSeconds)}s");
    }
}
