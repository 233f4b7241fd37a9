using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What keeping a firewall in step with an agent's plan takes: the sections of Datadog's ranges its features use, each on their ports,
/// and beside them the fixed rules (its listeners, the destinations the request gives networks for), with every warning typed as
/// <see cref="AgentRendering"/> types them.
/// </summary>
/// <param name="Plan">The plan with the request's choices.</param>
/// <param name="Sections">The sections of the plan's site to keep in step.</param>
/// <param name="Ports">Each section's ports, by name.</param>
/// <param name="Fixed">The rules beside the ranges; null when there are none.</param>
/// <param name="Warnings">What the rules leave out, the choices' contradictions, the plan's cluster notes.</param>
/// <param name="ProxyWithoutAddress">Whether the plan sends through a proxy named by host name with no address given for it.</param>
internal sealed record AgentSyncRules(
    AgentPlan Plan, IReadOnlyList<Section> Sections, IReadOnlyDictionary<string, IReadOnlyList<PortRange>> Ports, RuleSet? Fixed,
    IReadOnlyList<AgentWarning> Warnings, bool ProxyWithoutAddress)
{
    /// <summary>
    /// The sync of <paramref name="plan"/> as <paramref name="request"/> asks; a host firewall (<paramref name="hostFirewall"/>) refuses a proxy
    /// by name whose address is not given, as <c>generate</c> does, before anything is loaded.
    /// </summary>
    /// <exception cref="AgentRequestException">A host firewall's rules would cut the agent off from its proxy.</exception>
    public static AgentSyncRules For(AgentPlan plan, AgentRenderRequest request, bool hostFirewall)
    {
        var warnings = new List<AgentWarning>();
        AgentPlan chosen = AgentChoices.Override(plan, request, addSections: true, warnings);
        var options = new AgentRuleOptions { Networks = AgentChoices.Networks(chosen, request, warnings) };
        bool named = PlanRules.ProxyWithoutAddress(chosen, options) is not null;
        if (hostFirewall && chosen.Sections.Count > 0)
        {
            AgentChoices.RefuseProxyWithoutAddress(chosen, options, request.Format, byNameSetting: null);
        }

        Dictionary<string, IReadOnlyList<PortRange>> ports = chosen.Destinations
            .Where(d => d.Coverage == DestinationCoverage.PublishedRanges && d.Site == chosen.Site)
            .GroupBy(d => Ranges.Sections.GetName(d.Section!.Value), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<PortRange>)[.. g.Select(d => d.Port).Distinct().Order()], StringComparer.Ordinal);
        (RuleSet? rules, IReadOnlyList<Omission> omitted) = PlanRules.FixedRules(chosen, options);
        var shared = new List<AgentWarning>();
        rules = WithoutSharedPorts(rules, [.. ports.Values.SelectMany(p => p)], shared);
        IEnumerable<AgentWarning> cluster = plan.Notes.Where(n => n.Kind == AgentNoteKind.ClusterDestinations).Select(n => new AgentWarning(AgentWarningKind.Plan, n.Text));
        // The node agents' connections to the Cluster Agent go to pods, which no host firewall names (generate's Kubernetes formats select them).
        IEnumerable<AgentWarning> clusterAgent = plan.Notes.Any(n => n.Kind == AgentNoteKind.ClusterAgent)
            ? [new(AgentWarningKind.LeftOut, "the node agents' connections to the Cluster Agent (5005/tcp): allow egress to its pods on 5005/tcp " +
                "in a policy of your own (the kubernetes, cilium and calico formats render one), or these rules cut the node agents off from it")]
            : [];
        return new AgentSyncRules(chosen, chosen.Sections, ports, rules,
            [.. cluster, .. warnings, .. shared, .. omitted.Select(o => new AgentWarning(AgentWarningKind.LeftOut, o.Text)), .. clusterAgent], named);
    }

    // A fixed rule on a port the ranges use (the API server or a proxy on 443/tcp) would be a second rule for the same
    // direction and port in one table: generate merges them into one; a sync keeps the ranges' rule and says so.
    private static RuleSet? WithoutSharedPorts(RuleSet? rules, HashSet<PortRange> rangePorts, List<AgentWarning> warnings)
    {
        if (rules is null)
        {
            return null;
        }

        FirewallRule[] shared = [.. rules.Rules.Where(r => r.Direction == Direction.Egress && rangePorts.Contains(r.Port))];
        warnings.AddRange(shared.Select(rule => new AgentWarning(AgentWarningKind.LeftOut, $"{string.Join(", ", rule.Sources)} ({rule.Port}) shares its port " +
            "with Datadog's ranges, whose rule a sync keeps: render the plan whole (generate), which merges them")));
        FirewallRule[] kept = [.. rules.Rules.Except(shared)];
        return kept.Length == 0 ? null : RuleSet.Create(kept, rules.Provenance);
    }
}
