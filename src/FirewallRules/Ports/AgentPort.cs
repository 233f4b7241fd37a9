using FirewallRules.Rules;

namespace FirewallRules.Ports;

/// <summary>One documented port of an agent.</summary>
/// <param name="Agent">Which agent uses it.</param>
/// <param name="Feature">A short key for the feature (<c>dogstatsd</c>, <c>apm</c>, <c>opentelemetry</c>), used to select it.</param>
/// <param name="Port">The port and its transport protocol.</param>
/// <param name="Role">Listener on the host, or outbound connection.</param>
/// <param name="Description">What the documentation says it is for.</param>
/// <param name="Application">The application protocol where the documentation names one (HTTP, gRPC, WebSocket), else null.</param>
/// <param name="DefaultRoute">The default HTTP route(s) where documented (Datakit), else null.</param>
public sealed record AgentPort(
    AgentKind Agent,
    string Feature,
    PortRange Port,
    PortRole Role,
    string Description,
    string? Application = null,
    string? DefaultRoute = null)
{
    /// <summary>The agent's key as used on the command line: <c>datadog</c>, <c>datadog-v5</c> or <c>datakit</c>.</summary>
    public string AgentKey => PortCatalog.GetKey(Agent);
}
