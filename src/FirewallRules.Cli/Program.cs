using FirewallRules.Cli;
using FirewallRules.Cli.Commands;

// Plain `aggregate` runs skip building the command tree; everything else, help and usage errors
// included, goes through the full parser.
return AggregateCommand.TryRunPlain(args, CliConsole.System) ?? await CliApp.RunAsync(args, CliConsole.System).ConfigureAwait(false);
