using FirewallRules.Advice;
using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The one way from an agent's configuration to rules in any format: the plan read from its files (or given), the request's choices
/// over it, the format's own terms for what it needs beyond addresses (its description's <c>AgentPlan</c>), the ip-ranges document
/// only when the rules hold its prefixes; every destination and listener the rules leave out, and every choice that contradicts the
/// configuration, is a warning of its own kind (<see cref="AgentRendered.Warnings"/>).
/// </summary>
public static class AgentRendering
{
    /// <summary>Reads the agent's configuration from <paramref name="sources"/> (<see cref="AgentConfiguration.ReadAsync"/>) and renders its plan.</summary>
    /// <exception cref="AgentConfigurationException">A file is malformed, or a value has the wrong type.</exception>
    /// <exception cref="AgentRequestException">The request cannot be rendered as asked (a proxy by name with no address given).</exception>
    /// <exception cref="RuleGenerationException">The document is another site's, lacks a section, or nothing is left to render.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static async Task<AgentRendered> RenderAsync(AgentConfigurationSources sources, AgentRenderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        AgentPlan plan = await AgentConfiguration.ReadAsync(sources, cancellationToken).ConfigureAwait(false);
        return await RenderAsync(plan, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renders <paramref name="plan"/> as <paramref name="request"/> asks.</summary>
    /// <exception cref="AgentRequestException">The request cannot be rendered as asked (a proxy by name with no address given).</exception>
    /// <exception cref="RuleGenerationException">The document is another site's, lacks a section, or nothing is left to render.</exception>
    /// <exception cref="KeyNotFoundException">The format is not in the request's registry.</exception>
    public static Task<AgentRendered> RenderAsync(AgentPlan plan, AgentRenderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        FormatDescription format = request.Registry.Describe(request.Format);
        EmitterOptions options = request.Given is { } given
            ? format.Configure(new ConfigureArguments(request.Options ?? new EmitterOptions(), given))
            : request.Options ?? format.Configure(new ConfigureArguments(new EmitterOptions(), SettingValues.None));
        return request.Registry.AllowsNames(format.Name)
            ? Task.FromResult(ByName(plan, request, options))
            : ByAddressAsync(plan, request, format, options, cancellationToken);
    }

    // A format that allows host names (squid, domains, the Network Firewall domain lists): every host the plan reaches by name, no document read.
    private static AgentRendered ByName(AgentPlan plan, AgentRenderRequest request, EmitterOptions options)
    {
        // A Remote Configuration URL the agent refuses, logs over TCP to a site without a TCP intake: the allow-list's reader learns why.
        var warnings = new List<AgentWarning>(Repeated(plan, [AgentNoteKind.NotReachedAsPlanned]));
        AgentPlan chosen = AgentChoices.Override(plan, request, addSections: false, warnings);
        if (request.Document is not null || request.Ranges is not null)
        {
            warnings.Add(new(AgentWarningKind.DocumentNotRead, $"{request.Format} allows host names, from the agent's configuration: the ip-ranges document is not read"));
        }

        return new AgentRendered(chosen, request.Format, request.Registry, PlanRules.ByName(chosen), options, warnings)
        {
            OtherNotes = Others(plan, [AgentNoteKind.NotReachedAsPlanned]),
        };
    }

    private static async Task<AgentRendered> ByAddressAsync(
        AgentPlan plan, AgentRenderRequest request, FormatDescription format, EmitterOptions options, CancellationToken cancellationToken)
    {
        AgentFormatTerms terms = format.AgentPlan?.Terms(new AgentTermsArguments(options, request.Given)) ?? AgentFormatTerms.AddressesOnly;
        // The notes repeated as warnings: for the formats selecting pods, values of a chart older than 3.140.0 (its pods carry no label
        // the policies select them by) and pods on the host's network; for every format, a destination the agent will not reach as planned.
        AgentNoteKind[] repeated =
            [.. terms.PodSelectorSetting is null ? Array.Empty<AgentNoteKind>() : [AgentNoteKind.UnlabelledPods, AgentNoteKind.HostNetwork], AgentNoteKind.NotReachedAsPlanned];
        var warnings = new List<AgentWarning>(Repeated(plan, repeated, terms.PodSelectorSetting));
        AgentPlan chosen = AgentChoices.Override(plan, request, addSections: true, warnings);
        Dictionary<string, PrefixSet> networks = AgentChoices.Networks(chosen, request, warnings);
        FormatChoice choice = FormatChoice.Of(chosen, terms, networks, warnings);
        var ruleOptions = new AgentRuleOptions { Networks = networks, AllowedByFormat = choice.AllowedByFormat(terms) };
        if (!terms.NamesRendered)
        {
            AgentChoices.RefuseProxyWithoutAddress(chosen, ruleOptions, format.Name, terms.ByNameSetting);
        }

        IpRangesDocument? document = PlanRules.NeedsDocument(chosen, terms.NamesRendered) ? await DocumentAsync(plan.Site, request, cancellationToken).ConfigureAwait(false) : null;
        if (document is null && (request.Document is not null || request.Ranges is not null))
        {
            warnings.Add(new(AgentWarningKind.DocumentNotRead, $"{format.Name} renders no prefix of Datadog's ranges for this configuration (its hosts by name, " +
                "or through the proxy): the ip-ranges document is not read"));
        }

        (RuleSet? rules, IReadOnlyList<Omission> omitted) = PlanRules.Build(chosen, document, ruleOptions);
        IReadOnlyList<AgentWarning> shown = [.. PlanWarnings(plan, repeated, choice), .. warnings,
            .. omitted.Where(o => !terms.NamesRendered || !RenderedByName(o)).Select(o => new AgentWarning(AgentWarningKind.LeftOut, o.Text))];
        string? ns = terms.TakesNamespace ? chosen.Namespace : null;
        EmitterOptions applied = format.AgentPlan is { } agentPlan && (choice.LeftToFormat.Count > 0 || choice.Moved.Count > 0 || ns is not null)
            ? agentPlan.Apply(new AgentChoiceArguments(options, choice.LeftToFormat, choice.Moved, ns))
            : options;
        return new AgentRendered(chosen, format.Name, request.Registry,
            rules ?? throw new RuleGenerationException($"nothing to render from this agent's configuration: {string.Join("; ", omitted.Select(o => o.Text))}"),
            applied, shown)
        {
            OtherNotes = Others(plan, ShownKinds(plan, repeated, choice)),
        };
    }

    // What an output allowing the plan's hosts by name renders after all (Cilium's toFQDNs): what no published range covers, another site's
    // section, the proxy by name.
    private static bool RenderedByName(Omission omission) => omission.Kind is OmissionKind.NotCovered or OmissionKind.OtherSite or OmissionKind.ProxyName;

    private static Task<IpRangesDocument> DocumentAsync(Site site, AgentRenderRequest request, CancellationToken cancellationToken) =>
        request.Document is { } document ? Task.FromResult(document)
        : request.Ranges is { } fetch ? fetch(site, cancellationToken)
        : Task.FromResult(IpRangesDocument.Embedded);

    /// <summary>The notes of <paramref name="kinds"/>, as warnings; an older chart's unlabelled pods with the setting that selects them otherwise.</summary>
    private static IEnumerable<AgentWarning> Repeated(AgentPlan plan, IReadOnlyCollection<AgentNoteKind> kinds, string? podSelector = null) =>
        plan.Notes.Where(n => kinds.Contains(n.Kind)).Select(n => n.Kind == AgentNoteKind.UnlabelledPods && podSelector is not null
            ? new AgentWarning(AgentWarningKind.Plan, new SettingAdvice(Escaped(n.Text) + " ({0} selects the pods by it)", podSelector))
            : new AgentWarning(AgentWarningKind.Plan, n.Text));

    private static string Escaped(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    // The kinds of note the warnings repeat: those asked, the proxy's when there is one, the cluster's when the format allows none of its destinations.
    private static AgentNoteKind[] ShownKinds(AgentPlan plan, AgentNoteKind[] repeated, FormatChoice choice) =>
        [.. repeated, .. plan.Proxy is null ? Array.Empty<AgentNoteKind>() : [AgentNoteKind.Proxy],
            .. choice.Addressed.Count == 0 ? [AgentNoteKind.ClusterDestinations] : Array.Empty<AgentNoteKind>()];

    // Why the rules name a proxy rather than Datadog's ranges, and the cluster's own destinations unless the format allows them; the
    // node agents' connections to the Cluster Agent, to pods: a Kubernetes format selects them (cluster-agent), no other can.
    private static IEnumerable<AgentWarning> PlanWarnings(AgentPlan plan, AgentNoteKind[] repeated, FormatChoice choice)
    {
        AgentNoteKind[] shown = ShownKinds(plan, repeated, choice);
        IEnumerable<AgentWarning> proxy = Repeated(plan, shown.Contains(AgentNoteKind.Proxy) ? [AgentNoteKind.Proxy] : []);
        IEnumerable<AgentWarning> cluster = shown.Contains(AgentNoteKind.ClusterDestinations) ? Repeated(plan, [AgentNoteKind.ClusterDestinations])
            : [new(AgentWarningKind.Plan, new SettingAdvice($"Kubernetes: {Escaped(string.Join(", ", choice.Addressed))} are allowed by the format's own policies, " +
                "in its terms (its header says how narrow); {0} names their addresses instead", SettingNames.Of<AgentRenderRequest>(nameof(AgentRenderRequest.Networks))))];
        IEnumerable<AgentWarning> clusterAgent = plan.Notes.Any(n => n.Kind == AgentNoteKind.ClusterAgent) && !choice.LeftToFormat.Contains(ClusterAgentFeatures.ClusterAgent)
            ? [new(AgentWarningKind.LeftOut, "the node agents' connections to the Cluster Agent (5005/tcp, clusterAgent.enabled): allow egress to its pods on " +
                "5005/tcp in a policy of your own (the kubernetes, cilium and calico formats render one), or these rules cut the node agents off from it")]
            : [];
        return proxy.Concat(cluster).Concat(clusterAgent);
    }

    // How many of the plan's notes are of none of the kinds the warnings repeat: those only the plan shows.
    private static int Others(AgentPlan plan, IReadOnlyCollection<AgentNoteKind> shown) => plan.Notes.Count(n => !shown.Contains(n.Kind));
}
