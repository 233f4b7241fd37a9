namespace FirewallRules.Ports;

/// <summary>Who may reach an agent's local listeners.</summary>
public sealed class LocalListenerOptions
{
    /// <summary>Loopback only, for every feature.</summary>
    public static LocalListenerOptions Default { get; } = new();

    /// <summary>The features to protect (catalog keys such as <c>dogstatsd</c>, <c>statsd</c>, <c>opentelemetry</c>).</summary>
    /// <value>Null: every local listener of the agent.</value>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>
    /// Source networks allowed per feature instead of loopback: the <c>dogstatsd_non_local_traffic</c> case,
    /// e.g. <c>{ ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8") }</c>. Loopback stays allowed as well.
    /// </summary>
    /// <value>Empty: loopback only.</value>
    public IReadOnlyDictionary<string, PrefixSet> OpenTo { get; init; } = new Dictionary<string, PrefixSet>();
}
