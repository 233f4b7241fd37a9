using System.CommandLine;
using System.Globalization;
using System.Text;
using FirewallRules.IO;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules sections</c>: the sections of a document, with counts, whether this version knows them, and their default direction.</summary>
internal static class SectionsCommand
{
    public static Command Create(CliConsole console)
    {
        Option<string?> input = new Option<string?>("--input", "-i")
        {
            Description = "Read this saved ip-ranges document instead of the snapshot built into fwrules.",
            HelpName = "FILE",
        }.NamingA("file");

        var command = new Command("sections", """
            List the sections of an ip-ranges document: how many IPv4 and IPv6 prefixes each lists, whether
            this version of fwrules knows it, and its default direction: egress for destinations your hosts
            connect to (agents, api, apm, logs, process, orchestrator, remote-configuration, global,
            synthetics-private-locations), ingress for sources Datadog connects from (webhooks, synthetics).
            A section fwrules does not know yet is still listed and usable by name.

            Examples:
              fwrules sections
              fwrules sections --input ~/.cache/fwrules/datadoghq.com/v52.json
            """)
        {
            input,
        };
        command.SetAction(parse => Run(parse.GetValue(input), console));
        return command;
    }

    /// <summary>Lists the sections of the document at <paramref name="path"/>, or of the embedded snapshot.</summary>
    private static int Run(string? path, CliConsole console)
    {
        IpRangesDocument document = path is null ? IpRangesDocument.Embedded : DocumentInput.Load(path);
        var text = new StringBuilder();
        text.Append(path is null
            ? $"{Wording.Document(document)}, the snapshot built into fwrules ({document.Site?.Name}); it is old: run 'fwrules fetch' for current ranges\n"
            : $"{Wording.Document(document)} from {TerminalText.EscapeWhole(path)}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"SECTION",-30}{"IPV4",6}{"IPV6",6}  {"KNOWN",-7}DIRECTION\n");
        foreach (IpRangesSection section in document.SectionList)
        {
            string direction = section.KnownSection is Section known ? SectionTraffic.GetDirection(known).ToString().ToLowerInvariant() : "-";
            text.Append(CultureInfo.InvariantCulture,
                $"{section.Name,-30}{section.ListedIPv4.Count,6}{section.ListedIPv6.Count,6}  {(section.KnownSection is null ? "no" : "yes"),-7}{direction}\n");
        }

        OutputTarget.WriteText(console, path: null, text.ToString());
        return ExitCode.Success;
    }
}
