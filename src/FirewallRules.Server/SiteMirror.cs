namespace FirewallRules.Server;

/// <summary>
/// What the mirror holds for one site: the version in service, and how its fetches went. The refresher
/// is the only writer; requests read <see cref="Current"/> without locks.
/// </summary>
internal sealed class SiteMirror
{
    private readonly long[] _fetches = new long[Enum.GetValues<FetchResult>().Length];
    private ServedDocument? _current;
    private long _renders;
    private FetchOutcome? _lastFetch;
    private FetchOutcome? _lastConfirmed;
    private VersionHistory _history = VersionHistory.Empty;
    private long _nextFetchTicks;
    private long _confirmedTicks;

    public SiteMirror(MirroredSite site, bool offline = false)
    {
        Site = site;
        Offline = offline;
    }

    /// <summary>The site.</summary>
    public MirroredSite Site { get; }

    /// <summary>Whether the mirror fetches nothing (<c>serve --offline</c>, <c>--input</c>): no upstream confirms what it serves.</summary>
    public bool Offline { get; }

    /// <summary>The vetted version in service; null until one is held.</summary>
    public ServedDocument? Current => Volatile.Read(ref _current);

    /// <summary>The last fetch's result, when it ended and what it said; null before the first.</summary>
    public FetchOutcome? LastFetch => Volatile.Read(ref _lastFetch);

    /// <summary>
    /// The last fetch in which the upstream confirmed the document in service (updated, not modified or unchanged); null before one,
    /// and always offline.
    /// </summary>
    public FetchOutcome? LastConfirmed => Volatile.Read(ref _lastConfirmed);

    /// <summary>
    /// When the origin last confirmed the version in service, as far as this mirror can vouch: the last confirming fetch less its
    /// upstream's <c>Age</c> (a mirror behind a mirror); before one, when the store wrote the version (a restart: it was confirmed then,
    /// maybe since); offline, when the operator last copied it in (an input file holding it; else the document's own <c>modified</c>, as
    /// nothing later vouches for it, unless it is after the mirror stored the version). Null when nothing vouches at all.
    /// </summary>
    public DateTimeOffset? Confirmed => Interlocked.Read(ref _confirmedTicks) is long ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>
    /// The <c>Age</c> its answers carry (RFC 9111, 5.1): how long before <paramref name="now"/> the origin last confirmed the version
    /// in service (<see cref="Confirmed"/>), never below zero; the bound a client reads it with (<see cref="Fetching.AgeHeader.Bound"/>) when nothing vouches for it.
    /// </summary>
    public TimeSpan Age(DateTimeOffset now) => Confirmed is { } confirmed
        ? TimeSpan.FromSeconds(Math.Clamp(Math.Floor((now - confirmed).TotalSeconds), 0, Fetching.AgeHeader.Bound.TotalSeconds))
        : Fetching.AgeHeader.Bound;

    /// <summary>
    /// Whether what the site serves is not what the upstream confirmed on the last fetch: nothing yet, offline (nothing confirms
    /// it), or the last fetch refused or failed (the last good version stays in service). A stored version whose first fetch is
    /// pending (a restart) is not degraded: the store vetted it, and the fetch follows at once.
    /// </summary>
    public bool IsDegraded => Current is null || Offline || (LastFetch is { } last && !last.Result.IsSuccess());

    /// <summary>The vetted versions seen, oldest first, for the page.</summary>
    public VersionHistory History => Volatile.Read(ref _history);

    /// <summary>When the next fetch is due; null before the first fetch ended.</summary>
    public DateTimeOffset? NextFetch => Interlocked.Read(ref _nextFetchTicks) is long ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Responses rendered for this site since start (served from the cache afterwards).</summary>
    public long Renders => Interlocked.Read(ref _renders);

    /// <summary>How many fetches ended with <paramref name="result"/>.</summary>
    public long Fetches(FetchResult result) => Interlocked.Read(ref _fetches[(int)result]);

    /// <summary>
    /// Puts <paramref name="document"/> in service (a vetted document only). One fetched from an upstream
    /// mirror is read again as the site's own, so that rendered rules name the site, not the mirror.
    /// </summary>
    /// <param name="document">The document.</param>
    /// <param name="storedAt">When it was stored, for the history.</param>
    public void Serve(IpRangesDocument document, DateTimeOffset storedAt)
    {
        IpRangesDocument own = document.Site == Site.Site ? document : IpRangesDocument.Parse(document.Utf8Json, Site.Site);
        IpRangesDocument? previous = Current?.Document;
        Volatile.Write(ref _history, History.With(own, previous, storedAt));
        Volatile.Write(ref _current, new ServedDocument(own, () => Interlocked.Increment(ref _renders)));
        // Offline, the document's own modified vouches only when it is not after the mirror stored it (a clock or a document from the future).
        SetConfirmed(Offline ? (own.Modified is { } modified && modified <= storedAt ? modified : null) : storedAt);
    }

    /// <summary>Records that the upstream confirmed the version in service at <paramref name="at"/> (its answer's time less its Age).</summary>
    public void Confirm(DateTimeOffset at) => SetConfirmed(at);

    private void SetConfirmed(DateTimeOffset? at) => Interlocked.Exchange(ref _confirmedTicks, at?.UtcTicks ?? 0);

    /// <summary>Starts the history with what the snapshot store holds (the refresher's first step, before any version is served).</summary>
    public void Remember(VersionHistory history) => Volatile.Write(ref _history, history);

    /// <summary>Counts a fetch's result.</summary>
    /// <param name="result">How it ended.</param>
    /// <param name="at">When.</param>
    /// <param name="detail">What it said.</param>
    /// <param name="next">When the next fetch is due.</param>
    public void Record(FetchResult result, DateTimeOffset at, string detail, DateTimeOffset? next = null)
    {
        Interlocked.Increment(ref _fetches[(int)result]);
        var outcome = new FetchOutcome(result, at, detail);
        Volatile.Write(ref _lastFetch, outcome);
        if (result.IsSuccess() && !Offline)
        {
            Volatile.Write(ref _lastConfirmed, outcome);
        }

        if (next is { } due)
        {
            Interlocked.Exchange(ref _nextFetchTicks, due.UtcTicks);
        }
    }
}
