using FirewallRules.Intakes;
using FirewallRules.Rules;

namespace FirewallRules.Ports;

/// <summary>
/// The ports each agent uses, from its documentation: the Datadog Agent's network guide (v6/v7 and
/// v5/v4) and Datakit's port table. Outbound entries say where the agent connects; local listeners are
/// what <see cref="LocalListenerRules"/> protects.
/// </summary>
public static class PortCatalog
{
    private static readonly PortRange Https = PortRange.Https;

    /// <summary>Every catalogued port, by agent, in documentation order.</summary>
    public static IReadOnlyList<AgentPort> All { get; } =
    [
        // Datadog Agent v6/v7: outbound.
        new(AgentKind.DatadogAgent, "intake", Https, PortRole.Outbound, "Most Agent data: metrics, APM, live processes and containers, logs over HTTPS"),
        new(AgentKind.DatadogAgent, "ntp", Udp(123), PortRole.Outbound, "NTP, to NTP servers (not to Datadog's ranges)"),
        new(AgentKind.DatadogAgent, "logs-tcp", Tcp(IntakeCatalog.LogsTcp.Port), PortRole.Outbound, "Log collection over TCP"),
        new(AgentKind.DatadogAgent, "kubelet-readonly", Tcp(10255), PortRole.Outbound, "Kubernetes kubelet, HTTP (to the node)"),
        new(AgentKind.DatadogAgent, "kubelet", Tcp(10250), PortRole.Outbound, "Kubernetes kubelet, HTTPS (to the node)"),

        // Datadog Agent v6/v7: listeners, meant for processes on the same host.
        new(AgentKind.DatadogAgent, "expvar", Tcp(ListenerCatalog.Expvar.Port), PortRole.LocalListener, "go_expvar server"),
        new(AgentKind.DatadogAgent, "ipc", Tcp(ListenerCatalog.Ipc.Port), PortRole.LocalListener, "IPC API"),
        new(AgentKind.DatadogAgent, "gui", Tcp(ListenerCatalog.Gui.Port), PortRole.LocalListener, "Agent browser GUI"),
        new(AgentKind.DatadogAgent, "dogstatsd", Udp(ListenerCatalog.DogStatsD.Port), PortRole.LocalListener, "DogStatsD; local only unless dogstatsd_non_local_traffic is true"),
        new(AgentKind.DatadogAgent, "apm", Tcp(ListenerCatalog.Apm.Port), PortRole.LocalListener, "APM receiver"),

        // Datadog Agent v5/v4.
        new(AgentKind.DatadogAgentV5, "intake", Https, PortRole.Outbound, "Most Agent data: metrics, APM, live processes and containers"),
        new(AgentKind.DatadogAgentV5, "ntp", Udp(123), PortRole.Outbound, "NTP, to NTP servers (not to Datadog's ranges)"),
        new(AgentKind.DatadogAgentV5, "dogstatsd", Udp(8125), PortRole.LocalListener, "DogStatsD; local only unless non_local_traffic is true"),
        new(AgentKind.DatadogAgentV5, "apm", Tcp(8126), PortRole.LocalListener, "APM receiver"),
        new(AgentKind.DatadogAgentV5, "forwarder", Tcp(17123), PortRole.LocalListener, "Agent forwarder, buffering traffic during network splits"),
        new(AgentKind.DatadogAgentV5, "graphite", Tcp(17124), PortRole.LocalListener, "Optional graphite adapter"),

        // Datakit: listeners opened when the related feature is enabled.
        new(AgentKind.Datakit, "netflow9", Udp(2055), PortRole.LocalListener, "NetFlow netflow9 default port"),
        new(AgentKind.Datakit, "netflow5", Udp(2056), PortRole.LocalListener, "NetFlow netflow5 default port"),
        new(AgentKind.Datakit, "cat", Tcp(2280), PortRole.LocalListener, "Cat Tracing"),
        new(AgentKind.Datakit, "pyroscope", Tcp(4040), PortRole.LocalListener, "Pyroscope Profile", "HTTP", "/ingest"),
        new(AgentKind.Datakit, "opentelemetry", Tcp(4317), PortRole.LocalListener, "OpenTelemetry", "gRPC", "otel/v1/trace, otel/v1/metric"),
        new(AgentKind.Datakit, "ipfix", Udp(4739), PortRole.LocalListener, "NetFlow ipfix default port"),
        new(AgentKind.Datakit, "beats", Tcp(5044), PortRole.LocalListener, "Beats"),
        new(AgentKind.Datakit, "sflow5", Udp(6343), PortRole.LocalListener, "NetFlow sflow5 default port"),
        new(AgentKind.Datakit, "statsd", Udp(8125), PortRole.LocalListener, "StatsD"),
        new(AgentKind.Datakit, "http", Tcp(9529), PortRole.LocalListener, "Datakit HTTP", "HTTP"),
        new(AgentKind.Datakit, "logging-tcp", Tcp(9530), PortRole.LocalListener, "Logging on socket(TCP)"),
        new(AgentKind.Datakit, "dca", Tcp(9531), PortRole.LocalListener, "DCA Server"),
        new(AgentKind.Datakit, "logging-udp", Udp(9531), PortRole.LocalListener, "Logging on Socket(UDP)"),
        new(AgentKind.Datakit, "sidecar", Tcp(9533), PortRole.LocalListener, "SideCar logfwdserver", "WebSocket"),
        new(AgentKind.Datakit, "upgrade", Tcp(9542), PortRole.LocalListener, "Remote upgrading", "HTTP", "/v1/datakit/version, /v1/datakit/upgrade"),
    ];

    /// <summary>The ports of one agent.</summary>
    public static IReadOnlyList<AgentPort> For(AgentKind agent) => All.Where(p => p.Agent == agent).ToArray();

    /// <summary>The command-line key of an agent: <c>datadog</c>, <c>datadog-v5</c> or <c>datakit</c>.</summary>
    public static string GetKey(AgentKind agent) => agent switch
    {
        AgentKind.DatadogAgent => "datadog",
        AgentKind.DatadogAgentV5 => "datadog-v5",
        AgentKind.Datakit => "datakit",
        _ => throw new ArgumentOutOfRangeException(nameof(agent), agent, "Not a catalogued agent."),
    };

    /// <summary>Reads an agent key (<c>datadog</c>, <c>datadog-v7</c>, <c>datadog-v6</c>, <c>datadog-v5</c>, <c>datadog-v4</c>, <c>datakit</c>).</summary>
    public static bool TryParseAgent(string? key, out AgentKind agent)
    {
        (bool found, agent) = key?.Trim().ToLowerInvariant() switch
        {
            "datadog" or "datadog-agent" or "datadog-v7" or "datadog-v6" => (true, AgentKind.DatadogAgent),
            "datadog-v5" or "datadog-v4" => (true, AgentKind.DatadogAgentV5),
            "datakit" => (true, AgentKind.Datakit),
            _ => (false, AgentKind.DatadogAgent),
        };
        return found;
    }

    private static PortRange Tcp(int port) => new(TransportProtocol.Tcp, port);

    private static PortRange Udp(int port) => new(TransportProtocol.Udp, port);
}
