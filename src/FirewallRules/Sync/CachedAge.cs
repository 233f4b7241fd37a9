namespace FirewallRules.Sync;

/// <summary>
/// How long ago the upstream last confirmed the cached copy, from the facts a host keeps: the state's <c>confirmed</c>
/// time (for state written before it existed, see <see cref="FromEarlierVersion"/>) and the time the store wrote the
/// copy. A time ahead of the clock proves nothing (the clock moved back, or ran ahead when it was written), so it is left
/// out; when every time is ahead, the age is unknown, never fresh.
/// </summary>
internal static class CachedAge
{
    /// <summary>The age, or null when unknown.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="state">The sync state read this run.</param>
    /// <param name="copyPath">The cached copy's file.</param>
    public static TimeSpan? Of(DateTimeOffset now, SyncState state, string copyPath)
    {
        DateTimeOffset[] known = [.. new[] { state.Confirmed, WrittenAt(copyPath) }.OfType<DateTimeOffset>().Where(time => time <= now)];
        return known.Length == 0 ? null : now - known.Max();
    }

    /// <summary>
    /// For state written before <c>confirmed</c> existed: when it was last written (the tool then wrote it only after a
    /// fetch), to be recorded as its <c>confirmed</c> time so that later runs, which write the state whether or not they
    /// fetched, count from there; null when the state is not of that kind or its time is ahead of the clock.
    /// </summary>
    public static DateTimeOffset? FromEarlierVersion(DateTimeOffset now, SyncState state, string statePath) =>
        state.Confirmed is null && WrittenAt(statePath) is { } written && written <= now ? written : null;

    private static DateTimeOffset? WrittenAt(string path) =>
        File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : null;
}
