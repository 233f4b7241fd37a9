namespace FirewallRules.Server;

/// <summary>
/// What ends the refresher's line when a document is refused on every refresh: the way out, given by the command line so
/// that this assembly writes no flag.
/// </summary>
/// <param name="For">
/// For a fetched document, by the site's source and the mirror's cache directory: its own <c>fwrules fetch --force</c> command,
/// the one <c>sync</c> prints.
/// </param>
/// <param name="ForInput">
/// For an input file of an offline mirror (<c>--input</c>), which no fetch can replace (its line names the file): by the site, and
/// whether the refusal was a rollback (the file is older than what the store holds).
/// </param>
internal sealed record RefusalAdvice(Func<Site, string, string> For, Func<Site, bool, string> ForInput);
