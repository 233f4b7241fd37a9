using FirewallRules.Advice;
using FirewallRules.Ranges;

namespace FirewallRules.AgentConfig;

/// <summary>
/// What a render request chooses over an agent's plan (<see cref="AgentRenderRequest"/>): the sections and listeners instead of the
/// configuration's, each contradiction a warning of kind <see cref="AgentWarningKind.Choice"/>, and the networks given, each for a
/// feature that takes one.
/// </summary>
internal static class AgentChoices
{
    /// <summary>
    /// The plan with the request's sections and listeners instead; with <paramref name="addSections"/> false (a format that lists the
    /// configuration's hosts), a section the configuration does not use is not added, and a warning says so.
    /// </summary>
    public static AgentPlan Override(AgentPlan plan, AgentRenderRequest request, bool addSections, List<AgentWarning> warnings)
    {
        List<AgentDestination> destinations = [.. plan.Destinations];
        if (request.Sections.Count > 0)
        {
            foreach (Section left in plan.Sections.Except(request.Sections))
            {
                warnings.Add(Choice(SectionsSetting, $" leaves out {Sections.GetName(left)}, which the configuration uses " +
                    $"({string.Join(", ", plan.Destinations.Where(d => d.Section == left).Select(d => d.Feature).Distinct())})"));
            }

            destinations.RemoveAll(d => d.Coverage == DestinationCoverage.PublishedRanges && d.Site == plan.Site && !request.Sections.Contains(d.Section!.Value));
            foreach (Section added in request.Sections.Distinct().Except(plan.Sections))
            {
                warnings.Add(Choice(SectionsSetting, addSections
                    ? $" {Sections.GetName(added)}: the configuration does not use it; rendered as asked"
                    : $" {Sections.GetName(added)}: {request.Format} lists the hosts the configuration reaches, and it does not use " +
                        $"{Sections.GetName(added)}: not added"));
                destinations.AddRange(addSections ? PlanRules.AskedSection(added, plan.Site) : []);
            }
        }

        return new AgentPlan(plan.Site, plan.AgentVersion, plan.IsKubernetes, destinations, Listeners(plan, request.Listeners, warnings), plan.Notes)
        {
            Namespace = plan.Namespace,
        };
    }

    private static List<AgentListener> Listeners(AgentPlan plan, IReadOnlyList<string>? features, List<AgentWarning> warnings)
    {
        List<AgentListener> listeners = [.. plan.Listeners];
        if (features is null)
        {
            return listeners;
        }

        foreach (string missing in features.Where(f => !plan.Listeners.Any(l => string.Equals(l.Feature, f, StringComparison.OrdinalIgnoreCase))))
        {
            warnings.Add(Choice(SettingNames.Of<AgentRenderRequest>(nameof(AgentRenderRequest.Listeners)),
                $" {missing}: the configuration has no such listener (it has {string.Join(", ", plan.Listeners.Select(l => l.Feature))})"));
        }

        listeners.RemoveAll(l => !features.Contains(l.Feature, StringComparer.OrdinalIgnoreCase));
        return listeners;
    }

    /// <summary>
    /// The request's networks, by feature (case ignored), and a warning for each feature that takes no network in <paramref name="plan"/>
    /// (<see cref="PlanRules.NetworkFeatures"/>: a typo, or a listener it does not run), naming those that do: nothing is opened for it.
    /// </summary>
    public static Dictionary<string, PrefixSet> Networks(AgentPlan plan, AgentRenderRequest request, List<AgentWarning> warnings)
    {
        IReadOnlyList<string> known = PlanRules.NetworkFeatures(plan);
        var networks = new Dictionary<string, PrefixSet>(StringComparer.OrdinalIgnoreCase);
        foreach ((string feature, PrefixSet given) in request.Networks)
        {
            if (!known.Contains(feature, StringComparer.OrdinalIgnoreCase))
            {
                warnings.Add(Choice(SettingNames.Key<AgentRenderRequest>(nameof(AgentRenderRequest.Networks), feature), ": the agent's configuration has " +
                    "no listener or destination of that name, so nothing is opened for it " +
                    (known.Count == 0 ? "(it has none that takes networks)" : $"(those that take networks: {string.Join(", ", known)})")));
            }

            networks[feature] = networks.TryGetValue(feature, out PrefixSet? before) ? before.Union(given) : given;
        }

        return networks;
    }

    /// <summary>
    /// Refuses rules in <paramref name="format"/>, a format of addresses, for an agent sending its traffic through a proxy named by host
    /// name with no address given for it (<see cref="PlanRules.ProxyWithoutAddress"/>): they would cut the agent off from its proxy.
    /// </summary>
    /// <exception cref="AgentRequestException">The proxy has no address the rules could allow.</exception>
    public static void RefuseProxyWithoutAddress(AgentPlan chosen, AgentRuleOptions options, string format, string? byNameSetting)
    {
        if (PlanRules.ProxyWithoutAddress(chosen, options) is { } proxy)
        {
            string[] settings = [SettingNames.Key<AgentRenderRequest>(nameof(AgentRenderRequest.Networks), "proxy"), .. byNameSetting is null ? [] : new[] { byNameSetting }];
            throw new AgentRequestException(
                $"the agent sends its traffic through the proxy {proxy.HostName}:{proxy.Port.First}, a host name {format} cannot hold, and without it the rules " +
                    "cut the agent off from its proxy",
                new SettingAdvice("give the proxy's addresses with {0}" + (byNameSetting is null ? string.Empty : ", or allow it by name with {1}"), settings));
        }
    }

    private static readonly string SectionsSetting = SettingNames.Of<AgentRenderRequest>(nameof(AgentRenderRequest.Sections));

    // A choice's warning: the request's setting, which a command line names by its flag, then the rest of the sentence, literal.
    private static AgentWarning Choice(string setting, string rest) =>
        new(AgentWarningKind.Choice, new SettingAdvice("{0}" + rest.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal), setting));
}
