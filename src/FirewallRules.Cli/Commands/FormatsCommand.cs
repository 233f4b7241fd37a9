using System.CommandLine;
using FirewallRules.Emitters;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules formats</c>: what <c>generate --format</c> accepts.</summary>
internal static class FormatsCommand
{
    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var command = new Command("formats", "List the output formats of 'fwrules generate'.");
        command.SetAction(_ =>
        {
            OutputTarget.Write(console, null, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true) { NewLine = "\n" };
                int width = registry.Formats.Select(f => f.Format.Length).DefaultIfEmpty(0).Max();
                foreach ((string format, string description) in registry.Formats)
                {
                    writer.WriteLine($"{format.PadRight(width)}  {description}");
                }
            });
            return ExitCode.Success;
        });
        return command;
    }
}
