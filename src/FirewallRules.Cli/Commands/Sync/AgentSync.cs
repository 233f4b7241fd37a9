using FirewallRules.AgentConfig;
using FirewallRules.Ranges;
using FirewallRules.Rules;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>sync --agent-dir/--agent-config/--agent-env/--helm-values</c>: keep in step exactly what <c>generate</c> renders from the same
/// configuration: the sections it uses, each on the ports its features use (logs on 10516/tcp or 443/tcp, not both), on its
/// site (a <c>--site</c> or <c>--base-url</c> naming another is refused; a mirror naming none is used), and beside them, in the same table and transaction, its
/// listeners and the destinations <c>--open</c> names. Explicit <c>--section</c>/<c>--feature</c> options win, with a warning.
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
        var warnings = new List<string>();
        AgentPlan chosen = AgentPlanChoices.Override(plan, settings.Sections, selection.Features, warnings);
        string[] sections = [.. chosen.Sections.Select(Sections.GetName)];
        var networks = new AgentRuleOptions { Networks = AgentPlanChoices.Networks(chosen, selection.Networks, warnings) };
        if (sections.Length == 0)
        {
            throw NothingToKeepInStep(plan, settings.Format, PlanRules.ProxyWithoutAddress(chosen, networks) is not null);
        }

        if (!AwsSyncCommand.Handles(settings.Format))
        {
            // The same decision and line as generate's, before the firewall is touched: loaded without the proxy, the rules cut the agent off from it.
            AgentPlanChoices.RefuseProxyWithoutAddress(chosen, networks, settings.Format, byNameOption: false);
        }

        Dictionary<string, IReadOnlyList<PortRange>> ports = chosen.Destinations
            .Where(d => d.Coverage == DestinationCoverage.PublishedRanges && d.Site == chosen.Site)
            .GroupBy(d => Sections.GetName(d.Section!.Value), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<PortRange>)[.. g.Select(d => d.Port).Distinct().Order()], StringComparer.Ordinal);
        (RuleSet? fixedRules, IReadOnlyList<string> omitted) = PlanRules.FixedRules(chosen, networks);
        fixedRules = WithoutSharedPorts(fixedRules, ports.Values.SelectMany(p => p).ToHashSet(), warnings);
        Site site = selection.Site.Given ? settings.Site : plan.Site;
        // With --quiet, only what was left out of the rules (not loaded: ...) is said.
        IEnumerable<string> cluster = AgentPlanChoices.Notes(plan, AgentNoteKind.ClusterDestinations);
        // The node agents' connections to the Cluster Agent go to pods, which no host firewall names (generate's Kubernetes formats select them).
        if (AgentPlanChoices.Has(plan, AgentNoteKind.ClusterAgent))
        {
            omitted = [.. omitted, "the node agents' connections to the Cluster Agent (5005/tcp): allow egress to its pods on 5005/tcp " +
                "in a policy of your own (generate -f kubernetes, cilium or calico renders one), or these rules cut the node agents off from it"];
        }

        foreach (string warning in cluster.Concat(warnings).Concat(omitted.Select(o => $"not loaded: {o}")).Select(w => $"warning: {w}")
            .Where(w => !quiet || CliConsole.SaysLeftOut(w)))
        {
            console.WriteWarning(warning);
        }

        return (settings with
        {
            Site = site,
            Sections = sections,
            SectionPorts = ports,
            Listeners = fixedRules,
            ListenersKey = fixedRules is null ? string.Empty
                : $"agent-config {string.Join(';', fixedRules.Rules.Select(r => $"{r.Direction} {r.Port} {string.Join('+', r.Sources)} {r.Prefixes}"))}",
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

    // A fixed rule on a port the ranges use (the API server or a proxy on 443/tcp) would be a second rule for the same
    // direction and port in one table: generate merges them into one; a sync keeps the ranges' rule and says so.
    private static RuleSet? WithoutSharedPorts(RuleSet? rules, HashSet<PortRange> rangePorts, List<string> warnings)
    {
        if (rules is null)
        {
            return null;
        }

        FirewallRule[] shared = [.. rules.Rules.Where(r => r.Direction == Direction.Egress && rangePorts.Contains(r.Port))];
        foreach (FirewallRule rule in shared)
        {
            warnings.Add($"not loaded: {string.Join(", ", rule.Sources)} ({rule.Port}) shares its port with Datadog's ranges: render it with fwrules generate " +
                $"--agent-config ..., which merges them");
        }

        FirewallRule[] kept = [.. rules.Rules.Except(shared)];
        return kept.Length == 0 ? null : RuleSet.Create(kept, rules.Provenance);
    }
}
