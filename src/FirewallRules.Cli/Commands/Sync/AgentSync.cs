using FirewallRules.AgentConfig;
using FirewallRules.Ranges;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>sync --agent-dir/--agent-config/--agent-env/--helm-values/--datadog-agent</c>: keep in step exactly what <c>generate</c> renders from the
/// same configuration (<see cref="AgentSyncRules"/>): its sections on their ports, on its site (a <c>--site</c> or <c>--base-url</c> naming
/// another is refused; a mirror naming none is used), and beside them, in the same table and transaction, its listeners and the
/// destinations <c>--open</c> names. Explicit <c>--section</c>/<c>--feature</c> options win, with a warning.
/// </summary>
internal static class AgentSync
{
    /// <summary>What the agent's configuration adds to a sync: the sources, whether the command line chose the site, and --feature/--open.</summary>
    internal sealed record Selection(AgentConfigurationSources Sources, SiteChoice Site, IReadOnlyList<string>? Features, IReadOnlyList<KeyValuePair<string, string>> Networks);

    public static async Task<(SyncSettings Settings, RemoteSource Source)> ApplyAsync(
        Selection selection, SyncSettings settings, RemoteSource source, CliConsole console, bool quiet, CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(selection.Sources, quiet ? null : console, cancellationToken).ConfigureAwait(false);
        selection.Site.Check(plan);
        AgentRenderRequest request = AgentPlanChoices.Request(settings.Format, settings.Sections, selection.Features, selection.Networks);
        AgentSyncRules rules = AgentSyncRules.For(plan, request, hostFirewall: !AwsSyncCommand.Handles(settings.Format));
        if (rules.Sections.Count == 0)
        {
            throw NothingToKeepInStep(plan, settings.Format, rules.ProxyWithoutAddress);
        }

        // With --quiet, only what was left out of the rules (not loaded: ...) is said.
        AgentPlanChoices.Write(rules.Warnings, "not loaded", console, quiet);
        Site site = selection.Site.Given ? settings.Site : plan.Site;
        return (settings with
        {
            Site = site,
            Sections = [.. rules.Sections.Select(Sections.GetName)],
            SectionPorts = rules.Ports,
            Listeners = rules.Fixed,
            ListenersKey = rules.Fixed is null ? string.Empty
                : $"agent-config {string.Join(';', rules.Fixed.Rules.Select(r => $"{r.Direction} {r.Port} {string.Join('+', r.Sources)} {r.Prefixes}"))}",
        }, source with { Site = site });
    }

    /// <summary>
    /// A configuration that uses no section of the published ranges. Behind a proxy (everything through it) that is a usage
    /// error, exit 2 as generate's refusal of a proxy it cannot hold: sync keeps Datadog's ranges in step and this configuration
    /// has none to keep, while the rule toward the proxy, which generate renders, does not change with them and is loaded once
    /// (with <c>--open proxy=CIDR</c> when the proxy is a host name: <paramref name="named"/>). Without a proxy, exit 1, not
    /// sync's 0 "nothing to do": a timer reporting success would hide that the host allows nothing toward Datadog.
    /// </summary>
    private static CliException NothingToKeepInStep(AgentPlan plan, string format, bool named) => plan.Proxy is AgentDestination proxy
        ? new CliException(
            $"with this configuration the agent reaches Datadog only through its proxy {proxy.HostName}:{proxy.Port.First}, so sync has no Datadog range to keep " +
                "in step: the rule toward the proxy does not change with the ranges, so " + (AwsSyncCommand.Handles(format)
                    ? "allow the agent's egress to the proxy in its security groups yourself"
                    : $"load it once (fwrules generate -f {format} --agent-config ..." +
                        (named ? $" --open proxy=CIDR renders it, as a host name {format} cannot hold" : " renders it") + ")") +
                " and give the proxy its allow-list (fwrules plan --agent-config ... --allow-list squid)",
            ExitCode.Usage)
        : new CliException("the agent's configuration uses no section of the published ranges: there is nothing to sync");
}
