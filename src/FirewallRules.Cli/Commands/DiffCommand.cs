using System.CommandLine;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules diff OLD NEW</c>: what changed between two saved ip-ranges documents.</summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console)
    {
        Argument<string> older = DocumentInput.FileArgument("OLD", "The older ip-ranges document (JSON, as saved by 'fwrules fetch' or downloaded).");
        Argument<string> newer = DocumentInput.FileArgument("NEW", "The newer ip-ranges document.");
        var format = new Option<string>("--format", "-f")
        {
            Description = "text for people, json for scripts.",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command("diff", """
            Show what changed between two ip-ranges documents: version and date, sections added and removed,
            and per section and address family the prefixes added (+) and removed (-), aggregated, so a list
            that was only reshuffled shows no address change. The JSON form also has the prefixes exactly as
            listed, and per-location changes for synthetics.

            Examples:
              fwrules diff ~/.cache/fwrules/datadoghq.com/v46.json ~/.cache/fwrules/datadoghq.com/v47.json
              fwrules diff old.json new.json --format json | jq '.sections[].name'
            """)
        {
            older, newer, format,
        };
        command.SetAction(parse =>
        {
            IpRangesDiff diff = DocumentInput.Load(parse.GetValue(older)!).DiffTo(DocumentInput.Load(parse.GetValue(newer)!));
            OutputTarget.WriteText(console, path: null, parse.GetValue(format) == "json" ? diff.ToJson() + "\n" : diff.ToText());
            return ExitCode.Success;
        });
        return command;
    }
}
