using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// What an agent's plan may set on a format, declared in the format's description (<see cref="FormatDescription.AgentPlan"/>):
/// how the format allows what the plan needs beyond addresses, read from its options (<see cref="Terms"/>), and its options
/// with what the plan leaves to it (<see cref="Apply"/>). A format without one renders a plan's rules by address alone.
/// </summary>
/// <param name="Terms">The format's terms, from its options.</param>
/// <param name="Apply">The options with the in-cluster destinations and ports the plan leaves to the format.</param>
internal sealed record AgentPlanTerms(Func<AgentTermsArguments, AgentFormatTerms> Terms, Func<AgentChoiceArguments, EmitterOptions> Apply);

/// <summary>What <see cref="AgentPlanTerms.Terms"/> reads: the format's options, and which of its settings were given (null: the options say).</summary>
/// <param name="Options">The format's options.</param>
/// <param name="Given">The settings a command line gave by name; null when the options were made in code, where a value other than the default is given.</param>
internal readonly record struct AgentTermsArguments(EmitterOptions Options, SettingValues? Given);

/// <summary>What <see cref="AgentPlanTerms.Apply"/> sets on the options.</summary>
/// <param name="Options">The format's options.</param>
/// <param name="InCluster">The in-cluster destinations (by agent feature) the plan leaves to the format, beside those the options name.</param>
/// <param name="Ports">The one TCP port of each feature the plan reaches elsewhere than the format's default.</param>
/// <param name="Namespace">The namespace the plan's deployment names, for a format that takes it (<see cref="AgentFormatTerms.TakesNamespace"/>); null: the options'.</param>
internal readonly record struct AgentChoiceArguments(EmitterOptions Options, IReadOnlyCollection<string> InCluster, IReadOnlyDictionary<string, int> Ports, string? Namespace);

/// <summary>How a format renders what an agent's plan needs beyond addresses, with its options as given.</summary>
/// <param name="Allows">The in-cluster destinations (by agent feature) it allows in its own terms, with the ports it allows each on.</param>
/// <param name="NamesRendered">Whether it allows the plan's hosts by name (Cilium's <c>toFQDNs</c>), relays given by address among them.</param>
/// <param name="DnsRendered">Whether it allows DNS by a policy of its own.</param>
/// <param name="ByNameSetting">The setting of it that would allow the hosts by name (Cilium's <c>ByName</c>), as advice names it; null when none.</param>
/// <param name="PodSelectorSetting">
/// When it selects the Agent's pods by the chart's and the Operator's component label (no pod selector given): the setting that selects them
/// otherwise, as advice names it; null when it selects no pod by that label.
/// </param>
internal sealed record AgentFormatTerms(
    IReadOnlyDictionary<string, IReadOnlyList<PortRange>> Allows, bool NamesRendered, bool DnsRendered, string? ByNameSetting, string? PodSelectorSetting)
{
    /// <summary>The features whose one TCP port the format takes from the plan when it is elsewhere than its default (the kubelet's).</summary>
    public IReadOnlyCollection<string> Moves { get; init; } = [];

    /// <summary>The features whose port was given for the format: allowed on it, with a warning where the plan differs.</summary>
    public IReadOnlyCollection<string> PortGiven { get; init; } = [];

    /// <summary>
    /// The ports a feature of <see cref="Moves"/> may move to, for a format that allows it by port alone, to every address (a NetworkPolicy
    /// cannot select nodes): another port the configuration names would open that port to every address for whoever writes the
    /// configuration, so it is not moved and the destination is left out, with a warning naming the setting that gives the port on purpose.
    /// A feature not named here moves to any port.
    /// </summary>
    public IReadOnlyDictionary<string, PortMoveLimit> MoveLimits { get; init; } = new Dictionary<string, PortMoveLimit>();

    /// <summary>
    /// The in-cluster destinations the format could allow only by port alone, to every address, on a port Datadog's own hosts use (a
    /// NetworkPolicy's API server: 443/tcp), which it therefore allows only when asked for by name, each with the setting that asks (as
    /// advice names it): taken from a plan, such a policy would let the Agent's pods reach every address on 443/tcp and the allow-list would
    /// hold nothing there. Left out of <see cref="AgentFormatTerms.Allows"/> until asked.
    /// </summary>
    public IReadOnlyDictionary<string, string> OnRequest { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether the format puts its objects in the namespace the plan's deployment names (a DatadogAgent's <c>metadata.namespace</c>): a
    /// namespaced format whose namespace was not given.
    /// </summary>
    public bool TakesNamespace { get; init; }

    /// <summary>The terms of a format that allows addresses only.</summary>
    public static AgentFormatTerms AddressesOnly { get; } = new(new Dictionary<string, IReadOnlyList<PortRange>>(), false, false, null, null);
}

/// <summary>The ports a feature's port may move to from an agent's plan (<see cref="AgentFormatTerms.MoveLimits"/>).</summary>
/// <param name="Ports">The TCP ports the plan may move it to.</param>
/// <param name="Setting">The format's setting that gives another port on purpose, as advice names it.</param>
internal sealed record PortMoveLimit(IReadOnlyCollection<int> Ports, string Setting);
