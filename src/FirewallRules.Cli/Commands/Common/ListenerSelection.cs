using FirewallRules.Ports;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// Which agent's listeners, and which of them are opened to which networks (<c>--agent</c>, <c>--feature</c>,
/// <c>--open</c>): what <c>generate</c> renders as the listener protection and <c>sync --agent</c> keeps beside the allow-list.
/// </summary>
internal sealed record ListenerSelection(AgentKind Agent, IReadOnlyList<string>? Features, IReadOnlyList<KeyValuePair<string, string>> OpenTo)
{
    /// <summary>The listener protection's rules.</summary>
    /// <exception cref="CliException">An <c>--open</c> network is not a prefix (a usage error).</exception>
    /// <exception cref="FirewallRules.Rules.RuleGenerationException">A feature the agent does not have.</exception>
    public RuleSet Rules()
    {
        var open = new Dictionary<string, PrefixSet>(StringComparer.OrdinalIgnoreCase);
        foreach (IGrouping<string, string> feature in OpenTo.GroupBy(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase))
        {
            open[feature.Key] = PrefixArguments.Parse($"--open {feature.Key}", feature);
        }

        return LocalListenerRules.For(Agent, new LocalListenerOptions { Features = Features, OpenTo = open });
    }
}
