using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// What one kind of private connectivity renders as, declared in its cloud's folder beside its plan writers, as a
/// format's <see cref="FormatDescription"/> is: the formats holding its whole plan, the settings its plan's rules take,
/// and how a request renders. The formats holding only the plan's rules are the registry's formats that say they
/// render this kind (<see cref="FormatDescription.PrivateConnectivity"/>). The command line reads it, so which formats
/// and settings a kind takes is decided in one place.
/// </summary>
/// <param name="Kind">The kind.</param>
/// <param name="WholePlanFormats">The formats holding the whole plan (endpoints, DNS and rules), in the order <c>fwrules sites</c> suggests them.</param>
internal sealed record PrivateConnectivityDescription(PrivateConnectivityKind Kind, IReadOnlyList<string> WholePlanFormats)
{
    /// <summary>
    /// The plan's inputs the kind requires, named as <see cref="Advice.SettingAdvice"/> names settings, e.g.
    /// <c>PrivateLinkOptions.AgentNetworks</c>: a tool spells them its own way.
    /// </summary>
    public IReadOnlyList<string> Requires { get; init; } = [];

    /// <summary>The settings the plan's rules take beyond a name and comments (Google Cloud: the network and targets).</summary>
    public IReadOnlyList<FormatSetting> Settings { get; init; } = [];

    /// <summary>
    /// Renders a request with the registry's emitters: the output, and one line saying what it holds. Refuses
    /// (<see cref="RuleGenerationException"/>, <see cref="ArgumentException"/>) before writing anything.
    /// </summary>
    public required Func<PrivateConnectivityRequest, EmitterRegistry, (string Text, string Summary)> Render { get; init; }

    /// <summary>Every format the kind renders in: the whole-plan formats no registered format of the kind is, then the registry's formats of the kind.</summary>
    public IReadOnlyList<string> FormatsIn(EmitterRegistry registry)
    {
        string[] rules = [.. registry.Descriptions.Where(d => d.PrivateConnectivity == Kind).Select(d => d.Name)];
        return [.. WholePlanFormats.Except(rules, StringComparer.OrdinalIgnoreCase), .. rules];
    }

    /// <summary>The endpoints' services as the catalog keys them (<c>logs-agent, metrics</c>), for a summary.</summary>
    public static string Services(IEnumerable<PrivateEndpoint> endpoints) =>
        string.Join(", ", endpoints.Select(e => e.Service is DatadogService service ? PrivateLinkCatalog.GetKey(service) : e.Label));
}
