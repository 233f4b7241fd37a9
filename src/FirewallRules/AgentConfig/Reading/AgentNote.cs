namespace FirewallRules.AgentConfig;

/// <summary>
/// One note of an <see cref="AgentPlan"/>: what it tells (<see cref="Kind"/>), which a program acts on, and its text, which
/// a reader is shown.
/// </summary>
/// <param name="Kind">What the note tells: a program decides by it, never by <paramref name="Text"/>, whose wording may change.</param>
/// <param name="Text">The note as a reader is shown it.</param>
public sealed record AgentNote(AgentNoteKind Kind, string Text)
{
    /// <summary>The note's text.</summary>
    public override string ToString() => Text;
}

/// <summary>What an <see cref="AgentNote"/> tells. Kinds may be added in any release: treat one you do not know as <see cref="General"/>.</summary>
public enum AgentNoteKind
{
    /// <summary>Something a reader should know, which no command acts on: a default that matters, a setting the rules cannot express.</summary>
    General,

    /// <summary>The agent's HTTPS traffic goes through a proxy: rules allow the proxy, and the proxy must reach Datadog.</summary>
    Proxy,

    /// <summary>
    /// A destination the agent will not reach as planned, whatever rules allow: a Remote Configuration URL the agent refuses,
    /// logs over TCP to a site without a TCP intake.
    /// </summary>
    NotReachedAsPlanned,

    /// <summary>Kubernetes: the cluster's DNS, kubelet, API server and NTP, at addresses the chart's values do not hold.</summary>
    ClusterDestinations,

    /// <summary>Kubernetes: the node agents take cluster metadata from the Cluster Agent (5005/tcp).</summary>
    ClusterAgent,

    /// <summary>Helm values of a chart that may put no component label on the Agent's pods: policies selecting pods by it select none.</summary>
    UnlabelledPods,

    /// <summary>The Agent's pods run on the host's network, where pod network policies do not apply.</summary>
    HostNetwork,
}
