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
    /// <c>sync</c> only: the newest document could not be used (the fetch failed, the cache or the state could not be written,
    /// the state is damaged), and the firewall was brought to the newest vetted document of
    /// the cache (and its grace list) instead; one line on stderr says why, which version and how old.
    /// </summary>
    public const int FromCache = 4;

    /// <summary>
    /// <c>sync</c> only: the newest document was refused (an older version, a shrink, a growth, a version jump, a changed version, or
    /// not a valid document), and the firewall holds the newest vetted document of the cache instead, as for <see cref="FromCache"/>;
    /// apart from it so that a refusal never reads as success (the shipped systemd unit counts 4 alone as one).
    /// </summary>
    public const int Refused = 5;

    /// <summary>
    /// Any verb but <c>serve</c> stopped by SIGINT (Ctrl+C): one line on stderr, no output file half-written; a sync stops
    /// between its steps, putting back what it changed part-way (128 + 2, the shell's status for the signal).
    /// </summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (systemd's stop), as <see cref="Interrupted"/> (128 + 15).</summary>
    public const int Terminated = 143;
}
