namespace FirewallRules.Cli;

/// <summary>The process exit codes documented in the README; scripts depend on them.</summary>
internal static class ExitCode
{
    public const int Success = 0;

    /// <summary>Bad input or a refused operation: the message is on stderr and nothing was written.</summary>
    public const int BadInput = 1;

    /// <summary><c>diff --exit-code</c>: the documents differ (git diff's convention); the diff is on stdout.</summary>
    public const int Changed = 1;

    /// <summary>The command line itself is wrong (unknown verb or option, missing value).</summary>
    public const int Usage = 2;

    /// <summary>The network failed after retries; any cached copy is untouched.</summary>
    public const int Network = 3;

    /// <summary>
    /// <c>sync</c> only: the fetch failed, and the firewall was brought to the newest vetted document of the cache (and its
    /// grace list) instead; one line on stderr says which version, how old, and why the fetch failed.
    /// </summary>
    public const int FromCache = 4;

    /// <summary>
    /// <c>sync -f aws-prefix-list|aws-sg</c>: stopped by SIGINT (Ctrl+C) between two calls; what was changed part-way was put
    /// back first (128 + 2, the shell's status for the signal).
    /// </summary>
    public const int Interrupted = 130;

    /// <summary><c>sync -f aws-prefix-list|aws-sg</c>: stopped by SIGTERM (systemd's stop), as <see cref="Interrupted"/> (128 + 15).</summary>
    public const int Terminated = 143;
}
