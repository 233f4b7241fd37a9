using System.CommandLine;
using System.Text;
using FirewallRules.Emitters;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules formats</c>: what <c>generate --format</c> accepts, and what <c>sync --format</c> does with each format it takes.</summary>
internal static class FormatsCommand
{
    /// <summary>What a target of sync alone (no output of generate) says on its own line.</summary>
    private const string SyncOnly = "no output of generate: a target of sync only";

    public static Command Create(CliConsole console, EmitterRegistry registry)
    {
        var command = new Command("formats", "List the formats of 'fwrules generate' and 'fwrules sync', and what sync does with each.");
        command.SetAction(_ => Run(registry, console));
        return command;
    }

    /// <summary>
    /// Lists the formats as they describe themselves, each sync target's line (declared in its folder) under it, and the
    /// targets of sync that are no output format in the same order by name; the registry is the whole request.
    /// </summary>
    private static int Run(EmitterRegistry registry, CliConsole console)
    {
        Dictionary<string, SyncCapability> sync = registry.SyncTargets.ToDictionary(t => t.Format, t => t.Capability, StringComparer.Ordinal);
        (string Name, string Summary)[] formats =
        [
            .. registry.Descriptions.Select(f => (f.Name, f.Summary)),
            .. sync.Keys.Where(name => !registry.Contains(name)).Select(name => (name, SyncOnly)),
        ];
        int width = formats.Select(f => f.Name.Length).DefaultIfEmpty(0).Max();
        var text = new StringBuilder();
        foreach ((string name, string summary) in formats.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text.Append($"{name.PadRight(width)}  {summary}\n");
            if (sync.TryGetValue(name, out SyncCapability? capability))
            {
                text.Append($"{new string(' ', width + 2)}{capability.Summary}\n");
            }
        }

        OutputTarget.WriteText(console, path: null, text.ToString());
        return ExitCode.Success;
    }
}
