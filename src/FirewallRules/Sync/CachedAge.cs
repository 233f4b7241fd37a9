namespace FirewallRules.Sync;

/// <summary>
/// How long ago the upstream last confirmed the cached copy, from the facts a host keeps: the state's <c>confirmed</c>
/// time, the time the store wrote the copy, and, for state written before <c>confirmed</c> existed, when the state was
/// last written (the tool then wrote it only after a fetch). A time ahead of the clock proves nothing (the clock moved
/// back, or ran ahead when it was written), so it is left out; when every time is ahead, the age is unknown, never fresh.
/// </summary>
internal static class CachedAge
{
    /// <summary>The age, or null when unknown.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="state">The sync state read this run.</param>
    /// <param name="statePath">Where that state lives (its time counts only for state without <c>confirmed</c>); null when it could not be read.</param>
    /// <param name="copyPath">The cached copy's file.</param>
    public static TimeSpan? Of(DateTimeOffset now, SyncState state, string? statePath, string copyPath)
    {
        IEnumerable<DateTimeOffset?> facts =
        [
            state.Confirmed,
            WrittenAt(copyPath),
            state.Confirmed is null && statePath is not null ? WrittenAt(statePath) : null,
        ];
        DateTimeOffset[] known = [.. facts.OfType<DateTimeOffset>().Where(time => time <= now)];
        return known.Length == 0 ? null : now - known.Max();
    }

    private static DateTimeOffset? WrittenAt(string path) =>
        File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : null;
}
