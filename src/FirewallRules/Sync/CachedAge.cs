namespace FirewallRules.Sync;

/// <summary>
/// How long ago the upstream last confirmed the cached copy, from the facts a host keeps: the state's <c>confirmed</c>
/// time (for state written before it existed, see <see cref="FromEarlierVersion"/>) and the time the store wrote the
/// copy; the newer of the two counts. A confirmation ahead of the clock that the upstream's Date vouched for (the state's
/// <c>vouched</c>) counts as now: the clock is taken to be behind the records (a real-time clock reset at boot), so the
/// copy is as fresh as the records say, and is loaded (with a warning) rather than leaving the host without rules. One no
/// Date vouched for (a run without a Date while the clock ran ahead) counts as the last time one did; a file time ahead
/// of the clock counts for nothing: no one vouched for it (a copy stored while the clock ran ahead, or touched by hand), and
/// a later confirmation with the upstream's Date leaves it. So one run with the clock years ahead never makes a copy count
/// as fresh for years.
/// </summary>
internal static class CachedAge
{
    /// <summary>The age (zero when the newest time is ahead of the clock, see <see cref="Ahead"/>), or null when no time is recorded.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="state">The sync state read this run.</param>
    /// <param name="copyPath">The cached copy's file.</param>
    public static TimeSpan? Of(DateTimeOffset now, SyncState state, string copyPath) =>
        Newest(now, state, copyPath) is { } newest ? (newest > now ? TimeSpan.Zero : now - newest) : null;

    /// <summary>The newest time recorded for the copy when it is ahead of <paramref name="now"/> (the clock is behind it); else null.</summary>
    public static DateTimeOffset? Ahead(DateTimeOffset now, SyncState state, string copyPath) =>
        Newest(now, state, copyPath) is { } newest && newest > now ? newest : null;

    /// <summary>
    /// For state written before <c>confirmed</c> existed: when it was last written (the tool then wrote it only after a
    /// fetch), to be recorded as its <c>confirmed</c> time so that later runs, which write the state whether or not they
    /// fetched, count from there; null when the state is not of that kind or its time is ahead of the clock.
    /// </summary>
    public static DateTimeOffset? FromEarlierVersion(DateTimeOffset now, SyncState state, string statePath) =>
        state.Confirmed is null && WrittenAt(statePath) is { } written && written <= now ? written : null;

    private static DateTimeOffset? Newest(DateTimeOffset now, SyncState state, string copyPath) =>
        new[] { state.Confirmed > now && !state.ConfirmedVouched ? state.Vouched : state.Confirmed,
            WrittenAt(copyPath) is { } written && written <= now ? written : null }.Max();

    private static DateTimeOffset? WrittenAt(string path) =>
        File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : null;
}
