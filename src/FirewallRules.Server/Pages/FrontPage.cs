using System.Globalization;
using FirewallRules.Emitters;
using FirewallRules.IO;
using FirewallRules.Ranges;

namespace FirewallRules.Server.Pages;

/// <summary>
/// <c>/</c>: per site, the version in force, its dates, how the last fetches went, each section's prefix and
/// address counts per family, and the URLs to paste into appliances, with the refresh interval to set.
/// </summary>
internal static class FrontPage
{
    /// <summary>The page, for a mirror reached at <paramref name="origin"/> (e.g. <c>http://mirror:8080</c>).</summary>
    public static byte[] Render(MirrorState state, MirrorSettings settings, EmitterRegistry registry, string origin, DateTimeOffset now)
    {
        Html page = Html.Page("Datadog IP ranges mirror", PageRoutes.Navigation(state));
        page.Raw("<p>This mirror serves Datadog's IP ranges for ").Number(state.Sites.Count).Raw(" site(s), refreshed every ")
            .Text(DurationText.Format(settings.Refresh)).Raw(". <a href=\"/lookup\">Look up an address</a>.</p>");
        foreach (SiteMirror mirror in state.Sites)
        {
            WriteSite(page, mirror, settings, registry, origin, now);
        }

        return page.End(servesLists: state.Sites.Any(mirror => mirror.Current is not null));
    }

    private static void WriteSite(Html page, SiteMirror mirror, MirrorSettings settings, EmitterRegistry registry, string origin, DateTimeOffset now)
    {
        string key = mirror.Site.Key;
        page.Raw("<section aria-labelledby=\"site-").Text(key).Raw("\"><h2 id=\"site-").Text(key).Raw("\">").Text(mirror.Site.Site.ToString()).Raw("</h2>");
        WriteFacts(page, mirror, settings, now);
        page.Raw("<p><a href=\"").Text(PageRoutes.History(key)).Raw("\">History, diff and chart</a> · <a href=\"")
            .Text(PageRoutes.Feed(key)).Raw("\">Changes feed (Atom)</a> · <a href=\"").Text($"/v1/{key}/ip-ranges.json").Raw("\">ip-ranges.json</a></p>");
        if (mirror.Current is { } served)
        {
            WriteCounts(page, key, served.Document);
            WriteUrls(page, key, served.Document, settings.Refresh, registry, origin);
        }

        page.Raw("</section>");
    }

    private static void WriteFacts(Html page, SiteMirror mirror, MirrorSettings settings, DateTimeOffset now)
    {
        ServedDocument? served = mirror.Current;
        page.Raw("<dl class=\"facts\"><dt>Version in force</dt><dd class=\"version\">");
        _ = served is null ? page.Raw("none yet") : page.Number(served.Document.Version);
        page.Raw("</dd><dt>Modified</dt><dd class=\"modified\">");
        _ = served is null ? page.Raw("-") : page.Modified(served.Document.Modified, served.Document.ModifiedText);
        page.Raw(mirror.Offline ? "</dd><dt>Last read (offline)</dt><dd>" : "</dd><dt>Last fetched</dt><dd>").Time(mirror.LastFetch?.At);
        if (mirror.LastFetch is { } last)
        {
            page.Raw(" (").Text(last.Result.Words()).Raw(")");
        }

        page.Raw("</dd><dt>Last confirmed</dt><dd class=\"confirmed\">");
        _ = mirror.Offline ? page.Raw("never: offline, no upstream") : page.Time(mirror.LastConfirmed?.At);
        page.Raw("</dd><dt>Health</dt>");
        (bool healthy, string health) = Health(mirror);
        page.Raw(healthy ? "<dd class=\"health ok\">" : "<dd class=\"health bad\">").Text(health).Raw("</dd><dt>Next refresh</dt><dd>");
        _ = mirror.NextFetch is { } next
            ? page.Time(next).Raw(" (in ").Text(next > now ? DurationText.Format(Round(next - now)) : "a moment").Raw(")")
            : page.Raw("after the first fetch");
        page.Raw(" · every ").Text(DurationText.Format(settings.Refresh)).Raw("</dd></dl>");
    }

    /// <summary>
    /// Whether the upstream confirmed what the site serves on its last fetch, in words: anything else (nothing yet, offline, the
    /// last fetch refused or failed) is not healthy, but for a stored version whose first fetch is pending, as <see cref="SiteMirror.IsDegraded"/> says.
    /// </summary>
    internal static (bool Healthy, string Text) Health(SiteMirror mirror) => (mirror.Current, mirror.LastFetch) switch
    {
        (null, null) => (false, "not ready: no vetted document yet"),
        (null, { } last) => (false, $"not ready: no vetted document yet; the last fetch: {last.Result.Words()} ({last.Detail})"),
        ({ } served, var last) when mirror.Offline && (last is null || last.Result.IsSuccess()) =>
            (false, $"degraded: offline, serving version {served.Document.Version} unconfirmed (no upstream){(last is null ? "" : $"; the last refresh: {last.Detail}")}"),
        (_, null) => (true, "serving the stored version; first fetch pending"),
        (_, { } last) when last.Result.IsSuccess() => (true, "healthy: the upstream confirmed the version in force"),
        ({ } served, { } last) => (false, $"degraded: serving version {served.Document.Version} unconfirmed; the last fetch: {last.Result.Words()} ({last.Detail})"),
    };

    private static TimeSpan Round(TimeSpan span) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(span.TotalSeconds)));

    private static void WriteCounts(Html page, string key, IpRangesDocument document)
    {
        page.Raw("<h3>Sections</h3><div class=\"scroll\"><table class=\"counts\" id=\"counts-").Text(key)
            .Raw("\"><thead><tr><th scope=\"col\">Section</th><th scope=\"col\">Family</th><th scope=\"col\" class=\"n\">Prefixes</th>")
            .Raw("<th scope=\"col\" class=\"n\">Size</th></tr></thead><tbody>");
        foreach (IpRangesSection section in document.SectionList)
        {
            WriteCount(page, section.Name, "IPv4", section.Prefixes.IPv4.Count, Html.Count(section.Prefixes.IPv4AddressCount) + " addresses");
            WriteCount(page, section.Name, "IPv6", section.Prefixes.IPv6.Count, IPv6Size.Describe(section.Prefixes.IPv6AddressCount));
        }

        page.Raw("</tbody></table></div><p class=\"muted\">Prefixes are aggregated (overlaps and neighbours merged), as the lists serve them. ")
            .Raw("IPv4 sizes are in addresses, IPv6 sizes in /64 networks, as <code>fwrules diff</code> counts them.</p>");
    }

    private static void WriteCount(Html page, string section, string family, int prefixes, string size) =>
        page.Raw("<tr data-section=\"").Text(section).Raw("\" data-family=\"").Text(family).Raw("\"><th scope=\"row\">").Text(section)
            .Raw("</th><td>").Text(family).Raw("</td><td class=\"n prefixes\">").Number(prefixes).Raw("</td><td class=\"n size\">")
            .Text(size).Raw("</td></tr>");

    private static void WriteUrls(Html page, string key, IpRangesDocument document, TimeSpan refresh, EmitterRegistry registry, string origin)
    {
        page.Raw("<h3>URLs to paste</h3>");
        foreach (Appliance appliance in Appliance.All)
        {
            page.Raw("<h4>").Text(appliance.Name).Raw("</h4><p>").Text(appliance.Where).Raw(" Refresh: <strong class=\"refresh\">")
                .Text(appliance.Refresh(refresh)).Raw("</strong>.</p><ul class=\"urls\" data-appliance=\"").Text(appliance.Id).Raw("\">");
            foreach (IpRangesSection section in document.SectionList)
            {
                string url = $"{origin}/v1/{key}/lists/{section.Name}.txt";
                page.CopyField($"u-{key}-{appliance.Id}-{section.Name}", $"{section.Name} for {appliance.Name}", url);
            }

            page.Raw("</ul>");
        }

        page.Raw("<h4>Rules, per format</h4><p>Rules for every section of a direction (egress by default; add <code>?section=logs,api</code> or ")
            .Raw("<code>?direction=ingress</code>), rendered as <code>fwrules generate</code> renders them. Fetch them again every ")
            .Text(DurationText.Format(refresh)).Raw(".</p><details><summary>").Number(registry.Formats.Count).Raw(" formats</summary><ul class=\"urls\" data-appliance=\"rules\">");
        foreach ((string format, string description) in registry.Formats)
        {
            page.CopyField($"r-{key}-{format}", $"{format}: {description}", $"{origin}/v1/{key}/rules/{format}");
        }

        page.Raw("</ul></details>");
    }

    /// <summary>An appliance that polls a plain list, where its setting is and the refresh to set for a mirror refreshing every so often.</summary>
    private sealed record Appliance(string Id, string Name, string Where, Func<TimeSpan, string> Refresh)
    {
        public static readonly Appliance[] All =
        [
            new("pfsense", "pfSense / OPNsense URL table",
                "Firewall › Aliases › add an alias of type URL Table (IPs) (OPNsense: type URL Table (IPs)), one per section.",
                refresh => string.Create(CultureInfo.InvariantCulture, $"Update Freq. {Math.Max(1, (int)Math.Ceiling(refresh.TotalDays))} day(s), the shortest it offers")),
            new("panos", "PAN-OS external dynamic list",
                "Objects › External Dynamic Lists › Add, Type: IP List, Source: the URL.",
                refresh => "Repeat: " + (refresh <= TimeSpan.FromMinutes(5) ? "Five Minute" : refresh <= TimeSpan.FromHours(1) ? "Hourly" : "Daily")),
            new("fortigate", "FortiGate external threat feed",
                "Security Fabric › External Connectors › Create New › Threat Feeds › IP Address, URI of external resource: the URL.",
                refresh => string.Create(CultureInfo.InvariantCulture, $"Refresh Rate {Math.Max(1, (int)Math.Ceiling(refresh.TotalMinutes))} minute(s)")),
        ];
    }
}
