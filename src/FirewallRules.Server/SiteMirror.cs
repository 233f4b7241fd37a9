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

    public SiteMirror(MirroredSite site) => Site = site;

    /// <summary>The site.</summary>
    public MirroredSite Site { get; }

    /// <summary>The vetted version in service; null until one is held.</summary>
    public ServedDocument? Current => Volatile.Read(ref _current);

    /// <summary>The last fetch's result, when it ended and what it said; null before the first.</summary>
    public FetchOutcome? LastFetch => Volatile.Read(ref _lastFetch);

    /// <summary>Responses rendered for this site since start (served from the cache afterwards).</summary>
    public long Renders => Interlocked.Read(ref _renders);

    /// <summary>How many fetches ended with <paramref name="result"/>.</summary>
    public long Fetches(FetchResult result) => Interlocked.Read(ref _fetches[(int)result]);

    /// <summary>
    /// Puts <paramref name="document"/> in service (a vetted document only). One fetched from an upstream
    /// mirror is read again as the site's own, so that rendered rules name the site, not the mirror.
    /// </summary>
    public void Serve(IpRangesDocument document)
    {
        IpRangesDocument own = document.Site == Site.Site ? document : IpRangesDocument.Parse(document.Utf8Json, Site.Site);
        Volatile.Write(ref _current, new ServedDocument(own, () => Interlocked.Increment(ref _renders)));
    }

    /// <summary>Counts a fetch's result.</summary>
    public void Record(FetchResult result, DateTimeOffset at, string detail)
    {
        Interlocked.Increment(ref _fetches[(int)result]);
        Volatile.Write(ref _lastFetch, new FetchOutcome(result, at, detail));
    }
}
