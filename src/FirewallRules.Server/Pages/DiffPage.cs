using FirewallRules.Ranges;

namespace FirewallRules.Server.Pages;

/// <summary>
/// <c>/sites/{site}/diff?from=46&amp;to=47</c>: what changed between any two stored versions, read back from the
/// snapshot store: per section and family the aggregated prefixes added and removed, then the same report as
/// <c>fwrules diff</c> prints.
/// </summary>
internal static class DiffPage
{
    /// <summary>The page comparing <paramref name="older"/> with <paramref name="newer"/>.</summary>
    public static byte[] Render(MirrorState state, SiteMirror mirror, IpRangesDocument older, IpRangesDocument newer)
    {
        string key = mirror.Site.Key;
        IpRangesDiff diff = older.DiffTo(newer);
        Html page = Html.Page($"{mirror.Site.Site}: version {older.Version} to {newer.Version}", PageRoutes.Navigation(state), PageRoutes.Feed(key));
        page.Raw("<p><a href=\"").Text(PageRoutes.History(key)).Raw("\">All versions of ").Text(key).Raw("</a></p>");
        HistoryPage.WriteDiffForm(page, key, mirror.History.Versions, older.Version, newer.Version);
        page.Raw("<h2>Changes</h2>");
        if (!diff.HasAddressChanges)
        {
            page.Raw("<p id=\"no-change\">No address changed between these versions.</p>");
        }

        foreach (IpRangesSectionDiff section in diff.Sections.Where(s => s.HasAddressChanges))
        {
            page.Raw("<section class=\"section-diff\" data-section=\"").Text(section.Name).Raw("\"><h3>").Text(section.Name)
                .Raw(section.IsAdded ? " (added)" : section.IsRemoved ? " (removed)" : string.Empty).Raw("</h3>");
            WriteFamily(page, "IPv4", section.IPv4);
            WriteFamily(page, "IPv6", section.IPv6);
            page.Raw("</section>");
        }

        page.Raw("<h2>As <code>fwrules diff</code> reports it</h2><pre id=\"diff-text\">").Lines(diff.ToText()).Raw("</pre>");
        return page.End();
    }

    private static void WriteFamily(Html page, string family, PrefixChange change)
    {
        if (!change.HasAddressChanges)
        {
            return;
        }

        page.Raw("<h4>").Text(family).Raw(": <span class=\"added\">+").Number(change.Added.Count).Raw("</span> <span class=\"removed\">−")
            .Number(change.Removed.Count).Raw("</span> prefixes</h4><ul class=\"prefixes\">");
        foreach (System.Net.IPNetwork prefix in change.Added)
        {
            page.Raw("<li class=\"added\" data-change=\"+\"><code>+ ").Text(prefix.ToString()).Raw("</code></li>");
        }

        foreach (System.Net.IPNetwork prefix in change.Removed)
        {
            page.Raw("<li class=\"removed\" data-change=\"-\"><code>− ").Text(prefix.ToString()).Raw("</code></li>");
        }

        page.Raw("</ul>");
    }
}
