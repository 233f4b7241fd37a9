using FirewallRules.Cli;
using FirewallRules.Cli.Commands;

// First: every verb but serve handles SIGTERM and SIGINT from here on, so a stop during start-up is reported like any other (StopSignals).
StopSignals.InstallFor(args);

// Plain `aggregate` runs skip building the command tree; everything else, help and usage errors
// included, goes through the full parser.
int code = AggregateCommand.TryRunPlain(args, CliConsole.System) ?? await CliApp.RunAsync(args, CliConsole.System).ConfigureAwait(false);
StopSignals.EndRun();
return code;
