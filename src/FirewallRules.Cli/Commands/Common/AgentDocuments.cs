using FirewallRules.AgentConfig;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The ip-ranges document for an agent's plan: the agent's own site, or the site or mirror the command line names (one
/// that agrees, or a mirror that names no site: <see cref="SiteChoice.Check"/> refused the rest).
/// </summary>
internal static class AgentDocuments
{
    public static Task<IpRangesDocument> FetchAsync(RemoteSource remote, bool siteGiven, AgentPlan plan, CliConsole? console, CancellationToken cancellationToken)
    {
        RemoteSource source = siteGiven ? remote : remote with { Site = plan.Site };
        return source.CreateClient(console).GetAsync(source.Site, cancellationToken);
    }

    /// <summary>
    /// A saved document (<c>--input</c>) for the agent's plan: its site is the one <c>--site</c> names, else the one its path
    /// names (the cache's <c>&lt;domain&gt;/v59.json</c>, a <c>datadoghq.eu-v59.json</c> file); another site's document, or one
    /// whose site nothing names, is refused in one line: its prefixes would be rendered beside the agent's site's host names
    /// (a <c>--site</c> naming another site than the agent's is refused before, by <see cref="SiteChoice.Check"/>).
    /// When <c>--site</c> and the path name different sites, <c>--site</c> stands and a warning on <paramref name="console"/> says so.
    /// </summary>
    /// <exception cref="CliException">The document is another site's, its site is not known, or it cannot be read (exit 1).</exception>
    public static IpRangesDocument Input(string path, Site? named, AgentPlan plan, CliConsole console)
    {
        Site? byPath = SiteOfPath(path);
        Site? site = named ?? byPath;
        if (site is null)
        {
            throw new CliException($"{path}: which site's document this is is not known (its path names no site's domain) and the agent sends to {plan.Site}: "
                + $"say it with --site {plan.Site.Name.ToLowerInvariant()} if it is {plan.Site.Name}'s");
        }

        if (site != plan.Site && !site.IsCustom)
        {
            // A --site naming another site than the agent's was refused before (SiteChoice): this one is the path's.
            throw new CliException($"the agent sends to {plan.Site} but {path} is {site}'s document (by its path): "
                + $"use {plan.Site.Name}'s document (--live, or --input with its file and --site {plan.Site.Name.ToLowerInvariant()})");
        }

        if (named is not null && byPath is not null && byPath != named)
        {
            // --site is the operator's word against the path's: it stands, said aloud, since the header will name its site.
            console.WriteWarning($"{path} is named as {byPath}'s document (by its path); read as {named}'s because --site {named.Name.ToLowerInvariant()} says so");
        }

        return DocumentInput.Load(path, site);
    }

    /// <summary>The site a path names: a folder or file named after its domain, as the cache and Datadog's own host name write it.</summary>
    internal static Site? SiteOfPath(string path)
    {
        string[] parts = path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        foreach (string part in parts.Reverse())
        {
            string name = part.ToLowerInvariant();
            name = name.EndsWith(".json", StringComparison.Ordinal) ? name[..^".json".Length] : name;
            name = name.StartsWith("ip-ranges.", StringComparison.Ordinal) ? name["ip-ranges.".Length..] : name;
            foreach (Site site in Site.All.Where(s => !s.IsCustom).OrderByDescending(s => s.Domain.Length))
            {
                if (name == site.Domain || name.StartsWith(site.Domain + "-", StringComparison.Ordinal) || name.StartsWith(site.Domain + "_", StringComparison.Ordinal))
                {
                    return site;
                }
            }
        }

        return null;
    }
}
