using System.Globalization;
using System.Net;
using FirewallRules.Emitters;
using FirewallRules.Fetching;
using FirewallRules.Ranges;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FirewallRules.Server.Pages;

/// <summary>
/// The pages for people: the front page, each site's history and diffs, the lookup, the changes feed, and the
/// stylesheet and script they use. Rendered per request (people, not the fleet, ask for them); the fleet's routes are
/// untouched. Every page carries a strict Content-Security-Policy (<see cref="Html.ContentSecurityPolicy"/>).
/// </summary>
internal sealed class PageRoutes(MirrorState state, MirrorSettings settings, EmitterRegistry registry, SnapshotStore store, TimeProvider time)
{
    /// <summary>A site's history page.</summary>
    public static string History(string key) => $"/sites/{key}/history";

    /// <summary>A site's diff page (takes <c>from</c> and <c>to</c>).</summary>
    public static string Diff(string key) => $"/sites/{key}/diff";

    /// <summary>A site's changes feed.</summary>
    public static string Feed(string key) => $"/v1/{key}/changes.atom";

    /// <summary>The navigation every page shows.</summary>
    public static IEnumerable<(string Href, string Label)> Navigation(MirrorState state) =>
        [("/", "Sites"), .. state.Sites.Select(site => (History(site.Site.Key), $"{site.Site.Key} history")), ("/lookup", "Lookup")];

    /// <summary>Adds the routes.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        Map(app, "/", "page", context => Task.FromResult(Page(FrontPage.Render(state, settings, registry, Origin(context), time.GetUtcNow()))));
        Map(app, "/lookup", "page", context => Task.FromResult(Page(LookupPage.Render(state, Single(context, "q")))));
        Map(app, "/sites/{site}/history", "page", context => Task.FromResult(Page(HistoryPage.Render(state, Site(context)))));
        Map(app, "/sites/{site}/diff", "page", DiffAsync);
        Map(app, "/v1/{site}/changes.atom", "feed", context => Task.FromResult(Feed(Site(context), context)));
        Asset(app, "/static/page.css", "text/css; charset=utf-8", PageAssets.Css);
        Asset(app, "/static/page.js", "text/javascript; charset=utf-8", PageAssets.Script);
        Asset(app, "/static/icon.svg", "image/svg+xml", PageAssets.Icon);
        // Browsers ask for it on documents that name no icon (the Atom feed shown as XML).
        Asset(app, "/favicon.ico", "image/svg+xml", PageAssets.Icon);
    }

    private static void Asset(IEndpointRouteBuilder app, string path, string contentType, byte[] body)
    {
        Representation asset = Representation.Ok(contentType, body, null);
        Map(app, path, "asset", _ => Task.FromResult(asset));
    }

    private static void Map(IEndpointRouteBuilder app, string pattern, string name, Func<HttpContext, Task<Representation>> respond) =>
        app.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], async context =>
        {
            Representation representation;
            try
            {
                representation = await respond(context).ConfigureAwait(false);
            }
            catch (RequestException ex)
            {
                representation = Representation.Error(ex.Status, ex.Message);
            }

            IHeaderDictionary headers = context.Response.Headers;
            headers.ContentSecurityPolicy = Html.ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            await RepresentationWriter.WriteAsync(context, representation).ConfigureAwait(false);
        }).WithDisplayName(name);

    private static Representation Page(byte[] html) => Representation.Ok("text/html; charset=utf-8", html, null);

    private async Task<Representation> DiffAsync(HttpContext context)
    {
        SiteMirror mirror = Site(context);
        long from = Version(context, mirror, "from");
        long to = Version(context, mirror, "to");
        IpRangesDocument older = await LoadAsync(mirror, Math.Min(from, to), context.RequestAborted).ConfigureAwait(false);
        IpRangesDocument newer = await LoadAsync(mirror, Math.Max(from, to), context.RequestAborted).ConfigureAwait(false);
        return Page(DiffPage.Render(state, mirror, older, newer));
    }

    private async Task<IpRangesDocument> LoadAsync(SiteMirror mirror, long version, CancellationToken cancellationToken)
    {
        try
        {
            return await IpRangesDocument.LoadAsync(store.GetPath(mirror.Site.Source, version), mirror.Site.Site, store.ParseOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IpRangesFormatException)
        {
            throw new RequestException(StatusCodes.Status404NotFound, $"version {version} of {mirror.Site.Key} cannot be read from the snapshot store");
        }
    }

    private static long Version(HttpContext context, SiteMirror mirror, string name)
    {
        string? text = Single(context, name);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long version) && mirror.History.Find(version) is not null
            ? version
            : throw new RequestException(StatusCodes.Status404NotFound,
                $"{name}: choose a stored version of {mirror.Site.Key}: {string.Join(", ", mirror.History.Versions.Select(v => v.Version))}");
    }

    private SiteMirror Site(HttpContext context)
    {
        string name = (string)context.GetRouteValue("site")!;
        return state.Find(name) ?? throw new RequestException(StatusCodes.Status404NotFound,
            $"unknown site '{Html.Clean(name)}': this mirror serves {string.Join(", ", state.Sites.Select(s => s.Site.Key))}");
    }

    private static string? Single(HttpContext context, string name) =>
        context.Request.Query[name] is { Count: 1 } values ? values[0] : null;

    /// <summary>
    /// The mirror's address for URLs to paste and the feeds' links: its public URL when configured, else as the browser reached it
    /// (its Host header, or for a request without one, which HTTP/1.0 allows, the address and port it connected to).
    /// </summary>
    private string Origin(HttpContext context) =>
        settings.PublicUrl is { } configured ? configured.AbsoluteUri.TrimEnd('/')
            : $"{context.Request.Scheme}://{(context.Request.Host.HasValue ? context.Request.Host.Value : Reached(context.Connection))}";

    /// <summary>The local address and port a connection reached, e.g. <c>127.0.0.1:8080</c> or <c>[::1]:8080</c>.</summary>
    private static string Reached(ConnectionInfo connection)
    {
        IPAddress address = connection.LocalIpAddress ?? IPAddress.Loopback;
        return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, connection.LocalPort).ToString();
    }

    /// <summary>
    /// The changes feed, whose id never follows the request's Host header (a feed reader would take another Host for another
    /// feed): the feed's URL under the configured public URL, or without one the upstream's ip-ranges URL with <c>#changes</c>,
    /// as each entry's id is that URL with its two versions.
    /// </summary>
    private Representation Feed(SiteMirror mirror, HttpContext context)
    {
        string id = settings.PublicUrl is { } configured
            ? configured.AbsoluteUri.TrimEnd('/') + Feed(mirror.Site.Key)
            : mirror.Site.Site.IpRangesUri.AbsoluteUri + "#changes";
        return Representation.Ok(ChangesFeed.ContentType, ChangesFeed.Render(mirror, id, Origin(context), time.GetUtcNow()), null);
    }
}
