using System.Globalization;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Lists;
using FirewallRules.IO;
using FirewallRules.Ranges;
using FirewallRules.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace FirewallRules.Server;

/// <summary>
/// The mirror's routes: the vetted document and its sections as Datadog serves them, plain lists for
/// appliances, rendered rules in every format, and the health and metrics endpoints.
/// </summary>
internal sealed class MirrorEndpoints(MirrorState state, MirrorMetrics metrics, EmitterRegistry registry, TimeProvider time)
{
    /// <summary>The format of the lists (<c>/lists/…</c>), rendered by the same emitter as <c>fwrules generate --format list</c>.</summary>
    public const string ListFormat = ListFormats.List;

    /// <summary>Adds the routes; anything else is a 404 that lists them.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        Map(app, "/healthz", "healthz", Health);
        Map(app, "/metrics", "metrics", _ => Representation.Text(metrics.Render(), lastModified: null, MirrorMetrics.ContentType));
        // The document is also the site's directory itself, as at https://ip-ranges.<domain>/, so that
        // --base-url http://mirror/v1/us1/ fetches it and its sections like Datadog's.
        Map(app, "/v1/{site}", "document", context => WithDocument(context, [], (_, _, served) => served.Whole));
        Map(app, "/v1/{site}/ip-ranges.json", "document", context => WithDocument(context, [], (_, _, served) => served.Whole));
        Map(app, "/v1/{site}/{section}.json", "section", context => WithDocument(context, [], Section));
        Map(app, "/v1/{site}/lists/{section}.txt", ListFormat, context => WithDocument(context, ["family", "comments"], List));
        Map(app, "/v1/{site}/rules/{format}", "rules", context => WithDocument(context, ["section", "direction", "family", "comments", "name"], Rules));
        app.Map("{*path}", context => RepresentationWriter.WriteAsync(context, Representation.Error(StatusCodes.Status404NotFound,
            $"not found: {Quote(context.Request.Path.Value)}. Routes: /v1/<site>/ip-ranges.json, /v1/<site>/<section>.json, " +
            "/v1/<site>/lists/<section>.txt, /v1/<site>/rules/<format>, /v1/<site>/changes.atom, /healthz, /metrics; for people: /, /sites/<site>/history, /lookup")))
            .WithDisplayName("unmatched");
    }

    private static void Map(IEndpointRouteBuilder app, string pattern, string name, Func<HttpContext, Representation> respond) =>
        app.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], context =>
        {
            Representation representation;
            try
            {
                representation = respond(context);
            }
            catch (RequestException ex)
            {
                representation = Representation.Error(ex.Status, ex.Message);
            }

            return RepresentationWriter.WriteAsync(context, representation);
        }).WithDisplayName(name);

    private Representation Health(HttpContext context)
    {
        if (state.IsReady)
        {
            // 200 while every site serves a vetted version (hosts judge each answer by its Age); the first word is "degraded" while one
            // serves a version the upstream did not confirm on the last fetch, which says why and how long ago it was confirmed.
            DateTimeOffset now = time.GetUtcNow();
            return Representation.Text(
                (state.Sites.Any(site => site.IsDegraded) ? "degraded: " : "ready: ") +
                string.Join(", ", state.Sites.Select(site => $"{site.Site.Key} version {site.Current!.Document.Version}" + (site.IsDegraded
                    ? $" ({Pages.FrontPage.Health(site).Text.Replace("degraded: ", string.Empty, StringComparison.Ordinal)}; " +
                        $"last confirmed by the upstream {DurationText.Format(site.Age(now))} ago)"
                    : string.Empty))) + "\n",
                lastModified: null);
        }

        IEnumerable<string> waiting = state.Sites.Where(site => site.Current is null)
            .Select(site => $"{site.Site.Key} has no vetted document yet" +
                $"{(site.LastFetch is { } last ? $" (last fetch: {MirrorMetrics.Label(last.Result)}: {last.Detail})" : string.Empty)}");
        context.Response.Headers.RetryAfter = "10";
        return Representation.Error(StatusCodes.Status503ServiceUnavailable, "not ready: " + string.Join("; ", waiting));
    }

    /// <summary>Finds the site and its document in service, checks the query's parameter names, then responds.</summary>
    private Representation WithDocument(HttpContext context, string[] parameters, Func<HttpContext, SiteMirror, ServedDocument, Representation> respond)
    {
        string name = (string)context.GetRouteValue("site")!;
        SiteMirror mirror = state.Find(name)
            ?? throw new RequestException(
                StatusCodes.Status404NotFound, $"unknown site {Quote(name)}: this mirror serves {string.Join(", ", state.Sites.Select(s => s.Site.Key))}");
        if (mirror.Current is not { } served)
        {
            context.Response.Headers.RetryAfter = "10";
            throw new RequestException(StatusCodes.Status503ServiceUnavailable, $"{mirror.Site.Key}: no vetted document yet; try again later");
        }

        if (context.Request.Query.Keys.FirstOrDefault(key => !parameters.Contains(key, StringComparer.Ordinal)) is string unknown)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, parameters.Length == 0
                ? $"unknown parameter {Quote(unknown)}: this address takes none"
                : $"unknown parameter {Quote(unknown)}: use {string.Join(", ", parameters)}");
        }

        Representation representation = respond(context, mirror, served);
        if (representation.EntityTag is not null)
        {
            // RFC 9111's Age on every answer of the version (a 304 too): how long ago the origin last confirmed it, so that a host behind
            // this mirror counts its --max-stale from there, not from this answer.
            context.Response.Headers.Age = ((long)mirror.Age(time.GetUtcNow()).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return representation;
    }

    private static Representation Section(HttpContext context, SiteMirror mirror, ServedDocument served)
    {
        string name = FindSection(mirror, served, (string)context.GetRouteValue("section")!);
        return served.GetOrRender($"section|{name}", () => Representation.Ok("application/json", SectionJson.Cut(served.Document.Utf8Json, name), served.LastModified));
    }

    /// <summary>A section's aggregated prefixes, one per line; a <c>#</c> header only with <c>comments=true</c> (Palo Alto's lists take none).</summary>
    private Representation List(HttpContext context, SiteMirror mirror, ServedDocument served)
    {
        string section = FindSection(mirror, served, (string)context.GetRouteValue("section")!);
        var options = new EmitterOptions { Families = Family(context.Request.Query), Comments = Flag(context.Request.Query, "comments", false) };
        return served.GetOrRender(
            string.Create(CultureInfo.InvariantCulture, $"list|{section}|{options.Families}|{options.Comments}"),
            () => Render(served, ListFormat, RuleSet.For(served.Document, [section]), options));
    }

    /// <summary>Rules in any format, for the sections asked for (all of a direction's by default), as <c>fwrules generate</c> renders them.</summary>
    private Representation Rules(HttpContext context, SiteMirror mirror, ServedDocument served)
    {
        string format = (string)context.GetRouteValue("format")!;
        if (!registry.Contains(format))
        {
            throw new RequestException(StatusCodes.Status404NotFound, $"unknown format {Quote(format)}: use one of {string.Join(", ", registry.Formats.Select(f => f.Format))}");
        }

        IQueryCollection query = context.Request.Query;
        string[] sections = query["section"].SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(section => FindSection(mirror, served, section)).ToArray();
        if (sections.Length == 0 && query.ContainsKey("section"))
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "section names none: name one or more, e.g. section=logs,api, or leave it out for all");
        }

        Direction? direction = Single(query, "direction") switch
        {
            null => null,
            "egress" => Direction.Egress,
            "ingress" => Direction.Ingress,
            string other => throw new RequestException(StatusCodes.Status400BadRequest, $"direction {Quote(other)}: use egress or ingress"),
        };
        string name = Single(query, "name") ?? "datadog";
        var options = EmitterOptions.IsValidName(name)
            ? new EmitterOptions { Name = name, Families = Family(query), Comments = Flag(query, "comments", true) }
            : throw new RequestException(StatusCodes.Status400BadRequest, $"name {Quote(name)}: use 1 to 20 characters, a letter first, then letters, digits, - or _");
        string key = string.Create(CultureInfo.InvariantCulture,
            $"rules|{format.ToLowerInvariant()}|{string.Join(',', sections)}|{direction}|{options.Name}|{options.Families}|{options.Comments}");
        return served.GetOrRender(key, () => Render(served, format, sections.Length == 0
            ? RuleSet.All(served.Document, direction ?? registry.Describe(format).DefaultDirection)
            : RuleSet.For(served.Document, sections, new RuleSetOptions { Direction = direction }), options));
    }

    /// <summary>
    /// Renders with the registry's emitter; a refusal (a family with nothing to allow) is an answer too, the
    /// same for every request of this version, so it is kept like any other.
    /// </summary>
    private Representation Render(ServedDocument served, string format, RuleSet rules, EmitterOptions options)
    {
        try
        {
            string text = rules.Render(registry.Create(format, options));
            return Representation.Text(text, served.LastModified, registry.Describe(format).MediaType + "; charset=utf-8");
        }
        catch (RuleGenerationException ex)
        {
            return Representation.Error(StatusCodes.Status422UnprocessableEntity, ex.Message);
        }
    }

    private static string FindSection(SiteMirror mirror, ServedDocument served, string requested) =>
        served.Document.TryGetSection(requested, out IpRangesSection? section)
            ? section.Name
            : throw new RequestException(StatusCodes.Status404NotFound,
                $"{mirror.Site.Key} version {served.Document.Version} has no section {Quote(requested)}: " +
                $"it has {string.Join(", ", served.Document.SectionList.Select(s => s.Name))}");

    private static AddressFamilies Family(IQueryCollection query) => Single(query, "family") switch
    {
        null or "both" => AddressFamilies.Both,
        "ipv4" => AddressFamilies.IPv4,
        "ipv6" => AddressFamilies.IPv6,
        string other => throw new RequestException(StatusCodes.Status400BadRequest, $"family {Quote(other)}: use ipv4, ipv6 or both"),
    };

    private static bool Flag(IQueryCollection query, string name, bool absent) => Single(query, name) switch
    {
        null => absent,
        "true" => true,
        "false" => false,
        string other => throw new RequestException(StatusCodes.Status400BadRequest, $"{name} {Quote(other)}: use true or false"),
    };

    /// <summary>A parameter given at most once; null when absent.</summary>
    private static string? Single(IQueryCollection query, string name)
    {
        StringValues values = query[name];
        return values.Count <= 1
            ? values.FirstOrDefault()
            : throw new RequestException(StatusCodes.Status400BadRequest, $"{name} is given {values.Count} times: give it once");
    }

    /// <summary>Text from the request, quoted and cut short for a message.</summary>
    private static string Quote(string? text) => text is null ? "''" : $"'{(text.Length > 64 ? text[..64] + "..." : text)}'";
}
