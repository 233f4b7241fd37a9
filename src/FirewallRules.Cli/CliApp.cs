using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Cli.Commands;
using FirewallRules.Emitters;

namespace FirewallRules.Cli;

/// <summary>Builds the <c>fwrules</c> command tree and turns every outcome into the documented exit code.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot(CliConsole console, EmitterRegistry? registry = null)
    {
        registry ??= EmitterRegistry.Default;
        var root = new RootCommand("""
            fwrules turns Datadog's published IP ranges and the agents' documented ports into firewall
            rules, and aggregates prefix lists exactly.
            """)
        {
            GenerateCommand.Create(console, registry),
            PrivateLinkCommand.Create(console, registry),
            AggregateCommand.Create(console),
            FetchCommand.Create(console),
            SyncCommand.Create(console),
            VerifyCommand.Create(console),
            ServeCommand.Create(console, registry),
            DiffCommand.Create(console),
            SectionsCommand.Create(console),
            SitesCommand.Create(console),
            PortsCommand.Create(console),
            FormatsCommand.Create(console, registry),
        };
        root.Options.Add(CommonOptions.Quiet);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, EmitterRegistry? registry = null, CancellationToken cancellationToken = default)
    {
        RootCommand root = CreateRoot(console, registry);
        ParseResult parsed = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            Error = console.Error,
        };

        // `serve` runs a host that stops gracefully on SIGTERM and SIGINT, finishing the requests in flight;
        // the parser's own handler would end the process two seconds after the signal instead.
        if (parsed.CommandResult.Command.Name == ServeCommand.Name)
        {
            configuration.ProcessTerminationTimeout = null;
        }

        if (args.Length == 0)
        {
            // `fwrules` alone: what it can do, on stderr, and the usage code (it did nothing a script could rely on).
            await root.Parse("--help").InvokeAsync(new InvocationConfiguration { Output = console.Error }, cancellationToken).ConfigureAwait(false);
            return ExitCode.Usage;
        }

        if (parsed.Errors.Count > 0)
        {
            return ReportUsage(parsed, console);
        }

        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            return Failures.Report(console, ex);
        }
    }

    // System.CommandLine reports usage errors as 1; the documented code is 2. An unknown word is the root cause of
    // whatever else failed (the words after it, a required option it misspelled): it alone is named, with the
    // nearest word the verb knows. The pointer is to the verb's own help.
    private static int ReportUsage(ParseResult parsed, CliConsole console)
    {
        Command command = parsed.CommandResult.Command;
        if (parsed.UnmatchedTokens is [string token, ..])
        {
            bool option = token.StartsWith('-');
            IEnumerable<string> known = option
                ? Suggestions.OptionNames(parsed.CommandResult)
                : command.Subcommands.Select(c => c.Name);
            string kind = option ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
            console.WriteError($"fwrules: {Suggestions.Unrecognized(kind, token, known)}");
        }
        else
        {
            foreach (ParseError error in parsed.Errors)
            {
                console.WriteError($"fwrules: {error.Message}");
            }
        }

        string verb = command == parsed.RootCommandResult.Command ? "fwrules" : $"fwrules {command.Name}";
        console.WriteNote($"Run '{verb} --help' for usage.");
        return ExitCode.Usage;
    }
}
