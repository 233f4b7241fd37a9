using FirewallRules.AgentConfig;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The site the command line names beside an agent's configuration: <c>--site</c> (when given) and <c>--base-url</c>. The
/// agent's own site decides, and a named site that contradicts it is refused: its ranges would be loaded for an agent that
/// sends elsewhere.
/// </summary>
/// <param name="Site">--site, when given.</param>
/// <param name="BaseUrl">--base-url, when given.</param>
internal sealed record SiteChoice(Site? Site, Site? BaseUrl)
{
    /// <summary>True when the command line names a site or a mirror: it is used instead of the agent's (once <see cref="Check"/> agreed).</summary>
    public bool Given => Site is not null || BaseUrl is not null;

    /// <summary>
    /// Refuses, in one line (exit 2), a <c>--site</c> or <c>--base-url</c> that names another site than the one the agent's
    /// configuration sends to. A mirror's address names a site by its host (<c>ip-ranges.datadoghq.eu</c>), a path segment
    /// (<c>fwrules serve</c>'s <c>/v1/eu1/</c>) or a file or folder named after its domain; one that names none is the operator's
    /// word, and stands.
    /// </summary>
    /// <exception cref="CliException">The named site is not the agent's (exit 2).</exception>
    public void Check(AgentPlan plan)
    {
        foreach ((string option, Site? named) in new[] { ("--site", Site), ("--base-url", BaseUrl) })
        {
            if (named is not null && Named(named) is { } site && site != plan.Site)
            {
                string given = named.IsCustom ? named.IpRangesUri.AbsoluteUri : named.Name.ToLowerInvariant();
                throw new CliException($"{option} {given} names {site}, but the agent's configuration sends to {plan.Site}: its rules would allow " +
                    $"{site.Name}'s ranges to an agent that sends to {plan.Site.Name}; drop {option} (the agent's site is used), or name {plan.Site.Name}'s " +
                    $"(--site {plan.Site.Name.ToLowerInvariant()}, or a mirror of it)", ExitCode.Usage);
            }
        }
    }

    /// <summary>The Datadog site <paramref name="site"/> is, or a mirror's address names; null for a mirror that names none.</summary>
    internal static Site? Named(Site site)
    {
        if (!site.IsCustom)
        {
            return site;
        }

        Uri uri = site.IpRangesUri;
        string[] segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string host = uri.Host.ToLowerInvariant();
        host = host.StartsWith("ip-ranges.", StringComparison.Ordinal) ? host["ip-ranges.".Length..] : host;
        return segments.Reverse().Select(s => FirewallRules.Site.All.FirstOrDefault(known => string.Equals(known.Name, s, StringComparison.OrdinalIgnoreCase)))
                .FirstOrDefault(known => known is not null)
            ?? AgentDocuments.SiteOfPath(uri.AbsolutePath)
            ?? FirewallRules.Site.All.FirstOrDefault(known => known.Domain == host);
    }
}
