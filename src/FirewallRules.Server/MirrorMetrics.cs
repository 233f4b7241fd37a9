using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;

namespace FirewallRules.Server;

/// <summary>
/// The mirror's numbers as <see cref="System.Diagnostics.Metrics"/> instruments of the <see cref="MeterName"/> meter,
/// so any exporter reads them (OTLP from <c>serve --otlp</c>, <c>dotnet-counters</c>); <c>/metrics</c> is written
/// from the same instruments in the Prometheus text format (<see cref="PrometheusText"/>). Per site: the version
/// served, its age and how long ago the upstream confirmed it, readiness, whether it is degraded (unconfirmed by the upstream),
/// the last fetch's result and when it ended, fetches by result (offline: the same of its imports, the refreshes that read its
/// files), refusals, renders; requests by route and status.
/// </summary>
internal sealed class MirrorMetrics : IDisposable
{
    /// <summary>The meter's name: the library's.</summary>
    public const string MeterName = "FirewallRules";

    private static readonly FetchResult[] Refusals = [FetchResult.Rollback, FetchResult.Shrink, FetchResult.Growth, FetchResult.Conflict, FetchResult.Invalid];

    private readonly MirrorState _state;
    private readonly TimeProvider _time;
    private readonly Counter<long> _requests;
    private readonly PrometheusText _prometheus;

    public MirrorMetrics(MirrorState state, TimeProvider time, IMeterFactory meters)
    {
        _state = state;
        _time = time;
        Meter = meters.Create(MeterName);
        Meter.CreateObservableGauge("fwrules.mirror.document.version", () => PerSite(site => site.Current?.Document.Version),
            "{version}", "Version of the ip-ranges document in service (absent until one is held).");
        Meter.CreateObservableGauge("fwrules.mirror.document.age", () => PerSite(DocumentAge),
            "s", "Seconds since the document in service was modified, by its own date.");
        Meter.CreateObservableGauge("fwrules.mirror.confirmed.age", () => PerSite(site => site.Current is null ? null : (double?)site.Age(_time.GetUtcNow()).TotalSeconds),
            "s", "Seconds since the upstream last confirmed the version in service: the Age header its answers carry.");
        Meter.CreateObservableGauge("fwrules.mirror.ready", () => PerSite(site => (long?)(site.Current is null ? 0 : 1)),
            "1", "1 when a vetted document is in service for the site.");
        Meter.CreateObservableGauge("fwrules.mirror.degraded", () => PerSite(site => (long?)(site.IsDegraded ? 1 : 0)),
            "1", "1 when the site serves nothing, or a version its upstream did not confirm on the last fetch: offline, refused or failed.");
        // A fetch is a request to the upstream: an offline mirror makes none, and counts its refreshes as imports.
        Meter.CreateObservableGauge("fwrules.mirror.last_fetch.success", () => LastRefresh(offline: false, Success),
            "1", "1 when the last fetch updated the document or found it current, 0 when it was refused or failed (absent offline).");
        Meter.CreateObservableGauge("fwrules.mirror.last_fetch.timestamp", () => LastRefresh(offline: false, Timestamp),
            "s", "When the last fetch ended (Unix time; absent offline).");
        Meter.CreateObservableCounter("fwrules.mirror.fetches", () => ByResult(offline: false),
            "{fetch}", "Fetches by result (updated, not_modified, unchanged, rollback, shrink, growth, conflict, invalid, failed, store_error; none offline).");
        Meter.CreateObservableGauge("fwrules.mirror.last_import.success", () => LastRefresh(offline: true, Success),
            "1", "Offline: 1 when the last refresh put a document in service or found it current, 0 when a file was refused or unreadable.");
        Meter.CreateObservableGauge("fwrules.mirror.last_import.timestamp", () => LastRefresh(offline: true, Timestamp),
            "s", "Offline: when the last refresh ended (Unix time).");
        Meter.CreateObservableCounter("fwrules.mirror.imports", () => ByResult(offline: true),
            "{import}", "Offline refreshes, each reading the --input files, by result (updated, unchanged, rollback, ..., failed, store_error).");
        Meter.CreateObservableCounter("fwrules.mirror.refusals", () => PerSite(site => (long?)Refusals.Sum(site.Fetches)),
            "{document}", "Documents refused: a rollback, a shrunk, emptied or widened section, a changed version, or not a valid document.");
        Meter.CreateObservableCounter("fwrules.mirror.renders", () => PerSite(site => (long?)site.Renders),
            "{response}", "Responses rendered; each is then served from the cache until the version changes.");
        _requests = Meter.CreateCounter<long>("fwrules.mirror.requests", "{request}", "Requests answered, by route and status code.");
        _prometheus = new PrometheusText(Meter);
    }

    /// <summary>The media type of the Prometheus text format.</summary>
    public const string ContentType = PrometheusText.ContentType;

    /// <summary>The meter every instrument belongs to.</summary>
    public Meter Meter { get; }

    /// <summary>Counts requests by route (the endpoint's display name) and status, after each has been answered.</summary>
    public async Task CountAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            _requests.Add(1, new("route", context.GetEndpoint()?.DisplayName ?? "none"), new("code", context.Response.StatusCode));
        }
    }

    /// <summary>The instruments' current values in the Prometheus text format.</summary>
    public string Render() => _prometheus.Render();

    /// <summary><c>not_modified</c> for <see cref="FetchResult.NotModified"/>: label values in snake case.</summary>
    public static string Label(FetchResult result) => result switch
    {
        FetchResult.NotModified => "not_modified",
        FetchResult.StoreError => "store_error",
        _ => result.ToString().ToLowerInvariant(),
    };

    public void Dispose() => _prometheus.Dispose();

    private double? DocumentAge(SiteMirror site) =>
        site.Current?.LastModified is DateTimeOffset modified ? Math.Round((_time.GetUtcNow() - modified).TotalSeconds) : null;

    private static long Success(FetchOutcome last) => last.Result.IsSuccess() ? 1 : 0;

    private static long Timestamp(FetchOutcome last) => last.At.ToUnixTimeSeconds();

    /// <summary>How the last refresh of each site that is (or is not) offline ended; none before its first.</summary>
    private IEnumerable<Measurement<long>> LastRefresh(bool offline, Func<FetchOutcome, long> value) =>
        PerSite(site => site.Offline == offline && site.LastFetch is { } last ? value(last) : (long?)null);

    private IEnumerable<Measurement<long>> ByResult(bool offline) =>
        _state.Sites.Where(site => site.Offline == offline).SelectMany(site => Enum.GetValues<FetchResult>().Select(result =>
            new Measurement<long>(site.Fetches(result), new("site", site.Site.Key), new("result", Label(result)))));

    /// <summary>One measurement per site the value applies to (none for a site it does not apply to yet).</summary>
    private IEnumerable<Measurement<T>> PerSite<T>(Func<SiteMirror, T?> value)
        where T : struct =>
        _state.Sites.Where(site => value(site) is not null).Select(site => new Measurement<T>(value(site)!.Value, new KeyValuePair<string, object?>("site", site.Site.Key)));
}
