namespace FirewallRules.Cli;

/// <summary>Where the tool keeps its files when no directory is given, after the XDG base directory convention.</summary>
internal static class UserDirectories
{
    /// <summary>Fetched documents: <c>$XDG_CACHE_HOME/fwrules</c>, else <c>~/.cache/fwrules</c>.</summary>
    public static string Cache => Resolve("XDG_CACHE_HOME", ".cache");

    /// <summary>What <c>sync</c> remembers between runs: <c>$XDG_STATE_HOME/fwrules</c>, else <c>~/.local/state/fwrules</c>.</summary>
    public static string State => Resolve("XDG_STATE_HOME", Path.Combine(".local", "state"));

    private static string Resolve(string variable, string underHome)
    {
        string? xdg = Environment.GetEnvironmentVariable(variable);
        // The XDG spec says a relative value is invalid and must be ignored.
        return !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? Path.Combine(xdg, "fwrules")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), underHome, "fwrules");
    }
}
