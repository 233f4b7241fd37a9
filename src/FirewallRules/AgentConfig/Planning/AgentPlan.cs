namespace FirewallRules.AgentConfig;

/// <summary>
/// What one agent will contact and where it listens, derived from its configuration as the agent reads it
/// (<see cref="AgentConfiguration"/>): each destination with the feature that needs it and the section that covers it,
/// each listener with its bind address, and what a firewall cannot take from the published ranges.
/// </summary>
/// <remarks>Immutable. <see cref="AgentRendering"/> turns it into rules in any format.</remarks>
public sealed class AgentPlan
{
    internal AgentPlan(Site site, string agentVersion, bool isKubernetes, IReadOnlyList<AgentDestination> destinations,
        IReadOnlyList<AgentListener> listeners, IReadOnlyList<AgentNote> notes)
    {
        Site = site;
        AgentVersion = agentVersion;
        IsKubernetes = isKubernetes;
        Destinations = destinations;
        Listeners = listeners;
        Notes = notes;
    }

    /// <summary>The site the agent sends to (<c>site</c>, <c>DD_SITE</c>).</summary>
    public Site Site { get; }

    /// <summary>The agent version whose defaults and host names were used.</summary>
    public string AgentVersion { get; }

    /// <summary>Whether the configuration is a Kubernetes deployment (Helm values), with the cluster's own destinations.</summary>
    public bool IsKubernetes { get; }

    /// <summary>Every host the agent will contact, in feature order.</summary>
    public IReadOnlyList<AgentDestination> Destinations { get; }

    /// <summary>Every port the agent listens on.</summary>
    public IReadOnlyList<AgentListener> Listeners { get; }

    /// <summary>
    /// What a reader should know: settings the rules cannot express, defaults that matter, features this tool cannot see; each
    /// with its kind, which a program acts on (<see cref="AgentNoteKind"/>).
    /// </summary>
    public IReadOnlyList<AgentNote> Notes { get; }

    /// <summary>
    /// The namespace the deployment names for the Agent (a DatadogAgent manifest's <c>metadata.namespace</c>), where a Kubernetes format puts its
    /// policies unless its options name one; null when it names none (the Helm chart's values, a manifest without one).
    /// </summary>
    public string? Namespace { get; internal init; }

    /// <summary>
    /// When the caller's version won over the Helm values' image tag and they differ: the tag as written and where
    /// (<c>7.81.1 (values.yaml:4)</c>); null otherwise.
    /// </summary>
    internal string? OverriddenImageVersion { get; set; }

    /// <summary>The sections of <see cref="Site"/>'s document the agent needs, in the order of <see cref="FirewallRules.Section"/>.</summary>
    public IReadOnlyList<Section> Sections =>
        [.. Destinations.Where(d => d.Coverage == DestinationCoverage.PublishedRanges && d.Site == Site).Select(d => d.Section!.Value).Distinct().Order()];

    /// <summary>The proxy the agent's HTTPS traffic goes through, when one is set.</summary>
    public AgentDestination? Proxy => Destinations.FirstOrDefault(d => d.Coverage == DestinationCoverage.Proxy);
}
