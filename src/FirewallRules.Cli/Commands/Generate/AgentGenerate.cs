using FirewallRules.AgentConfig;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>generate --agent-config/--agent-env/--helm-values</c>: exactly the sections, ports and listeners the agent's
/// configuration uses. An explicit <c>--section</c> or <c>--feature</c> still wins, with a warning where it contradicts
/// the configuration; what no rule can express is said on stderr.
/// </summary>
internal static class AgentGenerate
{
    /// <summary>What one run with an agent's configuration was asked to do.</summary>
    internal sealed record Selection(
        AgentConfigurationSources Sources, GenerateRequest.RangesSelection Ranges, bool SiteGiven, IReadOnlyList<string>? Features,
        IReadOnlyList<KeyValuePair<string, string>> Networks);

    /// <summary>
    /// The rules, and the destinations without published addresses (by feature) left to the format, which allows them in
    /// its own terms: those of <paramref name="formatAllows"/> the features need on ports it allows, and no <c>--open</c> names.
    /// With <paramref name="namesRendered"/> (Cilium's <c>--by-name</c>), the hosts the format allows by name are not said to be missing.
    /// </summary>
    public static async Task<(RuleSet Rules, IReadOnlyList<string> LeftToFormat)> RulesAsync(
        Selection selection, IReadOnlyDictionary<string, IReadOnlyList<PortRange>> formatAllows, bool namesRendered, CliConsole console, bool quiet,
        CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(selection.Sources, cancellationToken).ConfigureAwait(false);
        GenerateRequest.RangesSelection ranges = selection.Ranges;
        IpRangesDocument document = ranges switch
        {
            { Remote: RemoteSource remote } => await AgentDocuments.FetchAsync(remote, selection.SiteGiven, plan, quiet ? null : console, cancellationToken).ConfigureAwait(false),
            { Input: string path } => AgentDocuments.Input(path, ranges.InputSite, plan, console),
            _ => IpRangesDocument.Embedded,
        };
        var warnings = new List<string>();
        AgentPlan chosen = AgentPlanChoices.Override(plan, ranges.Sections, selection.Features, warnings);
        Dictionary<string, PrefixSet> networks = AgentPlanChoices.Networks(selection.Networks);
        string[] leftToFormat = [.. formatAllows.Where(f => !networks.ContainsKey(f.Key) && Needs(chosen, f.Key, f.Value)).Select(f => f.Key)];
        (RuleSet? rules, IReadOnlyList<string> omitted) = PlanRules.Build(chosen, document, new AgentRuleOptions { Networks = networks, AllowedByFormat = leftToFormat });
        if (!quiet)
        {
            // Why the rules name a proxy rather than Datadog's ranges: the plan's own note.
            IEnumerable<string> proxy = plan.Proxy is null
                ? []
                : plan.Notes.Where(n => n.StartsWith("The agent sends its HTTPS traffic through the proxy", StringComparison.Ordinal));
            IEnumerable<string> cluster = leftToFormat.Length == 0
                ? plan.Notes.Where(n => n == PlanRules.ClusterNote)
                : [$"Kubernetes: {string.Join(", ", leftToFormat)} are allowed by the format's own policies, in its terms (its header says how narrow); " +
                    "--open FEATURE=NETWORKS names their addresses instead"];
            IEnumerable<string> notRendered = omitted.Where(o => !namesRendered || !PlanRules.IsRenderedByName(o)).Select(o => $"not rendered: {o}");
            foreach (string warning in proxy.Concat(cluster).Concat(warnings).Concat(notRendered))
            {
                console.WriteWarning($"warning: {warning}");
            }
        }

        return (rules ?? throw new CliException($"nothing to render from this agent's configuration: {string.Join("; ", omitted)}"), leftToFormat);
    }

    /// <summary>
    /// For a format that allows host names (<c>squid</c>, <c>domains</c>, the Network Firewall domain lists): every host the
    /// plan reaches by name, as <c>plan --allow-list</c> prints them; no document is read, as the output holds no address.
    /// </summary>
    public static async Task<RuleSet> ByNameAsync(Selection selection, string format, CliConsole console, bool quiet, CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(selection.Sources, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        AgentPlan chosen = AgentPlanChoices.Override(plan, selection.Ranges.Sections, selection.Features, warnings);
        // A section --section adds names no host of the configuration: the format lists the configuration's hosts.
        string[] added = [.. chosen.Destinations.Where(d => d.Feature == "--section").Select(d => d.HostName).Distinct()];
        chosen = new AgentPlan(
            chosen.Site, chosen.AgentVersion, chosen.IsKubernetes, [.. chosen.Destinations.Where(d => d.Feature != "--section")], chosen.Listeners, chosen.Notes);
        warnings.RemoveAll(w => added.Any(section => w.StartsWith($"--section {section}:", StringComparison.Ordinal)));
        warnings.AddRange(added.Select(section => $"--section {section}: {format} lists the hosts the configuration reaches, and it does not use {section}: not added"));
        if (selection.Ranges is { Remote: not null } or { Input: not null })
        {
            warnings.Add($"{format} allows host names, from the agent's configuration: the ip-ranges document is not read");
        }

        if (!quiet)
        {
            warnings.ForEach(warning => console.WriteWarning($"warning: {warning}"));
        }

        return PlanRules.ByName(chosen);
    }

    // Whether the plan needs the feature at addresses no document publishes, on ports the format allows it on (a kubelet
    // moved off 10250 stays a warning asking for its networks).
    private static bool Needs(AgentPlan plan, string feature, IReadOnlyList<PortRange> ports)
    {
        AgentDestination[] needed = [.. plan.Destinations.Where(d => d.Coverage is DestinationCoverage.Cluster or DestinationCoverage.AnyAddress
            && string.Equals(d.Feature, feature, StringComparison.OrdinalIgnoreCase))];
        return needed.Length > 0 && needed.All(d => ports.Contains(d.Port));
    }
}
