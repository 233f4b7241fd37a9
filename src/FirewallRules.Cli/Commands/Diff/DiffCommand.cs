using System.CommandLine;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules diff OLD NEW</c>: what changed between two saved ip-ranges documents.</summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console)
    {
        Argument<string> older = DocumentInput.FileArgument("OLD", "The older ip-ranges document (JSON, as saved by 'fwrules fetch' or downloaded).");
        Argument<string> newer = DocumentInput.FileArgument("NEW", "The newer ip-ranges document.");
        Option<DiffFormat?> format = Choices.Optional("--format", ["-f"], Choices.Of<DiffFormat>(), "text for people, json for scripts. Default: text.");
        var exitCode = new Option<bool>("--exit-code")
        {
            Description = "Exit 1 when a section or prefix changed and 0 when none did, as 'git diff --exit-code' does (a new version number alone is no change).",
        };

        var command = new Command("diff", """
            Show what changed between two ip-ranges documents: version and date (both in ISO 8601, UTC), sections added and removed,
            and per section and address family the prefixes added (+) and removed (-), aggregated, so a list
            that was only reshuffled shows no address change. The JSON form also has the prefixes exactly as
            listed, and per-location changes for synthetics. A file of fwrules' cache that no longer holds the bytes the
            cache vetted (its SHA-256 is not the one recorded in current.json) is compared all the same, with a warning.

            Examples:
              fwrules diff ~/.cache/fwrules/datadoghq.com/v46.json ~/.cache/fwrules/datadoghq.com/v47.json
              fwrules diff old.json new.json --format json | jq '.sections[].name'
              fwrules diff --exit-code old.json new.json > /dev/null || echo "the ranges changed"
            """)
        {
            older, newer, format, exitCode,
        };
        command.SetAction(parse => Run(new Request(parse.GetValue(older)!, parse.GetValue(newer)!, parse.GetValue(format) ?? DiffFormat.Text, parse.GetValue(exitCode)), console));
        return command;
    }

    private static int Run(Request request, CliConsole console)
    {
        IpRangesDocument older = DocumentInput.Load(request.Older), newer = DocumentInput.Load(request.Newer);
        foreach ((string path, IpRangesDocument document) in new[] { (request.Older, older), (request.Newer, newer) })
        {
            // A copy in a cache that no longer holds the bytes the cache vetted is compared all the same (to see what changed), and said.
            if (Fetching.SnapshotStore.DescribeUnvetted(path, document.Utf8Json.Span) is { } unvetted)
            {
                console.WriteWarning(unvetted);
            }
        }

        IpRangesDiff diff = older.DiffTo(newer);

        // Written as it is rendered: a diff can list every prefix of both documents.
        if (request.Format == DiffFormat.Json)
        {
            OutputTarget.Write(console, path: null, output =>
            {
                IpRangesDiffFormatter.WriteJson(diff, output);
                output.Write("\n"u8);
            });
        }
        else
        {
            _ = OutputTarget.WriteText(console, path: null, writer =>
            {
                IpRangesDiffFormatter.WriteText(diff, writer);
                return diff;
            });
        }

        return request.FailOnChange && diff.HasChanges ? ExitCode.Changed : ExitCode.Success;
    }

    /// <summary>What one run was asked to do, however the command line spelled it.</summary>
    private sealed record Request(string Older, string Newer, DiffFormat Format, bool FailOnChange);

    /// <summary>The forms of the diff.</summary>
    private enum DiffFormat
    {
        Text,
        Json,
    }
}
