using FirewallRules.Rules;
namespace FirewallRules;

/// <summary>Overrides for the documented defaults of <see cref="SectionTraffic"/>, applied to every selected section.</summary>
public sealed class RuleSetOptions
{
    /// <summary>The defaults: each section's documented direction and ports, allow.</summary>
    public static RuleSetOptions Default { get; } = new();

    /// <summary>The direction for every section.</summary>
    /// <value>Null: each section's documented direction.</value>
    public Direction? Direction { get; init; }

    /// <summary>The destination ports for every section.</summary>
    /// <value>Null: each section's documented ports (443/tcp; logs also 10516/tcp).</value>
    public IReadOnlyList<PortRange>? Ports { get; init; }

    /// <summary>What the rules do.</summary>
    /// <value><see cref="RuleAction.Allow"/>.</value>
    public RuleAction Action { get; init; } = RuleAction.Allow;
}
