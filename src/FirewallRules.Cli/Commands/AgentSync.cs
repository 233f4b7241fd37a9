using FirewallRules.AgentConfig;
using FirewallRules.Ranges;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>sync --agent-config/--agent-env/--helm-values</c>: keep in step exactly the sections the agent's configuration uses,
/// on its site unless <c>--site</c> or <c>--base-url</c> names one. Explicit <c>--section</c> options win, with a warning.
/// </summary>
internal static class AgentSync
{
    /// <summary>What the agent's configuration adds to a sync: the sources, and whether the command line chose the site.</summary>
    internal sealed record Selection(AgentConfigurationSources Sources, bool SiteGiven);

    public static async Task<(SyncSettings Settings, RemoteSource Source)> ApplyAsync(
        Selection selection, SyncSettings settings, RemoteSource source, CliConsole console, bool quiet, CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(selection.Sources, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        AgentPlan chosen = AgentGenerate.Override(plan, settings.Sections, null, warnings);
        string[] sections = [.. chosen.Sections.Select(Sections.GetName)];
        if (sections.Length == 0)
        {
            throw new CliException(plan.Proxy is AgentDestination proxy
                ? $"the agent sends its HTTPS traffic through the proxy {proxy.HostName}:{proxy.Port.First}: there are no Datadog ranges to sync; allow the proxy (fwrules generate --agent-config ... renders its rule)"
                : "the agent's configuration uses no section of the published ranges: there is nothing to sync");
        }

        Site site = selection.SiteGiven ? settings.Site : plan.Site;
        if (!quiet)
        {
            IEnumerable<string> listeners = plan.Listeners.Count == 0 ? [] :
                [$"sync keeps Datadog's ranges only: the agent's listeners ({string.Join(", ", plan.Listeners.Select(l => $"{l.Feature} {l.Port}"))}) are rendered by fwrules generate with the same options"];
            foreach (string warning in warnings.Concat(listeners))
            {
                console.WriteWarning($"warning: {warning}");
            }
        }

        return (settings with { Site = site, Sections = sections }, source with { Site = site });
    }
}
