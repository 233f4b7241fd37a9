using FirewallRules.AgentConfig;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// <c>generate --agent-dir/--agent-config/--agent-env/--helm-values</c>: exactly the sections, ports and listeners the agent's
/// configuration uses. An explicit <c>--section</c> or <c>--feature</c> still wins, with a warning where it contradicts
/// the configuration; what no rule can express is said on stderr.
/// </summary>
internal static class AgentGenerate
{
    /// <summary>What one run with an agent's configuration was asked to do.</summary>
    internal sealed record Selection(
        AgentConfigurationSources Sources, GenerateRequest.RangesSelection Ranges, SiteChoice Site, IReadOnlyList<string>? Features,
        IReadOnlyList<KeyValuePair<string, string>> Networks);

    /// <summary>
    /// How an address format renders what an agent's plan needs beyond addresses: the in-cluster destinations it allows in
    /// its own terms (<paramref name="Allows"/>, with the ports it allows them on), whether it allows the plan's hosts by name
    /// (<paramref name="NamesRendered"/>, Cilium's <c>--by-name</c>) or DNS by a policy of its own (<paramref name="DnsRendered"/>),
    /// and whether it could (<paramref name="ByNameOption"/>); whether it selects the Agent's pods by the chart's
    /// <c>agent.datadoghq.com/component</c> label (<paramref name="SelectsByComponent"/>: a Kubernetes format without <c>--pod-selector</c>).
    /// </summary>
    internal sealed record FormatTerms(
        string Format, IReadOnlyDictionary<string, IReadOnlyList<PortRange>> Allows, bool NamesRendered, bool DnsRendered, bool ByNameOption,
        bool SelectsByComponent = false)
    {
        /// <summary>The features whose one TCP port the format takes from the plan (a kubelet on another port than the default).</summary>
        public IReadOnlyCollection<string> Moves { get; init; } = [];

        /// <summary>The features whose port was given for the format (<c>--kubelet-port</c>): allowed on it, with a warning where the plan differs.</summary>
        public IReadOnlyCollection<string> PortGiven { get; init; } = [];
    }

    /// <summary>
    /// The rules, and the destinations without published addresses (by feature) left to the format, which allows them in
    /// its own terms: those of <see cref="FormatTerms.Allows"/> the features need on ports it allows, and no <c>--open</c> names;
    /// with the port of each of <see cref="FormatTerms.Moves"/> the plan needs elsewhere than the format's default.
    /// The site's document is read only when the rules hold its prefixes (<see cref="PlanRules.NeedsDocument"/>); a proxy the
    /// format cannot render is refused (exit 2), as the rules would cut the agent off from it.
    /// </summary>
    public static async Task<(RuleSet Rules, IReadOnlyList<string> LeftToFormat, IReadOnlyDictionary<string, int> Moved)> RulesAsync(
        Selection selection, FormatTerms terms, CliConsole console, bool quiet, CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(selection.Sources, quiet ? null : console, cancellationToken).ConfigureAwait(false);
        selection.Site.Check(plan);
        GenerateRequest.RangesSelection ranges = selection.Ranges;
        // The notes repeated as warnings: for the formats selecting pods, values of a chart older than 3.140.0 (its pods carry no label
        // the policies select them by) and pods on the host's network; for every format, a destination the agent will not reach as planned.
        AgentNoteKind[] repeated =
            [.. terms.SelectsByComponent ? [AgentNoteKind.UnlabelledPods, AgentNoteKind.HostNetwork] : Array.Empty<AgentNoteKind>(), AgentNoteKind.NotReachedAsPlanned];
        var warnings = new List<string>(repeated.SelectMany(kind => AgentPlanChoices.Notes(plan, kind)
            .Select(n => kind == AgentNoteKind.UnlabelledPods ? $"{n} (--pod-selector KEY=VALUE selects the pods by it)" : n)));
        AgentPlan chosen = AgentPlanChoices.Override(plan, ranges.Sections, selection.Features, warnings);
        Dictionary<string, PrefixSet> networks = AgentPlanChoices.Networks(chosen, selection.Networks, warnings);
        // The Cluster Agent is no feature of the plan: --open names no network for it (a warning says so), and its pods are selected all the same.
        Dictionary<string, int> moved = terms.Moves.Where(f => !networks.ContainsKey(f)).Select(f => (f, Port: MovedPort(chosen, f, terms.Allows[f])))
            .Where(m => m.Port is not null).ToDictionary(m => m.f, m => m.Port!.Value);
        string[] given = [.. terms.PortGiven.Where(f => !networks.ContainsKey(f) && Unpublished(chosen, f).Length > 0)];
        warnings.AddRange(given.Where(f => !Needs(chosen, f, terms.Allows[f])).Select(f => $"{f}: the format allows {string.Join(", ", terms.Allows[f])}, " +
            $"the port given for it; the agent's configuration reaches it on {string.Join(", ", Unpublished(chosen, f).Select(d => d.Port).Distinct())}"));
        string[] leftToFormat = [.. terms.Allows.Where(f => (!networks.ContainsKey(f.Key) && (moved.ContainsKey(f.Key) || given.Contains(f.Key) || Needs(chosen, f.Key, f.Value)))
            || ClusterAgent(chosen, f.Key)).Select(f => f.Key)];
        string[] byFormat = [.. leftToFormat, .. terms.DnsRendered ? ["dns"] : Array.Empty<string>(), .. terms.NamesRendered ? [PlanRules.AddressRelays] : Array.Empty<string>()];
        var options = new AgentRuleOptions { Networks = networks, AllowedByFormat = byFormat };
        if (!terms.NamesRendered)
        {
            AgentPlanChoices.RefuseProxyWithoutAddress(chosen, options, terms.Format, terms.ByNameOption);
        }

        IpRangesDocument? document = !PlanRules.NeedsDocument(chosen, terms.NamesRendered) ? null : ranges switch
        {
            { Remote: RemoteSource remote } => await AgentDocuments.FetchAsync(remote, selection.Site.Given, plan, quiet ? null : console, cancellationToken).ConfigureAwait(false),
            { Input: string path } => AgentDocuments.Input(path, ranges.InputSite, plan, console),
            _ => IpRangesDocument.Embedded,
        };
        if (document is null && ranges is { Remote: not null } or { Input: not null })
        {
            warnings.Add($"{terms.Format} renders no prefix of Datadog's ranges for this configuration (its hosts by name, or through the proxy): " +
                "the ip-ranges document is not read");
        }

        (RuleSet? rules, IReadOnlyList<string> omitted) = PlanRules.Build(chosen, document, options);
        Warn(plan, repeated, leftToFormat, warnings, omitted.Where(o => !terms.NamesRendered || !PlanRules.IsRenderedByName(o)), console, quiet);

        return (rules ?? throw new CliException($"nothing to render from this agent's configuration: {string.Join("; ", omitted)}"), leftToFormat, moved);
    }

    /// <summary>The warnings of an agent's rules; with <paramref name="quiet"/> only those saying rules were left out (<c>not rendered: ...</c>).</summary>
    private static void Warn(
        AgentPlan plan, AgentNoteKind[] repeated, string[] leftToFormat, List<string> warnings, IEnumerable<string> omitted, CliConsole console, bool quiet)
    {
        // Why the rules name a proxy rather than Datadog's ranges, and the cluster's own destinations unless the format allows them: the plan's notes.
        string[] addressed = [.. leftToFormat.Where(f => f != PlanRules.ClusterAgentFeature)];
        AgentNoteKind[] shownKinds = [.. repeated, .. plan.Proxy is null ? Array.Empty<AgentNoteKind>() : [AgentNoteKind.Proxy],
            .. addressed.Length == 0 ? [AgentNoteKind.ClusterDestinations] : Array.Empty<AgentNoteKind>()];
        IEnumerable<string> proxy = shownKinds.Contains(AgentNoteKind.Proxy) ? AgentPlanChoices.Notes(plan, AgentNoteKind.Proxy) : [];
        IEnumerable<string> cluster = shownKinds.Contains(AgentNoteKind.ClusterDestinations)
            ? AgentPlanChoices.Notes(plan, AgentNoteKind.ClusterDestinations)
            : [$"Kubernetes: {string.Join(", ", addressed)} are allowed by the format's own policies, in its terms (its header says how narrow); " +
                "--open FEATURE=NETWORKS names their addresses instead"];
        // The node agents' connections to the Cluster Agent, to pods: a Kubernetes format selects them (--in-cluster cluster-agent), no other can.
        IEnumerable<string> clusterAgent = AgentPlanChoices.Has(plan, AgentNoteKind.ClusterAgent) && !leftToFormat.Contains(PlanRules.ClusterAgentFeature)
            ? ["not rendered: the node agents' connections to the Cluster Agent (5005/tcp, clusterAgent.enabled): allow egress to its pods on 5005/tcp " +
                "in a policy of your own (the kubernetes, cilium and calico formats render one), or these rules cut the node agents off from it"]
            : [];
        string[] shown = [.. proxy.Concat(cluster).Concat(clusterAgent).Concat(warnings).Concat(omitted.Select(o => $"not rendered: {o}"))];
        foreach (string warning in shown.Select(w => $"warning: {w}").Where(w => !quiet || CliConsole.SaysLeftOut(w)))
        {
            console.WriteWarning(warning);
        }

        if (!quiet)
        {
            PointToPlan(plan, shownKinds, console);
        }
    }

    // The plan's other notes, of the kinds not repeated as warnings (keys the tool cannot read, features it cannot map, what to allow
    // by hand), are plan's to print: the rules' reader learns how many there are and where to read them.
    private static void PointToPlan(AgentPlan plan, IReadOnlyCollection<AgentNoteKind> repeated, CliConsole console)
    {
        int more = AgentPlanChoices.Others(plan, repeated);
        if (more > 0)
        {
            console.WriteNote($"note: the plan has {more} more note{(more == 1 ? string.Empty : "s")} (what it leaves out or cannot read, " +
                "what to allow by hand): fwrules plan with the same agent configuration prints them");
        }
    }

    /// <summary>
    /// For a format that allows host names (<c>squid</c>, <c>domains</c>, the Network Firewall domain lists): every host the
    /// plan reaches by name, as <c>plan --allow-list</c> prints them; no document is read, as the output holds no address.
    /// </summary>
    public static async Task<RuleSet> ByNameAsync(Selection selection, string format, CliConsole console, bool quiet, CancellationToken cancellationToken)
    {
        AgentPlan plan = await AgentConfigOptions.ReadAsync(selection.Sources, quiet ? null : console, cancellationToken).ConfigureAwait(false);
        // A Remote Configuration URL the agent refuses, logs over TCP to a site without a TCP intake: the allow-list's reader learns why.
        var warnings = AgentPlanChoices.Notes(plan, AgentNoteKind.NotReachedAsPlanned).ToList();
        AgentPlan chosen = AgentPlanChoices.Override(plan, selection.Ranges.Sections, selection.Features, warnings);
        // A section --section adds names no host of the configuration: the format lists the configuration's hosts.
        string[] added = [.. chosen.Destinations.Where(d => d.Feature == PlanRules.AddedSection).Select(d => Sections.GetName(d.Section!.Value)).Distinct()];
        chosen = new AgentPlan(
            chosen.Site, chosen.AgentVersion, chosen.IsKubernetes, [.. chosen.Destinations.Where(d => d.Feature != PlanRules.AddedSection)], chosen.Listeners, chosen.Notes);
        warnings.RemoveAll(w => added.Any(section => w.StartsWith($"--section {section}:", StringComparison.Ordinal)));
        warnings.AddRange(added.Select(section => $"--section {section}: {format} lists the hosts the configuration reaches, and it does not use {section}: not added"));
        if (selection.Ranges is { Remote: not null } or { Input: not null })
        {
            warnings.Add($"{format} allows host names, from the agent's configuration: the ip-ranges document is not read");
        }

        if (!quiet)
        {
            warnings.ForEach(warning => console.WriteWarning($"warning: {warning}"));
            PointToPlan(plan, [AgentNoteKind.NotReachedAsPlanned], console);
        }

        return PlanRules.ByName(chosen);
    }

    // Whether the feature is the Cluster Agent, which the plan's node agents reach (AgentNoteKind.ClusterAgent): the Kubernetes formats select its pods.
    private static bool ClusterAgent(AgentPlan plan, string feature) =>
        feature == PlanRules.ClusterAgentFeature && AgentPlanChoices.Has(plan, AgentNoteKind.ClusterAgent);

    // Whether the plan needs the feature at addresses no document publishes, on ports the format allows it on.
    private static bool Needs(AgentPlan plan, string feature, IReadOnlyList<PortRange> ports)
    {
        AgentDestination[] needed = Unpublished(plan, feature);
        return needed.Length > 0 && needed.All(d => ports.Contains(d.Port));
    }

    // The one TCP port the plan needs a feature on, where the format moves it and it is not among the ports allowed by default.
    private static int? MovedPort(AgentPlan plan, string feature, IReadOnlyList<PortRange> ports) =>
        Unpublished(plan, feature).Select(d => d.Port).Distinct().ToArray() is [{ Protocol: TransportProtocol.Tcp, IsSinglePort: true } port] && !ports.Contains(port)
            ? port.First
            : null;

    private static AgentDestination[] Unpublished(AgentPlan plan, string feature) => [.. plan.Destinations.Where(d => d.Coverage is DestinationCoverage.Cluster
        or DestinationCoverage.AnyAddress && string.Equals(d.Feature, feature, StringComparison.OrdinalIgnoreCase))];
}
