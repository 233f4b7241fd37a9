using System.CommandLine;

namespace FirewallRules.Cli;

/// <summary>Options several verbs share, defined once so they read and behave the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print no summary or progress on stderr (errors are still printed).",
        Recursive = true,
    };

    public static Option<string?> Output() => new("--output", "-o")
    {
        Description = "Write the result to FILE (replaced atomically) instead of standard output.",
        HelpName = "FILE",
    };

    /// <summary>Reports a value starting with '-' as an unknown option; without this, a mistyped option would be read as a file name.</summary>
    public static TArgument RejectingOptionLikeValues<TArgument>(this TArgument argument)
        where TArgument : Argument
    {
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: { Length: > 1 } value }] && value.StartsWith('-'))
            {
                result.AddError($"Unknown option '{value}'.");
            }
        });
        return argument;
    }
}
