using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using FirewallRules.Cli.Commands;
using FirewallRules.Emitters;

namespace FirewallRules.Cli;

/// <summary>Builds the <c>fwrules</c> command tree and turns every outcome into the documented exit code.</summary>
internal static class CliApp
{
    /// <summary>
    /// Every verb, in the order help lists them, with what builds it. A run that names its verb first builds
    /// only that verb: the others' options and choices are a third of the start-up of a short run
    /// (benchmarks/README.md, Start-up), and they cannot be reached from it anyway.
    /// </summary>
    private static readonly (string Name, Func<CliConsole, EmitterRegistry, Command> Create)[] Verbs =
    [
        ("generate", GenerateCommand.Create),
        ("privatelink", PrivateLinkCommand.Create),
        ("aggregate", (console, _) => AggregateCommand.Create(console)),
        ("fetch", (console, _) => FetchCommand.Create(console)),
        ("sync", (console, _) => SyncCommand.Create(console)),
        ("verify", (console, _) => VerifyCommand.Create(console)),
        (ServeCommand.Name, ServeCommand.Create),
        ("diff", (console, _) => DiffCommand.Create(console)),
        ("sections", (console, _) => SectionsCommand.Create(console)),
        ("sites", (console, _) => SitesCommand.Create(console)),
        ("ports", (console, _) => PortsCommand.Create(console)),
        ("plan", PlanCommand.Create),
        ("formats", FormatsCommand.Create),
    ];

    /// <summary>
    /// The command tree for <paramref name="args"/>: when they start with a verb's exact name, the root holds only
    /// that verb; otherwise (help, <c>--version</c>, a mistyped verb, a root option first) every verb.
    /// </summary>
    public static RootCommand CreateRoot(CliConsole console, EmitterRegistry? registry = null, IReadOnlyList<string>? args = null)
    {
        registry ??= EmitterRegistry.Default;
        var root = new RootCommand("""
            fwrules turns Datadog's published IP ranges and the agents' documented ports into firewall
            rules, and aggregates prefix lists exactly.
            """);
        string? named = args is [var first, ..] && Verbs.Any(verb => verb.Name == first) ? first : null;
        foreach ((string name, Func<CliConsole, EmitterRegistry, Command> create) in Verbs)
        {
            if (named is null || name == named)
            {
                root.Subcommands.Add(create(console, registry));
            }
        }

        root.Options.Add(CommonOptions.Quiet);
        ReadableValues.Guard(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, EmitterRegistry? registry = null, CancellationToken cancellationToken = default)
    {
        RootCommand root = CreateRoot(console, registry, args);
        // Response files are read here, within bounds, and the parser takes their words from what was read.
        ResponseFiles files = ResponseFiles.Read(args);
        if (files.Problem is string problem)
        {
            console.WriteError(UsageLine.Refused(problem, root));
            return ExitCode.Usage;
        }

        ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = files.TryReplace });
        // The parser's own stop handler is off for every verb: `serve` runs a host that stops gracefully on SIGTERM and
        // SIGINT, finishing the requests in flight, and the others stop through StopSignals, in one line with the signal's
        // status (the parser's ended the process two seconds after the signal, or let a cancelled fetch end it in a crash).
        var configuration = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            Error = console.Error,
            ProcessTerminationTimeout = null,
        };

        if (UsageLine.Of(parsed, args) is string usage)
        {
            console.WriteError(usage);
            return ExitCode.Usage;
        }

        if (parsed.Action is HelpAction)
        {
            // Written as System.CommandLine lays it out, then made readable (defaults in the options' own form).
            using var help = new StringWriter(CultureInfo.InvariantCulture);
            int code = await parsed.InvokeAsync(new InvocationConfiguration { Output = help }, cancellationToken).ConfigureAwait(false);
            OutputTarget.WriteText(console, path: null, CliHelp.Readable(help.ToString(), root));
            return code;
        }

        string verb = parsed.CommandResult.Command.Name;
        using StopSignals? stop = verb == ServeCommand.Name ? null : StopSignals.Watch(cancellationToken);
        try
        {
            return await parsed.InvokeAsync(configuration, stop?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (stop is { Received: true } && (ex is OperationCanceledException || (Failures.IsExpected(ex) && !StopSignals.Says(ex))))
        {
            // A failure after the signal is the stop's doing (a fetch cut short): the line says the stop.
            return stop.Report(console, verb);
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            StopSignals.EndRun();
            return Failures.Report(console, ex);
        }
    }
}
