using FirewallRules.Ranges;

namespace FirewallRules.Server.Pages;

/// <summary>
/// <c>/sites/{site}/history</c>: the chart of addresses per section over versions, the form that compares any two
/// stored versions, and every version with its dates and what changed per section.
/// </summary>
internal static class HistoryPage
{
    /// <summary>The page for <paramref name="mirror"/>.</summary>
    public static byte[] Render(MirrorState state, SiteMirror mirror)
    {
        string key = mirror.Site.Key;
        IReadOnlyList<VersionRecord> versions = mirror.History.Versions;
        Html page = Html.Page($"History of {mirror.Site.Site}", PageRoutes.Navigation(state), PageRoutes.Feed(key));
        page.Raw("<p>").Number(versions.Count).Raw(" stored version(s); this page keeps the newest ").Number(VersionHistory.MaxVersions)
            .Raw(". <a href=\"").Text(PageRoutes.Feed(key)).Raw("\">Changes feed (Atom)</a>.</p>");
        if (versions.Count == 0)
        {
            return page.Raw("<p>No vetted version yet.</p>").End();
        }

        HistoryChart.Write(page, versions);
        WriteDiffForm(page, key, versions, versions.Count > 1 ? versions[^2].Version : versions[^1].Version, versions[^1].Version);
        WriteVersions(page, versions);
        return page.End();
    }

    /// <summary>A form choosing two stored versions (a plain GET, no script needed).</summary>
    public static void WriteDiffForm(Html page, string key, IReadOnlyList<VersionRecord> versions, long from, long to)
    {
        page.Raw("<h2 id=\"compare\">Compare two versions</h2><form class=\"inline\" method=\"get\" action=\"").Text(PageRoutes.Diff(key)).Raw("\">");
        WriteChoice(page, "from", "From version", versions, from);
        WriteChoice(page, "to", "To version", versions, to);
        page.Raw("<button type=\"submit\">Compare</button></form>");
    }

    private static void WriteChoice(Html page, string name, string label, IReadOnlyList<VersionRecord> versions, long selected)
    {
        page.Raw("<label>").Text(label).Raw("<select name=\"").Raw(name).Raw("\">");
        foreach (VersionRecord version in versions.Reverse())
        {
            page.Raw(version.Version == selected ? "<option selected value=\"" : "<option value=\"").Number(version.Version).Raw("\">")
                .Number(version.Version).Raw(" (").Text(version.Modified is { } at ? Html.Stamp(at) : version.ModifiedText).Raw(")</option>");
        }

        page.Raw("</select></label>");
    }

    private static void WriteVersions(Html page, IReadOnlyList<VersionRecord> versions)
    {
        page.Raw("<h2>Versions</h2><div class=\"scroll\"><table id=\"versions\"><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Modified</th>")
            .Raw("<th scope=\"col\">Stored</th><th scope=\"col\">What changed</th></tr></thead><tbody>");
        foreach (VersionRecord version in versions.Reverse())
        {
            page.Raw("<tr data-version=\"").Number(version.Version).Raw("\"><th scope=\"row\">").Number(version.Version).Raw("</th><td>")
                .Modified(version.Modified, version.ModifiedText).Raw("</td><td>").Time(version.StoredAt).Raw("</td><td>");
            WriteChange(page, version.Change);
            page.Raw("</td></tr>");
        }

        page.Raw("</tbody></table></div>");
    }

    private static void WriteChange(Html page, VersionChange? change)
    {
        if (change is null)
        {
            page.Raw("<span class=\"muted\">oldest version kept</span>");
            return;
        }

        if (change.Sections.Count == 0)
        {
            page.Raw("no address changed (from v").Number(change.FromVersion).Raw(")");
            return;
        }

        page.Raw("from v").Number(change.FromVersion).Raw(":<ul>");
        foreach (SectionChange section in change.Sections)
        {
            page.Raw("<li data-section=\"").Text(section.Name).Raw("\">").Text(section.Name).Raw(": <span class=\"added\">+").Number(section.PrefixesAdded)
                .Raw("</span> <span class=\"removed\">−").Number(section.PrefixesRemoved).Raw("</span> prefixes; ");
            WriteSizes(page, section.AddedIPv4.IPv4AddressCount, section.RemovedIPv4.IPv4AddressCount, "IPv4", count => Html.Count(count) + " addresses");
            WriteSizes(page, section.AddedIPv6.IPv6AddressCount, section.RemovedIPv6.IPv6AddressCount, "IPv6", IPv6Size.Describe);
            page.Raw("</li>");
        }

        page.Raw("</ul>");
    }

    // Added and removed sizes of one family, in that family's words: "IPv4 +4,096 addresses −0 addresses", "IPv6 +2 /64 networks ...".
    private static void WriteSizes(Html page, UInt128 added, UInt128 removed, string family, Func<UInt128, string> size)
    {
        if (added > 0 || removed > 0)
        {
            page.Raw(" ").Text(family).Raw(" <span class=\"added\">+").Text(size(added)).Raw("</span> <span class=\"removed\">−").Text(size(removed)).Raw("</span>");
        }
    }
}
