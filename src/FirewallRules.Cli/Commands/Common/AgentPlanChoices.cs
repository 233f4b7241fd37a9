using FirewallRules.AgentConfig;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// What the command line chooses over an agent's plan, the same for <c>generate</c> and <c>sync</c>:
/// <c>--section</c> and <c>--feature</c> instead of the configuration's (with a warning for each contradiction),
/// the networks <c>--open</c> names, and the refusal of a proxy that address rules cannot hold.
/// </summary>
internal static class AgentPlanChoices
{
    /// <summary>The texts of the plan's notes of <paramref name="kind"/>, which a command acts on (never on a note's wording).</summary>
    public static IEnumerable<string> Notes(AgentPlan plan, AgentNoteKind kind) => plan.Notes.Where(n => n.Kind == kind).Select(n => n.Text);

    /// <summary>Whether the plan has a note of <paramref name="kind"/>.</summary>
    public static bool Has(AgentPlan plan, AgentNoteKind kind) => plan.Notes.Any(n => n.Kind == kind);

    /// <summary>How many of the plan's notes are of none of the <paramref name="repeated"/> kinds: those only <c>plan</c> prints.</summary>
    public static int Others(AgentPlan plan, IReadOnlyCollection<AgentNoteKind> repeated) => plan.Notes.Count(n => !repeated.Contains(n.Kind));

    /// <summary>The plan with the sections and listeners the command line chose instead, and a warning for each contradiction.</summary>
    public static AgentPlan Override(AgentPlan plan, IReadOnlyList<string> sections, IReadOnlyList<string>? features, List<string> warnings)
    {
        List<AgentDestination> destinations = [.. plan.Destinations];
        if (sections.Count > 0)
        {
            Section[] chosen = [.. sections.Select(name => Sections.TryParse(name, out Section section)
                ? section
                : throw new CliException(
                    $"--section {name}: with an agent configuration, name one of {string.Join(", ", Enum.GetValues<Section>().Select(Sections.GetName))}", ExitCode.Usage))];
            foreach (Section left in plan.Sections.Except(chosen))
            {
                warnings.Add($"--section leaves out {Sections.GetName(left)}, which the configuration uses " +
                    $"({string.Join(", ", plan.Destinations.Where(d => d.Section == left).Select(d => d.Feature).Distinct())})");
            }

            destinations.RemoveAll(d => d.Coverage == DestinationCoverage.PublishedRanges && d.Site == plan.Site && !chosen.Contains(d.Section!.Value));
            foreach (Section added in chosen.Except(plan.Sections))
            {
                warnings.Add($"--section {Sections.GetName(added)}: the configuration does not use it; rendered as asked");
                destinations.AddRange(PlanRules.AskedSection(added, plan.Site));
            }
        }

        List<AgentListener> listeners = [.. plan.Listeners];
        if (features is not null)
        {
            foreach (string missing in features.Where(f => !plan.Listeners.Any(l => string.Equals(l.Feature, f, StringComparison.OrdinalIgnoreCase))))
            {
                warnings.Add($"--feature {missing}: the configuration has no such listener (it has {string.Join(", ", plan.Listeners.Select(l => l.Feature))})");
            }

            listeners.RemoveAll(l => !features.Contains(l.Feature, StringComparer.OrdinalIgnoreCase));
        }

        return new AgentPlan(plan.Site, plan.AgentVersion, plan.IsKubernetes, destinations, listeners, plan.Notes);
    }

    /// <summary>
    /// The networks <c>--open FEATURE=NETWORKS</c> names, by feature (repeated features merged), and a warning for each feature that
    /// takes no network in <paramref name="plan"/> (<see cref="PlanRules.NetworkFeatures"/>: a typo, or a listener it does not run),
    /// naming those that do: nothing is opened for it.
    /// </summary>
    public static Dictionary<string, PrefixSet> Networks(AgentPlan plan, IReadOnlyList<KeyValuePair<string, string>> open, List<string> warnings)
    {
        IReadOnlyList<string> known = PlanRules.NetworkFeatures(plan);
        var networks = new Dictionary<string, PrefixSet>(StringComparer.OrdinalIgnoreCase);
        foreach (IGrouping<string, string> feature in open.GroupBy(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase))
        {
            if (!known.Contains(feature.Key, StringComparer.OrdinalIgnoreCase))
            {
                warnings.Add($"--open {feature.Key}: the agent's configuration has no listener or destination of that name, so nothing is opened for it " +
                    (known.Count == 0 ? "(it has none that takes networks)" : $"(those that take networks: {string.Join(", ", known)})"));
            }

            networks[feature.Key] = PrefixArguments.Parse($"--open {feature.Key}", feature);
        }

        return networks;
    }

    /// <summary>
    /// Refuses (exit 2) rules in <paramref name="format"/>, an address format, for an agent sending its traffic through a proxy
    /// named by host name with no address given for it (<see cref="PlanRules.ProxyWithoutAddress"/>): they would cut the agent
    /// off from its proxy. <c>generate</c> and host <c>sync</c> both ask here, before anything is written or loaded.
    /// </summary>
    /// <exception cref="CliException">The proxy has no address the rules could allow.</exception>
    internal static void RefuseProxyWithoutAddress(AgentPlan chosen, AgentRuleOptions options, string format, bool byNameOption)
    {
        if (PlanRules.ProxyWithoutAddress(chosen, options) is { } proxy)
        {
            throw new CliException(
                $"the agent sends its traffic through the proxy {proxy.HostName}:{proxy.Port.First}, a host name {format} cannot hold, and without it the rules " +
                $"cut the agent off from its proxy: give the proxy's addresses with --open proxy=CIDR" +
                    (byNameOption ? ", or allow it by name with --by-name" : string.Empty),
                ExitCode.Usage);
        }
    }
}
