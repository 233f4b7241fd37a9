using System.CommandLine;
using System.CommandLine.Parsing;

namespace FirewallRules.Cli;

/// <summary>
/// The one guard in front of every command's own checks (a section name, a group id, a region): they read other options'
/// values, and the parser runs them before it checks those options, so an option given without its value (<c>-s</c> last,
/// <c>--section=</c>, a choice it cannot read) made reading it throw, and the run end in a stack trace (exit 134). A command
/// whose given options cannot all be read skips its checks; the parser then names the option that cannot be read, in the
/// one usage line (exit 2) every usage error gets.
/// </summary>
internal static class ReadableValues
{
    /// <summary>
    /// Puts the guard in front of the checks of <paramref name="command"/> and of every command under it, and refuses an empty
    /// word as the value of any of their options (<c>--section ''</c>, <c>--profile ''</c>): no option takes one.
    /// </summary>
    public static void Guard(Command command)
    {
        foreach (Option option in command.Options.Where(o => o.Arity.MinimumNumberOfValues > 0 && !o.Validators.Contains(RefuseEmpty)))
        {
            // After the option's own checks: one that names what it takes (a file name, a site) says it first.
            option.Validators.Add(RefuseEmpty);
        }

        if (command.Validators.Count > 0)
        {
            Action<CommandResult>[] checks = [.. command.Validators];
            command.Validators.Clear();
            command.Validators.Add(result =>
            {
                if (AllReadable(result))
                {
                    foreach (Action<CommandResult> check in checks)
                    {
                        check(result);
                    }
                }
            });
        }

        foreach (Command subcommand in command.Subcommands)
        {
            Guard(subcommand);
        }
    }

    private static readonly Action<OptionResult> RefuseEmpty = result =>
    {
        if (result.Tokens.Any(token => string.IsNullOrWhiteSpace(token.Value)))
        {
            result.AddError($"{result.Option.Name} needs a value, not an empty word.");
        }
    };

    /// <summary>Whether every option given to the command of <paramref name="result"/> (and above it) has a value the parser can read.</summary>
    private static bool AllReadable(CommandResult result)
    {
        for (SymbolResult? at = result; at is CommandResult command; at = command.Parent)
        {
            foreach (OptionResult option in command.Children.OfType<OptionResult>())
            {
                if (!option.Implicit && !Readable(option))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Readable(OptionResult option)
    {
        if (option.Tokens.Count < option.Option.Arity.MinimumNumberOfValues)
        {
            return false;
        }

        try
        {
            // The conversion the checks would do (its result is kept): a value it refuses is the parser's error to name.
            _ = option.GetValueOrDefault<object?>();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
