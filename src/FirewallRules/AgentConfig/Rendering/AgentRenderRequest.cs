using FirewallRules.Emitters;

namespace FirewallRules.AgentConfig;

/// <summary>
/// How to render an agent's plan (<see cref="AgentRendering.RenderAsync(AgentPlan, AgentRenderRequest, CancellationToken)"/>): the format,
/// its options, and what the caller chooses over the configuration.
/// </summary>
/// <param name="Format">The format's name, one of <see cref="Registry"/>'s (<c>nftables</c>, <c>kubernetes</c>, <c>squid</c>...).</param>
/// <remarks>Immutable.</remarks>
public sealed record AgentRenderRequest(string Format)
{
    /// <summary>The formats to render with.</summary>
    /// <value><see cref="EmitterRegistry.Default"/>.</value>
    public EmitterRegistry Registry { get; init; } = EmitterRegistry.Default;

    /// <summary>
    /// The format's options (<c>KubernetesPolicyOptions</c> for <c>kubernetes</c>, ...). What the plan sets on them (the in-cluster
    /// destinations a Kubernetes format allows in its own terms, the kubelet's port) is in <see cref="AgentRendered.Options"/>; a
    /// value set here other than the format's default is the caller's, and the plan does not move it.
    /// </summary>
    /// <value>Null: the format's defaults.</value>
    public EmitterOptions? Options { get; init; }

    /// <summary>The sections to render instead of the ones the configuration uses; a warning names each difference.</summary>
    /// <value>Empty: the configuration's.</value>
    public IReadOnlyList<Section> Sections { get; init; } = [];

    /// <summary>The listeners (by feature: <c>dogstatsd</c>, <c>apm</c>...) to render, instead of all the configuration opens.</summary>
    /// <value>Null: every listener.</value>
    public IReadOnlyList<string>? Listeners { get; init; }

    /// <summary>
    /// Networks per feature. For a listener bound to every interface (<c>dogstatsd</c>, <c>apm</c>, <c>otlp-grpc</c>, ...): who may
    /// reach it besides loopback. For a destination whose addresses no document publishes (<c>ntp</c>, <c>kubelet</c>,
    /// <c>kube-apiserver</c>, <c>proxy</c> given by name): where it is. A feature the plan has no such listener or destination for is
    /// named in a warning, and nothing is opened for it.
    /// </summary>
    /// <value>Empty: such listeners and destinations are left out, each named in a warning of kind <see cref="AgentWarningKind.LeftOut"/>.</value>
    public IReadOnlyDictionary<string, PrefixSet> Networks { get; init; } = new Dictionary<string, PrefixSet>();

    /// <summary>The ip-ranges document of the plan's site, read only when the rules hold prefixes of it.</summary>
    /// <value>Null: <see cref="Ranges"/> fetches it, else the embedded snapshot (US1's) stands in.</value>
    public IpRangesDocument? Document { get; init; }

    /// <summary>
    /// Fetches the ip-ranges document of a site (an <see cref="IpRangesClient"/>'s <c>GetAsync</c>), called only when the rules hold
    /// prefixes of one: a plan whose hosts the format allows by name, or that reaches Datadog only through its proxy, reads none.
    /// </summary>
    /// <value>Null: <see cref="Document"/>, else the embedded snapshot.</value>
    public Func<Site, CancellationToken, Task<IpRangesDocument>>? Ranges { get; init; }

    /// <summary>The values a command line gave for the format's settings; then <see cref="Options"/> holds only the options every format shares.</summary>
    internal SettingValues? Given { get; init; }
}
