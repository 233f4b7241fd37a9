using FirewallRules.Emitters.Cloud;
using FirewallRules.Fetching;

namespace FirewallRules.Cli;

/// <summary>
/// The way out of a refusal that sync and serve cannot take themselves: the <c>fwrules fetch --force</c> command that
/// stores the refused document in the same cache, from the same source, for the operator to run once they have checked it.
/// The command line's own text (the library names no flag); <c>serve</c>'s refresher ends its line with the same advice,
/// handed to it as a RefusalAdvice.
/// </summary>
internal static class ForcedFetch
{
    /// <summary>
    /// The command, as one line a POSIX shell reads back: <c>fwrules fetch --force --site eu1 --cache /var/cache/fwrules</c>,
    /// or with <c>--base-url URL</c> (and <c>--allow-http</c> for plain http) for a mirror.
    /// </summary>
    /// <param name="site">The site or mirror the run fetched from.</param>
    /// <param name="cache">The cache directory the run used (made absolute: the command may be run from anywhere).</param>
    public static string Command(Site site, string cache)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentException.ThrowIfNullOrEmpty(cache);
        string source = site.IsCustom
            ? $"--base-url {ShellQuote.Argument(site.IpRangesUri.AbsoluteUri)}{(TransportPolicy.Refusal(site.IpRangesUri, false) is null ? string.Empty : " --allow-http")}"
            : $"--site {site.Name}";
        return $"fwrules fetch --force {source} --cache {ShellQuote.Argument(Path.GetFullPath(cache))}";
    }

    /// <summary>The advice a sync or a mirror ends a refusal's line with (the command last, to be copied whole): check it, then store it with <see cref="Command"/>.</summary>
    public static string Advice(Site site, string cache) =>
        $"if Datadog really changed that much, store it with: {Command(site, cache)}";
}
