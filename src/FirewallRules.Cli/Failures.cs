using FirewallRules.Advice;
using FirewallRules.AgentConfig;
using FirewallRules.Cidr;
using FirewallRules.Fetching;
using FirewallRules.Ranges;
using FirewallRules.Rules;
using FirewallRules.Sync;

namespace FirewallRules.Cli;

/// <summary>
/// The one place where a failure becomes what the user sees: one line on stderr and the documented exit code.
/// Anything not listed here is a bug, and keeps its stack trace.
/// </summary>
internal static class Failures
{
    /// <summary>Whether the tool expects <paramref name="exception"/>: bad input, a refusal, a network failure.</summary>
    public static bool IsExpected(Exception exception) => ExitCodeOf(exception) is not null;

    /// <summary>Writes an expected failure's line and returns its exit code.</summary>
    public static int Report(CliConsole console, Exception exception)
    {
        int code = ExitCodeOf(exception) ?? throw new ArgumentException("not an expected failure", nameof(exception), exception);
        console.WriteError($"fwrules: {Describe(exception)}");
        return code;
    }

    private static int? ExitCodeOf(Exception exception) => exception switch
    {
        CliException { ExitCode: int code } => code,
        CliException { InnerException: Exception cause } => ExitCodeOf(cause),
        PrefixFormatException => ExitCode.BadInput,
        IpRangesFormatException => ExitCode.BadInput,
        RuleGenerationException => ExitCode.BadInput,
        SnapshotRefusedException => ExitCode.BadInput,
        IpRangesFetchException => ExitCode.Network,
        InsecureTransportException => ExitCode.Usage,
        FirewallSyncException => ExitCode.BadInput,
        AgentConfigurationException => ExitCode.BadInput,
        // A render request the plan needs more of (the proxy's addresses): what the command line must add.
        AgentRequestException => ExitCode.Usage,
        // A cache or state directory someone else may write (IO.TrustedDirectory): refused before anything was read.
        System.Security.SecurityException => ExitCode.BadInput,
        _ => null,
    };

    private static string Describe(Exception exception) => exception switch
    {
        CliException { InnerException: Exception cause } wrapper => wrapper.Prefix + Describe(cause) + wrapper.Suffix,
        SnapshotRefusedException refused => $"{refused.Message}; nothing was saved. Run again with --force to store it anyway.",
        IAdvisedFailure advised => advised.FormatMessage(SettingFlags.For),
        _ => exception.Message,
    };
}
