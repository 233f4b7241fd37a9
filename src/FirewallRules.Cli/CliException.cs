namespace FirewallRules.Cli;

/// <summary>A refusal or bad input found by the tool itself, reported as one line on stderr with its exit code.</summary>
internal sealed class CliException(string message, int exitCode = ExitCode.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
