using FirewallRules.AgentConfig;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// What the command line asks of an agent's rendered plan, the same for <c>generate</c> and <c>sync</c>: the request its options make
/// (<c>--section</c>, <c>--feature</c>, <c>--open</c>), and the library's warnings written by their kind, never by their words.
/// </summary>
internal static class AgentPlanChoices
{
    /// <summary>The request of <paramref name="format"/> with the sections, listeners and networks the command line chose.</summary>
    /// <exception cref="CliException">A section is not one of the document's kinds, or a network is not a prefix (exit 2).</exception>
    public static AgentRenderRequest Request(string format, IReadOnlyList<string> sections, IReadOnlyList<string>? features, IReadOnlyList<KeyValuePair<string, string>> open) =>
        new(format)
        {
            Sections = [.. sections.Select(name => Sections.TryParse(name, out Section section) ? section : throw new CliException(
                $"--section {name}: with an agent configuration, name one of {string.Join(", ", Enum.GetValues<Section>().Select(Sections.GetName))}", ExitCode.Usage))],
            Listeners = features,
            Networks = open.GroupBy(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(f => f.Key, f => PrefixArguments.Parse($"--open {f.Key}", f), StringComparer.OrdinalIgnoreCase),
        };

    /// <summary>
    /// Writes <paramref name="warnings"/>, what was left out as <paramref name="leftOut"/> (<c>not rendered</c>, <c>not loaded</c>); with
    /// <paramref name="quiet"/> only those, which --quiet never silences.
    /// </summary>
    public static void Write(IEnumerable<AgentWarning> warnings, string leftOut, CliConsole console, bool quiet)
    {
        foreach (AgentWarning warning in warnings.Where(w => !quiet || w.Kind == AgentWarningKind.LeftOut))
        {
            console.WriteWarning($"{(warning.Kind == AgentWarningKind.LeftOut ? $"{leftOut}: " : string.Empty)}{warning.Format(SettingFlags.For)}");
        }
    }

    /// <summary>
    /// The plan's other notes (keys the tool cannot read, features it cannot map, what to allow by hand) are plan's to print: the rules'
    /// reader learns how many there are and where to read them.
    /// </summary>
    public static void PointToPlan(int more, CliConsole console)
    {
        if (more > 0)
        {
            console.WriteNote($"note: the plan has {more} more note{(more == 1 ? string.Empty : "s")} (what it leaves out or cannot read, " +
                "what to allow by hand): fwrules plan with the same agent configuration prints them");
        }
    }
}
