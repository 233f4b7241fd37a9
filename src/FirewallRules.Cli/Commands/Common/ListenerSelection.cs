using FirewallRules.Ports;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// Which agent's listeners, and which of them are opened to which networks (<c>--agent</c>, <c>--feature</c>,
/// <c>--open</c>): what <c>generate</c> renders as the listener protection and <c>sync --agent</c> keeps beside the allow-list.
/// </summary>
internal sealed record ListenerSelection(AgentKind Agent, IReadOnlyList<string>? Features, IReadOnlyList<KeyValuePair<string, string>> OpenTo)
{
    /// <summary>The listener protection's rules.</summary>
    /// <exception cref="CliException">
    /// A usage error: an <c>--open</c> network is not a prefix, a <c>--feature</c> or <c>--open</c> names a listener the agent does
    /// not have, or a listener is opened without being selected.
    /// </exception>
    public RuleSet Rules()
    {
        var open = new Dictionary<string, PrefixSet>(StringComparer.OrdinalIgnoreCase);
        foreach (IGrouping<string, string> feature in OpenTo.GroupBy(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase))
        {
            open[feature.Key] = PrefixArguments.Parse($"--open {feature.Key}", feature);
        }

        try
        {
            return LocalListenerRules.For(Agent, new LocalListenerOptions { Features = Features, OpenTo = open });
        }
        catch (FirewallRules.Rules.RuleGenerationException ex)
        {
            // Only the command line chose these: a usage error, as an unknown section is.
            throw new CliException(ex, exitCode: ExitCode.Usage);
        }
    }
}
