using System.CommandLine;
using System.CommandLine.Parsing;
using FirewallRules.Ranges;

namespace FirewallRules.Cli;

/// <summary>
/// <c>--section</c> words checked as the other choices are: a name that is not a section this version knows is a
/// usage error with the nearest known name, unless <c>--port</c> says how to open a section it does not know yet
/// (then the document decides).
/// </summary>
internal static class SectionNames
{
    private static readonly string[] Known = [.. Sections.All.Select(Sections.GetName)];

    /// <summary>Adds a usage error to <paramref name="result"/> for each unknown name in <paramref name="sections"/>.</summary>
    /// <param name="result">The command's result.</param>
    /// <param name="sections">The <c>--section</c> option.</param>
    /// <param name="ports">The <c>--port</c> option, when the command has one: given, it lets unknown names through.</param>
    public static void Validate(CommandResult result, Option<string[]> sections, Option? ports = null)
    {
        if (ports is not null && result.GetResult(ports) is { Implicit: false })
        {
            return;
        }

        foreach (string name in (result.GetValue(sections) ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Sections.TryParse(name, out _))
            {
                result.AddError(Unknown(name, Known, ports is null ? string.Empty : " (or give --port for a section this version does not know)"));
            }
        }
    }

    /// <summary>The line for a section name that is not one of <paramref name="known"/>, with the nearest.</summary>
    public static string Unknown(string name, IReadOnlyCollection<string> known, string alternative = "") =>
        $"'{name}' is not a section: use one of {string.Join(", ", known)}{alternative}; see 'fwrules sections'."
        + (Suggestions.Nearest(name, known) is string nearest ? $" Did you mean '{nearest}'?" : string.Empty);
}
