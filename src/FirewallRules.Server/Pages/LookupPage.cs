using System.Net;

namespace FirewallRules.Server.Pages;

/// <summary>
/// <c>/lookup?q=3.233.150.7</c>: which mirrored sites and sections list an address or prefix, in which family, and
/// since which stored version; or which older version last listed it; or that none does.
/// </summary>
internal static class LookupPage
{
    /// <summary>The page for the query <paramref name="query"/> (null: just the form).</summary>
    public static byte[] Render(MirrorState state, string? query)
    {
        Html page = Html.Page("Is it Datadog's?", PageRoutes.Navigation(state));
        page.Raw("<form class=\"inline\" method=\"get\" action=\"/lookup\" role=\"search\"><label>Address or prefix")
            .Raw("<input type=\"text\" name=\"q\" id=\"q\" inputmode=\"text\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"3.233.150.7 or 3.233.144.0/20\" value=\"")
            .Text(query).Raw("\"></label><button type=\"submit\">Look up</button></form>");
        if (string.IsNullOrWhiteSpace(query))
        {
            return page.Raw("<p>Every stored version of every mirrored site is searched.</p>").End();
        }

        if (!TryParse(query.Trim(), out IPNetwork network))
        {
            return page.Raw("<p id=\"answer\" class=\"bad\">Not an address or prefix: ").Text(query)
                .Raw(". Write an IPv4 or IPv6 address, or a prefix such as 3.233.144.0/20 (host bits zero).</p>").End();
        }

        Match[] matches = [.. state.Sites.SelectMany(site => Find(site, network))];
        page.Raw("<h2>").Text(network.ToString()).Raw("</h2>");
        if (matches.Length == 0)
        {
            return page.Raw("<p id=\"answer\" data-answer=\"none\">No mirrored site lists ").Text(network.ToString())
                .Raw(" in any stored version.</p>").End();
        }

        WriteMatches(page, matches, network);
        return page.End();
    }

    private static void WriteMatches(Html page, Match[] matches, IPNetwork network)
    {
        bool now = matches.Any(m => m.Current);
        page.Raw("<p id=\"answer\" data-answer=\"").Raw(now ? "listed" : "older").Raw("\">").Text(network.ToString())
            .Raw(now ? " is listed now." : " is not listed now, but an older stored version listed it.").Raw("</p>")
            .Raw("<div class=\"scroll\"><table id=\"matches\"><thead><tr><th scope=\"col\">Site</th><th scope=\"col\">Section</th>")
            .Raw("<th scope=\"col\">Family</th><th scope=\"col\">Listed now</th><th scope=\"col\">Versions</th></tr></thead><tbody>");
        foreach (Match match in matches)
        {
            page.Raw("<tr data-site=\"").Text(match.Site).Raw("\" data-section=\"").Text(match.Section).Raw("\" data-current=\"")
                .Raw(match.Current ? "true" : "false").Raw("\" data-since=\"").Number(match.First).Raw("\"><td>").Text(match.Site).Raw("</td><td>")
                .Text(match.Section).Raw("</td><td>").Text(match.Family).Raw("</td><td>").Raw(match.Current ? "yes" : "no").Raw("</td><td>");
            _ = match.Current
                ? page.Raw("since version ").Number(match.First).Raw(match.FirstKept ? " (the oldest kept)" : string.Empty)
                : page.Raw("versions ").Number(match.First).Raw(" to ").Number(match.Last).Raw(" (last listed in ").Number(match.Last).Raw(")");
            page.Raw(match.Partial ? "; partly covered" : string.Empty).Raw("</td></tr>");
        }

        page.Raw("</tbody></table></div>");
    }

    /// <summary>An address (as a /32 or /128) or a prefix in canonical form.</summary>
    internal static bool TryParse(string text, out IPNetwork network)
    {
        if (IPAddress.TryParse(text, out IPAddress? address) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    /// <summary>Every section of <paramref name="mirror"/> that lists <paramref name="network"/> in its latest run of stored versions.</summary>
    private static IEnumerable<Match> Find(SiteMirror mirror, IPNetwork network)
    {
        IReadOnlyList<VersionRecord> versions = mirror.History.Versions;
        var single = PrefixSet.Create(network);
        string family = network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6";
        foreach (string section in versions.SelectMany(v => v.Sections.Select(s => s.Name)).Distinct(StringComparer.Ordinal))
        {
            int last = -1;
            bool partial = false;
            for (int i = versions.Count - 1; i >= 0 && last < 0; i--)
            {
                PrefixSet? prefixes = versions[i].Find(section);
                (last, partial) = prefixes is null || prefixes.Intersect(single).IsEmpty ? (-1, false) : (i, !prefixes.Contains(network));
            }

            if (last < 0)
            {
                continue;
            }

            int first = last;
            while (first > 0 && versions[first - 1].Find(section) is { } earlier && !earlier.Intersect(single).IsEmpty)
            {
                first--;
            }

            yield return new Match(mirror.Site.Key, section, family, last == versions.Count - 1, versions[first].Version, first == 0, versions[last].Version, partial);
        }
    }

    private sealed record Match(string Site, string Section, string Family, bool Current, long First, bool FirstKept, long Last, bool Partial);
}
