namespace FirewallRules.Server;

/// <summary>
/// What ends the refresher's line when a fetched document is refused on every refresh: the way out, given by the command
/// line (its own <c>fwrules fetch --force</c> command, the one <c>sync</c> prints), so that this assembly writes no flag.
/// </summary>
/// <param name="For">The advice for a site's source and the mirror's cache directory.</param>
internal sealed record RefusalAdvice(Func<Site, string, string> For);
