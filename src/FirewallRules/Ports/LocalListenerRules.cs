using FirewallRules.Advice;
using FirewallRules.Rules;

namespace FirewallRules.Ports;

/// <summary>
/// Inbound rules for an agent's local listeners: by default only loopback (127.0.0.1 and ::1) may
/// reach them; a feature can be opened to given networks. The rules close their ports
/// (<see cref="FirewallRule.ClosesPort"/>): emitters drop other traffic to them. Render them with any
/// emitter, like Datadog's ranges.
/// </summary>
public static class LocalListenerRules
{
    /// <summary>127.0.0.1/32 and ::1/128.</summary>
    public static PrefixSet Loopback { get; } = PrefixSet.Parse("127.0.0.1/32\n::1/128");

    /// <summary>Ingress rules allowing each selected listener from loopback (and from the networks it is opened to).</summary>
    /// <exception cref="RuleGenerationException">A feature is not a local listener of the agent; the message lists the ones that are.</exception>
    public static RuleSet For(AgentKind agent, LocalListenerOptions? options = null)
    {
        options ??= LocalListenerOptions.Default;
        AgentPort[] listeners = PortCatalog.For(agent).Where(p => p.Role == PortRole.LocalListener).ToArray();
        string[] known = listeners.Select(p => p.Feature).ToArray();
        foreach (string feature in (options.Features ?? []).Concat(options.OpenTo.Keys))
        {
            if (!known.Contains(feature, StringComparer.OrdinalIgnoreCase))
            {
                throw new RuleGenerationException(
                    $"'{feature}' is not a local listener of {PortCatalog.GetKey(agent)}: use one of {string.Join(", ", known)}");
            }
        }

        AgentPort[] selected = options.Features is null
            ? listeners
            : listeners.Where(p => options.Features.Contains(p.Feature, StringComparer.OrdinalIgnoreCase)).ToArray();
        foreach (string feature in options.OpenTo.Keys)
        {
            if (!selected.Any(p => string.Equals(p.Feature, feature, StringComparison.OrdinalIgnoreCase)))
            {
                throw new RuleGenerationException($"'{feature}' is opened to other networks but not selected",
                    new SettingAdvice("add it with {0}", SettingNames.Of<LocalListenerOptions>(nameof(LocalListenerOptions.Features))));
            }
        }

        FirewallRule[] rules = selected.Select(port =>
        {
            PrefixSet sources = options.OpenTo.FirstOrDefault(o => string.Equals(o.Key, port.Feature, StringComparison.OrdinalIgnoreCase)).Value is PrefixSet open
                ? Loopback.Union(open)
                : Loopback;
            // Only these sources may reach the listener: emitters drop other traffic to its port.
            return new FirewallRule(Direction.Ingress, RuleAction.Allow, port.Port, sources, [$"{port.AgentKey}:{port.Feature}"], closesPort: true);
        }).ToArray();
        string[] names = selected.Select(p => $"{p.AgentKey}:{p.Feature}").ToArray();
        return RuleSet.Create(rules, new RuleSetProvenance(null, null, null, names, IsEmbeddedSnapshot: false));
    }
}
