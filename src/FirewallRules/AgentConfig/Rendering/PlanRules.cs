using System.Net;
using FirewallRules.Ports;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// An <see cref="AgentPlan"/> as rules: egress to the published sections on the ports the features use, the proxy or
/// the networks given instead of what no document publishes, and ingress to each listener from loopback (and the
/// networks it is opened to). What cannot be rendered is said, never guessed.
/// </summary>
internal static class PlanRules
{
    /// <summary>
    /// The plan's rules over <paramref name="document"/>; with none (when <see cref="NeedsDocument"/> says the output renders
    /// no prefix of one), the rules of what is not Datadog's ranges (the proxy, listeners, networks given), the hosts to allow
    /// by name, and a provenance naming the agent's site and no document.
    /// </summary>
    public static (RuleSet? Rules, IReadOnlyList<Omission> Omitted) Build(AgentPlan plan, IpRangesDocument? document, AgentRuleOptions options)
    {
        if (document?.Site is Site documentSite && documentSite != plan.Site && !documentSite.IsCustom)
        {
            throw new RuleGenerationException(
                $"the agent sends to {plan.Site.Name} but the ranges are {documentSite.Name}'s: fetch {plan.Site.Name}'s document (--live --site " +
                    $"{plan.Site.Name.ToLowerInvariant()}) or read it with --input");
        }

        var rules = new List<FirewallRule>();
        var omitted = new List<Omission>();
        var sources = new List<string>();
        SectionRules(plan, document, rules, sources, omitted);
        Destinations(plan, options, rules, sources, omitted);
        // A host rendered by address (the proxy given --open proxy=ADDRESS) is named once, as agent:proxy; a listener of the same
        // name as a destination's feature (apm: the trace intake and the trace agent's receiver) leaves the destination named.
        string[] byAddress = [.. sources];
        Listeners(plan, options, rules, sources, omitted);
        RuleSetProvenance provenance = document is null
            ? new RuleSetProvenance(plan.Site, null, null, [.. Named(plan).Select(d => d.Label).Where(l => !byAddress.Contains($"agent:{l}")).Concat(sources).Distinct()],
                IsEmbeddedSnapshot: false)
            : RuleSetProvenance.From(document, sources);
        return (rules.Count == 0 ? null : RuleSet.WithNamed(Merged(rules), provenance, Named(plan)), omitted);
    }

    /// <summary>
    /// Whether rules of the plan hold prefixes of its site's ip-ranges document: those of the sections its destinations are
    /// published in. Not when the output allows those hosts by name (<paramref name="sectionsByName"/>, Cilium's <c>--by-name</c>),
    /// unless the command line added a section (<c>--section</c>, which names no host), nor when the agent reaches none of them
    /// directly (everything through its proxy): then no document is read, and no other site's document is refused.
    /// </summary>
    internal static bool NeedsDocument(AgentPlan plan, bool sectionsByName) => plan.Destinations.Any(d =>
        d.Coverage == DestinationCoverage.PublishedRanges && d.Site == plan.Site && (!sectionsByName || (d.Feature == AddedSection && !IsNamed(d))));

    /// <summary>
    /// The features of <paramref name="plan"/> that networks may be given for (<see cref="AgentRuleOptions.Networks"/>): its listeners,
    /// and its destinations no document publishes (the proxy, NTP, the kubelet, the API server), in order.
    /// </summary>
    internal static IReadOnlyList<string> NetworkFeatures(AgentPlan plan) =>
        [.. plan.Listeners.Select(l => l.Feature)
            .Concat(plan.Destinations.Where(d => d.Coverage is DestinationCoverage.Proxy or DestinationCoverage.AnyAddress or DestinationCoverage.Cluster)
                .Select(d => d.Feature))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    /// <summary>The feature of a destination <c>--section</c> added to a plan.</summary>
    internal const string AddedSection = "--section";

    /// <summary>
    /// The destinations of a section <c>--section</c> adds to a plan that does not use it: on each of its ports, each intake host
    /// Datadog documents for it at the plan's site (<see cref="IntakeHostNames"/>; what a name-aware output allows). A section with no
    /// documented host is reached at its ranges only: its destination is named after the section, and no name-aware output lists it.
    /// </summary>
    internal static IEnumerable<AgentDestination> AskedSection(Section section, Site site) =>
        SectionTraffic.GetPorts(section).SelectMany(port =>
            (IntakeHostNames.For(Sections.GetName(section), port, site.Domain)?.Where(h => !h.Contains('*', StringComparison.Ordinal)).ToArray() is { Length: > 0 } hosts
                ? hosts
                : [Sections.GetName(section)])
            .Select(host => new AgentDestination(AddedSection, host, port, DestinationCoverage.PublishedRanges, section, site, "asked for on the command line")
            {
                Scheme = IntakeHostNames.IsRawTcp(Sections.GetName(section), port) ? null : "https",
            }));

    // Whether a destination has a host name to allow: all but a section added by --section that has no documented host.
    private static bool IsNamed(AgentDestination destination) =>
        destination.Feature != AddedSection || destination.HostName.Contains('.', StringComparison.Ordinal);

    /// <summary>
    /// The proxy an output allowing addresses cannot render: the agent sends traffic through it, it is a host name, and no
    /// network is given for it (<c>--open proxy=CIDR</c>); such rules would cut the agent off from its proxy. Null otherwise.
    /// </summary>
    internal static AgentDestination? ProxyWithoutAddress(AgentPlan plan, AgentRuleOptions options) =>
        plan.Proxy is { } proxy && Networks(options, proxy.Feature) is null && !IPAddress.TryParse(proxy.HostName.Trim('[', ']'), out _)
            && plan.Destinations.Any(d => d.Coverage == DestinationCoverage.ThroughProxy)
            ? proxy
            : null;

    /// <summary>
    /// The plan for name-aware outputs, with no document read: every host it reaches by name (<see cref="Named"/>), no rule
    /// (the listeners' are for a host firewall); its provenance names the agent's site and the features.
    /// </summary>
    /// <exception cref="RuleGenerationException">The plan names no host to allow by name.</exception>
    public static RuleSet ByName(AgentPlan plan)
    {
        IReadOnlyList<NamedDestination> named = Named(plan);
        if (named.Count == 0)
        {
            throw new RuleGenerationException("the plan names no host to allow by name");
        }

        return RuleSet.WithNamed([], new RuleSetProvenance(plan.Site, null, null, [.. named.Select(d => d.Label).Distinct()], IsEmbeddedSnapshot: false), named);
    }

    /// <summary>
    /// The hosts a name-aware output allows: Datadog's, in a section or by name only, of the agent's site or another, the
    /// other hosts reached by name (a relay), NTP's public pool (123/udp, which a list names and a proxy cannot carry), and
    /// the proxy when it is a name (at an address it is rendered by address); not the cluster, which is reached by address.
    /// </summary>
    private static IReadOnlyList<NamedDestination> Named(AgentPlan plan) =>
        [.. plan.Destinations.Where(IsNamed).Where(d => d.Coverage is DestinationCoverage.PublishedRanges or DestinationCoverage.NotPublished or DestinationCoverage.ThroughProxy
                or DestinationCoverage.AnyAddress || (d.Coverage == DestinationCoverage.Proxy && !IPAddress.TryParse(d.HostName.Trim('[', ']'), out _)))
            .Select(d => new NamedDestination(d.AnyVersionName ?? d.HostName, d.Port, d.Feature == AddedSection ? Sections.GetName(d.Section!.Value) : d.Feature,
                d.Scheme is null && d.Port.Protocol == TransportProtocol.Tcp, d.Coverage == DestinationCoverage.ThroughProxy, d.Coverage == DestinationCoverage.AnyAddress,
                d.Coverage == DestinationCoverage.Proxy)
                { PastProxy = d.PastProxy, IsPlainHttp = d.Scheme == "http" && d.Coverage != DestinationCoverage.Proxy, ByClusterAgent = ClusterAgentFeatures.Has(d.Feature) })];

    /// <summary>
    /// In <see cref="AgentRuleOptions.AllowedByFormat"/>: the output allows the plan's relays given by address in its own terms, with
    /// the hosts it allows by name; without it they are rules by address.
    /// </summary>
    public const string AddressRelays = "address-relays";

    /// <summary>
    /// The rules that are not Datadog's ranges: the listeners, and the destinations whose networks <paramref name="options"/>
    /// gives (NTP, the kubelet, a proxy); what a sync loads beside the ranges it keeps current.
    /// </summary>
    public static (RuleSet? Rules, IReadOnlyList<Omission> Omitted) FixedRules(AgentPlan plan, AgentRuleOptions options)
    {
        var rules = new List<FirewallRule>();
        var omitted = new List<Omission>();
        var sources = new List<string>();
        Destinations(plan, options, rules, sources, omitted);
        Listeners(plan, options, rules, sources, omitted);
        // What no published range covers is the proxy's or the names' to allow, never a host firewall's beside the ranges it keeps.
        omitted.RemoveAll(o => o.Kind == OmissionKind.NotCovered);
        return (rules.Count == 0 ? null : RuleSet.Create(Merged(rules), RuleSetProvenance.From(IpRangesDocument.Embedded, sources)), omitted);
    }

    // One rule per direction and port, as RuleSet.For makes them: outputs name their objects by the pair (a proxy or the
    // API server on 443 shares the port with Datadog's sections). A rule of sections alone keeps each section's prefixes.
    private static IEnumerable<FirewallRule> Merged(List<FirewallRule> rules) =>
        rules.GroupBy(rule => (rule.Direction, rule.Port)).Select(group => group.Count() == 1
            ? group.First()
            : new FirewallRule(group.Key.Direction, RuleAction.Allow, group.Key.Port, group.Aggregate(PrefixSet.Empty, (all, rule) => all.Union(rule.Prefixes)),
                [.. group.SelectMany(rule => rule.Sources).Distinct()], group.Any(rule => rule.ClosesPort)));

    // With no document (the output allows those hosts by name), no rule of the plan's site's sections.
    private static void SectionRules(AgentPlan plan, IpRangesDocument? document, List<FirewallRule> rules, List<string> sources, List<Omission> omitted)
    {
        IEnumerable<IGrouping<PortRange, AgentDestination>> byPort = plan.Destinations
            .Where(d => document is not null && d.Coverage == DestinationCoverage.PublishedRanges && d.Site == plan.Site)
            .GroupBy(d => d.Port)
            .OrderBy(g => g.Key);
        foreach (IGrouping<PortRange, AgentDestination> group in byPort)
        {
            IpRangesSection[] sections = [.. group.Select(d => d.Section!.Value).Distinct().Order().Select(section => document!.TryGetSection(section, out IpRangesSection? found)
                ? found
                : throw new RuleGenerationException($"{document} has no '{Sections.GetName(section)}' section, which the agent's " +
                    $"{group.First(d => d.Section == section).Feature} needs: use a newer document (--live)"))];
            rules.Add(FirewallRule.ForSections(Direction.Egress, RuleAction.Allow, group.Key, sections));
            sources.AddRange(sections.Select(s => s.Name).Except(sources));
        }

        foreach (AgentDestination other in plan.Destinations.Where(d => d.Coverage == DestinationCoverage.PublishedRanges && d.Site != plan.Site))
        {
            omitted.Add(new(OmissionKind.OtherSite, $"{other.HostName} ({other.Feature}, {other.Port}) is in {other.Site!.Name}'s " +
                $"'{Sections.GetName(other.Section!.Value)}' section: generate those rules too (--live --site {other.Site.Name.ToLowerInvariant()} " +
                $"--section {Sections.GetName(other.Section.Value)})"));
        }
    }

    private static void Destinations(AgentPlan plan, AgentRuleOptions options, List<FirewallRule> rules, List<string> sources, List<Omission> omitted)
    {
        foreach (IGrouping<string, AgentDestination> feature in plan.Destinations
            .Where(d => d.Coverage is DestinationCoverage.Proxy or DestinationCoverage.AnyAddress or DestinationCoverage.Cluster)
            .GroupBy(d => d.Feature))
        {
            AgentDestination first = feature.First();
            PrefixSet? networks = Networks(options, feature.Key);
            if (networks is null && first.Coverage != DestinationCoverage.Proxy && options.AllowedByFormat.Contains(feature.Key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            networks ??= first.Coverage == DestinationCoverage.Proxy && first.Address is IPAddress address ? PrefixSet.Parse(address.ToString()) : null;
            if (networks is null)
            {
                string ports = string.Join(", ", feature.Select(d => d.Port).Distinct());
                omitted.Add(first.Coverage == DestinationCoverage.Proxy
                    ? new(OmissionKind.ProxyName, $"the proxy {first.HostName} ({first.Port}) is a name: allow it by name, or give its address with --open proxy=ADDRESS")
                    : new(OmissionKind.NeedsNetworks, feature.Key == "dns"
                        ? $"dns ({ports} to {first.HostName}): the Kubernetes formats allow it with a policy of their own; for another format give --open dns=NETWORKS"
                        : $"{feature.Key} ({ports} to {first.HostName}) has no published addresses: give them with --open {feature.Key}=NETWORKS"));
                continue;
            }

            string[] names = SourceNames(first);
            foreach (PortRange port in feature.Select(d => d.Port).Distinct().Order())
            {
                rules.Add(new FirewallRule(Direction.Egress, RuleAction.Allow, port, networks, names));
            }

            sources.AddRange(names);
        }

        Unpublished(plan, options, rules, sources, omitted);
    }

    // The destinations no published section covers: a relay given by its address is a rule by that address; the others are left out.
    private static void Unpublished(AgentPlan plan, AgentRuleOptions options, List<FirewallRule> rules, List<string> sources, List<Omission> omitted)
    {
        foreach (AgentDestination unpublished in plan.Destinations.Where(d => d.Coverage == DestinationCoverage.NotPublished))
        {
            // A relay given by its address (dd_url: https://10.1.2.3:8443) is allowed by that address, as the proxy's is; an output that
            // allows the plan's hosts by name allows it in its own terms (Cilium's toCIDRSet, Squid's dst) or says it cannot.
            // Not the Cluster Agent's (its external metrics): a rule here would open it to the node agents, not to the Cluster Agent.
            IPAddress? relay = unpublished.Address;
            if (relay is not null && !ClusterAgentFeatures.Has(unpublished.Feature))
            {
                if (options.AllowedByFormat.Contains(AddressRelays))
                {
                    continue;
                }

                string[] names = SourceNames(unpublished);
                rules.Add(new FirewallRule(Direction.Egress, RuleAction.Allow, unpublished.Port, PrefixSet.Parse(relay.ToString()), names));
                sources.RemoveAll(names.Contains);
                sources.AddRange(names);
                continue;
            }

            if (relay is not null)
            {
                omitted.Add(new(OmissionKind.ClusterAgentByAddress, $"{unpublished.HostName} ({unpublished.Feature}, {unpublished.Port}) is the Cluster Agent's, " +
                    "given by address: allow it for the Cluster Agent's pods, which these rules do not select"));
                continue;
            }

            omitted.Add(new(OmissionKind.NotCovered, $"{unpublished.HostName} ({unpublished.Feature}, {unpublished.Port}) is not covered by the published ranges" +
                (unpublished.PastProxy is null ? ": " : ", and no_proxy sends it past the proxy: ") + unpublished.AllowBy));
        }
    }

    // A rule's sources for a row: a merged row (metrics+flare: dd_url carries both) names each feature, as a source takes no '+'.
    private static string[] SourceNames(AgentDestination destination) => [.. DestinationMerge.Features(destination).Select(f => $"agent:{f}")];

    private static void Listeners(AgentPlan plan, AgentRuleOptions options, List<FirewallRule> rules, List<string> sources, List<Omission> omitted)
    {
        foreach (AgentListener listener in plan.Listeners)
        {
            PrefixSet? open = Networks(options, listener.Feature);
            if (!listener.IsLocalOnly && open is null)
            {
                omitted.Add(new(OmissionKind.OpenListener,
                    $"{listener.Feature} listens on {listener.BindAddress} ({listener.Port}): restrict who may reach it with --open {listener.Feature}=NETWORKS"));
                continue;
            }

            PrefixSet allowed = open is null ? Ports.LocalListenerRules.Loopback : Ports.LocalListenerRules.Loopback.Union(open);
            rules.Add(new FirewallRule(Direction.Ingress, RuleAction.Allow, listener.Port, allowed, [$"agent:{listener.Feature}"], closesPort: true));
            sources.Add($"agent:{listener.Feature}");
        }
    }

    private static PrefixSet? Networks(AgentRuleOptions options, string feature) =>
        options.Networks.FirstOrDefault(pair => string.Equals(pair.Key, feature, StringComparison.OrdinalIgnoreCase)).Value;
}
