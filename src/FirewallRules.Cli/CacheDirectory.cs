namespace FirewallRules.Cli;

/// <summary>Where fetched documents are kept when no <c>--cache</c> is given.</summary>
internal static class CacheDirectory
{
    /// <summary><c>$XDG_CACHE_HOME/fwrules</c>, else <c>~/.cache/fwrules</c> (the XDG base directory convention).</summary>
    public static string Default
    {
        get
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            // The XDG spec says a relative value is invalid and must be ignored.
            return !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                ? Path.Combine(xdg, "fwrules")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "fwrules");
        }
    }
}
