using FirewallRules.Advice;
using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What a format that allows some destinations in its own terms (<see cref="AgentFormatTerms"/>) takes of a plan: the in-cluster
/// destinations left to it (the features need them on ports it allows them on, and no network is given for them), the one TCP port
/// of each it moves to the plan's, and a warning for a port given that the plan reaches elsewhere.
/// </summary>
/// <param name="LeftToFormat">The features the format allows in its own terms.</param>
/// <param name="Moved">The port of each feature the format moves to the plan's.</param>
internal sealed record FormatChoice(IReadOnlyList<string> LeftToFormat, IReadOnlyDictionary<string, int> Moved)
{
    /// <summary>The destinations left to the format that are reached at addresses (not the Cluster Agent's pods).</summary>
    public IReadOnlyList<string> Addressed => [.. LeftToFormat.Where(f => f != ClusterAgentFeatures.ClusterAgent)];

    /// <summary>The choice for <paramref name="plan"/>; a port given that the plan reaches elsewhere adds a warning.</summary>
    public static FormatChoice Of(AgentPlan plan, AgentFormatTerms terms, IReadOnlyDictionary<string, PrefixSet> networks, List<AgentWarning> warnings)
    {
        // The Cluster Agent is no feature of the plan: no network is given for it, and its pods are selected all the same.
        Dictionary<string, int> moved = terms.Moves.Where(f => !networks.ContainsKey(f)).Select(f => (f, Port: MovedPort(plan, f, terms.Allows[f])))
            .Where(m => m.Port is not null).ToDictionary(m => m.f, m => m.Port!.Value);
        Unmoved(terms, moved, warnings);
        warnings.AddRange(terms.OnRequest.Where(f => !networks.ContainsKey(f.Key) && Unpublished(plan, f.Key).Length > 0).Select(f => new AgentWarning(
            AgentWarningKind.LeftOut, new SettingAdvice($"{f.Key} ({string.Join(", ", Unpublished(plan, f.Key).Select(d => d.Port).Distinct())}): this format " +
                $"could allow it only by port alone, to every address, and the Agent's pods would reach every address on 443/tcp, where Datadog's hosts are; " +
                $"give {{0}}=ADDRESSES (the API server's endpoints), or {{1}} {f.Key} to allow it so on purpose",
                SettingNames.Key<AgentRenderRequest>(nameof(AgentRenderRequest.Networks), f.Key), f.Value))));
        string[] given = [.. terms.PortGiven.Where(f => !networks.ContainsKey(f) && Unpublished(plan, f).Length > 0)];
        warnings.AddRange(given.Where(f => !Needs(plan, f, terms.Allows[f])).Select(f => new AgentWarning(AgentWarningKind.Choice,
            $"{f}: the format allows {string.Join(", ", terms.Allows[f])}, the port given for it; the agent's configuration reaches it on " +
                string.Join(", ", Unpublished(plan, f).Select(d => d.Port).Distinct()))));
        string[] left = [.. terms.Allows.Where(f => (!networks.ContainsKey(f.Key) && (moved.ContainsKey(f.Key) || given.Contains(f.Key) || Needs(plan, f.Key, f.Value)))
            || ClusterAgent(plan, f.Key)).Select(f => f.Key)];
        return new FormatChoice(left, moved);
    }

    // A port the plan moves a feature to outside the format's limits (MoveLimits) is not moved: the destination is left out (its omission names
    // the networks to give), and a warning says why and how to allow it anyway.
    private static void Unmoved(AgentFormatTerms terms, Dictionary<string, int> moved, List<AgentWarning> warnings)
    {
        foreach ((string feature, int port) in moved.Where(m => terms.MoveLimits.TryGetValue(m.Key, out PortMoveLimit? limit) && !limit.Ports.Contains(m.Value)).ToArray())
        {
            moved.Remove(feature);
            warnings.Add(new AgentWarning(AgentWarningKind.LeftOut, new SettingAdvice($"{feature} on {port}/tcp, the port the agent's configuration names: this " +
                $"format allows it by port alone, to every address (it cannot select nodes), so whoever writes the configuration would open {port}/tcp to the " +
                $"whole internet; give {{0}} {port} to allow it so on purpose, or {{1}}=NETWORKS",
                terms.MoveLimits[feature].Setting, SettingNames.Key<AgentRenderRequest>(nameof(AgentRenderRequest.Networks), feature))));
        }
    }

    /// <summary>What the rules leave to the format: the destinations it allows in its own terms, DNS by its own policy, the relays by name.</summary>
    public IReadOnlyCollection<string> AllowedByFormat(AgentFormatTerms terms) =>
        [.. LeftToFormat, .. terms.DnsRendered ? ["dns"] : Array.Empty<string>(), .. terms.NamesRendered ? [PlanRules.AddressRelays] : Array.Empty<string>()];

    // Whether the feature is the Cluster Agent, which the plan's node agents reach (AgentNoteKind.ClusterAgent): the Kubernetes formats select its pods.
    private static bool ClusterAgent(AgentPlan plan, string feature) =>
        feature == ClusterAgentFeatures.ClusterAgent && plan.Notes.Any(n => n.Kind == AgentNoteKind.ClusterAgent);

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
