using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace FirewallRules.Server;

/// <summary>
/// The mirror's numbers in the Prometheus text format (version 0.0.4): per site the version served, its
/// age, the last fetch's result and every fetch and refusal counted; requests by route and status.
/// </summary>
internal sealed class MirrorMetrics(MirrorState state, TimeProvider time)
{
    /// <summary>The media type of the Prometheus text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly FetchResult[] Refusals = [FetchResult.Rollback, FetchResult.Shrink, FetchResult.Conflict, FetchResult.Invalid];

    private readonly ConcurrentDictionary<(string Route, int Status), StrongBox<long>> _requests = new();

    /// <summary>Counts requests by route (the endpoint's display name) and status, after each has been answered.</summary>
    public async Task CountAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            string route = context.GetEndpoint()?.DisplayName ?? "none";
            Interlocked.Increment(ref _requests.GetOrAdd((route, context.Response.StatusCode), _ => new StrongBox<long>()).Value);
        }
    }

    /// <summary>The metrics as text.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        DateTimeOffset now = time.GetUtcNow();
        Write(text, "fwrules_mirror_document_version", "gauge", "Version of the ip-ranges document in service (absent until one is held).",
            site => site.Current is { } current ? [(Labels(site), current.Document.Version)] : []);
        Write(text, "fwrules_mirror_document_age_seconds", "gauge", "Seconds since the document in service was modified, by its own date.",
            site => site.Current?.LastModified is DateTimeOffset modified ? [(Labels(site), Math.Round((now - modified).TotalSeconds))] : []);
        Write(text, "fwrules_mirror_ready", "gauge", "1 when a vetted document is in service for the site.",
            site => [(Labels(site), site.Current is null ? 0 : 1)]);
        Write(text, "fwrules_mirror_last_fetch_success", "gauge", "1 when the last fetch updated the document or found it current, 0 when it was refused or failed.",
            site => site.LastFetch is { } last ? [(Labels(site), last.Result.IsSuccess() ? 1 : 0)] : []);
        Write(text, "fwrules_mirror_last_fetch_timestamp_seconds", "gauge", "When the last fetch ended (Unix time).",
            site => site.LastFetch is { } last ? [(Labels(site), last.At.ToUnixTimeSeconds())] : []);
        Write(text, "fwrules_mirror_fetches_total", "counter", "Fetches by result (updated, not_modified, unchanged, rollback, shrink, conflict, invalid, failed, store_error).",
            site => Enum.GetValues<FetchResult>().Select(result => ($"{Labels(site)},result=\"{Label(result)}\"", (double)site.Fetches(result))));
        Write(text, "fwrules_mirror_refusals_total", "counter", "Documents refused: a rollback, a shrunk or emptied section, a changed version, or not a valid document.",
            site => [(Labels(site), Refusals.Sum(site.Fetches))]);
        Write(text, "fwrules_mirror_renders_total", "counter", "Responses rendered; each is then served from the cache until the version changes.",
            site => [(Labels(site), site.Renders)]);
        Family(text, "fwrules_mirror_requests_total", "counter", "Requests answered, by route and status code.");
        foreach (((string route, int status), StrongBox<long> count) in _requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            Sample(text, "fwrules_mirror_requests_total", string.Create(CultureInfo.InvariantCulture, $"route=\"{route}\",code=\"{status}\""), Interlocked.Read(ref count.Value));
        }

        return text.ToString();
    }

    /// <summary>One metric family: its help and type, then a sample per site (none for a site it does not apply to yet).</summary>
    private void Write(StringBuilder text, string name, string type, string help, Func<SiteMirror, IEnumerable<(string Labels, double Value)>> samples)
    {
        Family(text, name, type, help);
        foreach (SiteMirror site in state.Sites)
        {
            foreach ((string labels, double value) in samples(site))
            {
                Sample(text, name, labels, value);
            }
        }
    }

    /// <summary><c>not_modified</c> for <see cref="FetchResult.NotModified"/>: Prometheus label values in snake case.</summary>
    public static string Label(FetchResult result) => result switch
    {
        FetchResult.NotModified => "not_modified",
        FetchResult.StoreError => "store_error",
        _ => result.ToString().ToLowerInvariant(),
    };

    // Site keys are names this mirror was configured with (letters, digits, '-'): nothing to escape.
    private static string Labels(SiteMirror site) => $"site=\"{site.Site.Key}\"";

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
