using FirewallRules.AgentConfig;
using FirewallRules.Emitters;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>generate --agent-dir/--agent-config/--agent-env/--helm-values/--datadog-agent</c>: the library's rendering of the agent's plan
/// (<see cref="AgentRendering"/>) with the command line's choices, its warnings on stderr.
/// </summary>
internal static class AgentGenerate
{
    /// <summary>What one run with an agent's configuration was asked to do.</summary>
    internal sealed record Selection(
        AgentConfigurationSources Sources, GenerateRequest.RangesSelection Ranges, SiteChoice Site, IReadOnlyList<string>? Features,
        IReadOnlyList<KeyValuePair<string, string>> Networks);

    /// <summary>
    /// The plan rendered for <paramref name="format"/>: its document fetched (<c>--live</c>) or read (<c>--input</c>) only when the rules hold
    /// its prefixes, the format's settings as given (<paramref name="given"/>) with what the plan sets on them.
    /// </summary>
    public static async Task<AgentRendered> RenderAsync(
        Selection selection, EmitterRegistry registry, string format, EmitterOptions shared, SettingValues given, CliConsole console, bool quiet,
        CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(selection.Sources, quiet ? null : console, cancellationToken).ConfigureAwait(false);
        selection.Site.Check(plan);
        GenerateRequest.RangesSelection ranges = selection.Ranges;
        AgentRenderRequest request = AgentPlanChoices.Request(format, ranges.Sections, selection.Features, selection.Networks) with
        {
            Registry = registry,
            Options = shared,
            Given = given,
            Ranges = ranges switch
            {
                { Remote: RemoteSource remote } => (_, token) => AgentDocuments.FetchAsync(remote, selection.Site.Given, plan, quiet ? null : console, token),
                { Input: string path } => (_, _) => Task.FromResult(AgentDocuments.Input(path, ranges.InputSite, plan, console)),
                _ => null,
            },
        };
        AgentRendered rendered = await AgentRendering.RenderAsync(plan, request, cancellationToken).ConfigureAwait(false);
        AgentPlanChoices.Write(rendered.Warnings, "not rendered", console, quiet);
        if (!quiet)
        {
            AgentPlanChoices.PointToPlan(rendered.OtherNotes, console);
        }

        return rendered;
    }
}
