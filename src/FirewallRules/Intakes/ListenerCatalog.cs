namespace FirewallRules.Intakes;

/// <summary>
/// One port a Datadog Agent 6 or 7 listens on by default: the key that moves it, its default port and the address it binds by
/// default, as the agent's configuration template and source declare them.
/// </summary>
/// <param name="Feature">The listener's short name in plans (<c>dogstatsd</c>).</param>
/// <param name="PortKey">The key that sets its port (<c>dogstatsd_port</c>).</param>
/// <param name="Port">Its default port.</param>
/// <param name="Udp">Whether it is a UDP port (else TCP).</param>
/// <param name="Purpose">What it serves, in a few words.</param>
/// <param name="Source">Where the port and key come from.</param>
internal sealed record Listener(string Feature, string PortKey, int Port, bool Udp, string Purpose, string Source)
{
    /// <summary>The port as the plan notes write it (<c>8125/udp</c>).</summary>
    public override string ToString() => $"{Port}/{(Udp ? "udp" : "tcp")}";
}

/// <summary>
/// Every port a Datadog Agent 6 or 7 listens on, in one place: the planners (<c>AgentConfig/ListenerPlanner</c>,
/// <c>DeviceListeners</c>), the Helm notes and <c>fwrules ports</c> read them here.
/// </summary>
internal static class ListenerCatalog
{
    private const string Template = "agent source: pkg/config/config_template.yaml and pkg/config/setup/config.go";

    /// <summary>The IPC API (agent commands), on <c>cmd_host</c>.</summary>
    public static Listener Ipc { get; } = new("ipc", "cmd_port", 5001, false, "IPC API (agent commands)", Template);

    /// <summary>The go_expvar server, on localhost.</summary>
    public static Listener Expvar { get; } = new("expvar", "expvar_port", 5000, false, "go_expvar server", Template);

    /// <summary>The browser GUI, off on Linux by default (<c>GUI_port: -1</c>); 5002 where it runs.</summary>
    public static Listener Gui { get; } = new("gui", "gui_port", 5002, false, "agent browser GUI", Template);

    /// <summary>The health check for probes, on every address; off (port 0) unless <c>health_port</c> is set.</summary>
    public static Listener Health { get; } = new("health", "health_port", 0, false, "health check, for probes", Template);

    /// <summary>DogStatsD, on <c>bind_host</c> unless <c>dogstatsd_non_local_traffic</c>.</summary>
    public static Listener DogStatsD { get; } = new("dogstatsd", "dogstatsd_port", 8125, true, "DogStatsD", Template);

    /// <summary>The APM trace receiver, on <c>bind_host</c> unless <c>apm_config.apm_non_local_traffic</c>.</summary>
    public static Listener Apm { get; } = new("apm", "apm_config.receiver_port", 8126, false, "APM trace receiver", Template);

    /// <summary>The OTLP gRPC receiver, when its section is present.</summary>
    public static Listener OtlpGrpc { get; } = new("otlp-grpc", "otlp_config.receiver.protocols.grpc.endpoint", 4317, false, "OTLP/gRPC receiver", Template);

    /// <summary>The OTLP HTTP receiver, when its section is present.</summary>
    public static Listener OtlpHttp { get; } = new("otlp-http", "otlp_config.receiver.protocols.http.endpoint", 4318, false, "OTLP/HTTP receiver", Template);

    /// <summary>The trace agent's debug server (expvar, pprof) on 127.0.0.1; 0 turns it off.</summary>
    public static Listener ApmDebug { get; } = new("apm-debug", "apm_config.debug.port", 5012, false, "trace agent debug server (expvar, pprof)",
        "agent source: pkg/trace/api/debug_server.go");

    /// <summary>The process agent's expvar server, on localhost.</summary>
    public static Listener ProcessExpvar { get; } = new("process-expvar", "process_config.expvar_port", 6062, false, "process agent expvar server",
        "agent source: pkg/config/setup/process.go");

    /// <summary>The process agent's runtime-settings server, on <c>cmd_host</c>.</summary>
    public static Listener ProcessCmd { get; } = new("process-cmd", "process_config.cmd_port", 6162, false, "process agent runtime settings",
        "agent source: pkg/config/setup/process.go");

    /// <summary>The security agent's runtime-settings server, on <c>cmd_host</c> (DefaultSecurityAgentCmdPort).</summary>
    public static Listener SecurityCmd { get; } = new("security-cmd", "security_agent.cmd_port", 5010, false, "security agent runtime settings",
        "agent source: pkg/config/setup/config.go, BindEnvAndSetDefault; cmd/security-agent");

    /// <summary>The security agent's expvar server, on 127.0.0.1.</summary>
    public static Listener SecurityExpvar { get; } = new("security-expvar", "security_agent.expvar_port", 5011, false, "security agent expvar server",
        "agent source: pkg/config/setup/config.go, BindEnvAndSetDefault; cmd/security-agent");

    /// <summary>SNMP traps from network devices, on 0.0.0.0 unless <c>network_devices.snmp_traps.bind_host</c>.</summary>
    public static Listener SnmpTraps { get; } = new("snmp-traps", "network_devices.snmp_traps.port", 9162, true, "SNMP traps from network devices", Template);

    /// <summary>NetFlow v5 and v9 flows (a <c>network_devices.netflow.listeners</c> entry without its own port).</summary>
    public static Listener NetFlow { get; } = new("netflow", "network_devices.netflow.listeners", 2055, true, "flows from network devices",
        "agent source: comp/netflow/config/config.go, flow type defaults");

    /// <summary>IPFIX flows.</summary>
    public static Listener Ipfix { get; } = new("netflow-ipfix", "network_devices.netflow.listeners", 4739, true, "ipfix flows from network devices",
        "agent source: comp/netflow/config/config.go, flow type defaults");

    /// <summary>sFlow v5 flows.</summary>
    public static Listener Sflow { get; } = new("netflow-sflow5", "network_devices.netflow.listeners", 6343, true, "sflow5 flows from network devices",
        "agent source: comp/netflow/config/config.go, flow type defaults");

    /// <summary>Every row, in the order above.</summary>
    public static IReadOnlyList<Listener> All { get; } =
        [Ipc, Expvar, Gui, Health, DogStatsD, Apm, OtlpGrpc, OtlpHttp, ApmDebug, ProcessExpvar, ProcessCmd, SecurityCmd, SecurityExpvar, SnmpTraps, NetFlow, Ipfix, Sflow];

    /// <summary>The default port of each flow type a <c>network_devices.netflow.listeners</c> entry names.</summary>
    public static IReadOnlyDictionary<string, int> FlowPorts { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["netflow5"] = NetFlow.Port, ["netflow9"] = NetFlow.Port, ["ipfix"] = Ipfix.Port, ["sflow5"] = Sflow.Port,
    };
}
