namespace FirewallRules.Cli;

/// <summary>A refusal or bad input, reported as one line on stderr with its exit code (see <see cref="Failures"/>).</summary>
internal sealed class CliException : Exception
{
    /// <summary>A refusal the tool itself decided, with its exit code.</summary>
    public CliException(string message, int exitCode = Cli.ExitCode.BadInput)
        : base(message) => ExitCode = exitCode;

    /// <summary>
    /// A library failure with what the tool was doing: the line is <paramref name="prefix"/>, the cause's own line and
    /// <paramref name="suffix"/>, and the exit code is <paramref name="exitCode"/>, else the cause's.
    /// </summary>
    public CliException(Exception cause, string prefix = "", string suffix = "", int? exitCode = null)
        : base(prefix + cause.Message + suffix, cause)
    {
        Prefix = prefix;
        Suffix = suffix;
        ExitCode = exitCode;
    }

    /// <summary>
    /// A file named on the command line that could not be read. A directory gets its own words: the runtime reports
    /// opening one as "Access to the path is denied", which sends a user looking at permissions.
    /// </summary>
    public static CliException CannotRead(string source, Exception cause) =>
        new($"cannot read {source}: {(Directory.Exists(source) ? "it is a directory; name a file" : cause.Message)}");

    /// <summary>The exit code the tool decided; null when it comes from <see cref="Exception.InnerException"/>.</summary>
    public int? ExitCode { get; }

    /// <summary>What comes before the cause's line.</summary>
    public string Prefix { get; } = string.Empty;

    /// <summary>What comes after the cause's line.</summary>
    public string Suffix { get; } = string.Empty;
}
