using System.CommandLine;
using FirewallRules.Emitters;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules formats</c>: what <c>generate --format</c> accepts.</summary>
internal static class FormatsCommand
{
    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var command = new Command("formats", "List the output formats of 'fwrules generate'.");
        command.SetAction(_ => Run(registry, console));
        return command;
    }

    /// <summary>Lists the formats as they describe themselves; the registry is the whole request.</summary>
    private static int Run(EmitterRegistry registry, CliConsole console)
    {
        FormatDescription[] formats = [.. registry.Descriptions];
        int width = formats.Select(f => f.Name.Length).DefaultIfEmpty(0).Max();
        OutputTarget.WriteText(console, path: null, string.Concat(formats.Select(f => $"{f.Name.PadRight(width)}  {f.Summary}\n")));
        return ExitCode.Success;
    }
}
