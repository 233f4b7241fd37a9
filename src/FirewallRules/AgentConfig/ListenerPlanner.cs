using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>
/// The ports the agent listens on and the addresses it binds, from the configuration template: the IPC API
/// (<c>cmd_port</c>, 5001), expvar (<c>expvar_port</c>, 5000), the GUI (<c>GUI_port</c>, off on Linux), the health port
/// (<c>health_port</c>, off), DogStatsD (<c>dogstatsd_port</c>, 8125/udp, <c>bind_host</c> unless
/// <c>dogstatsd_non_local_traffic</c>), the trace receiver (<c>apm_config.receiver_port</c>, 8126, <c>bind_host</c>
/// unless <c>apm_non_local_traffic</c>), the OTLP receivers (gRPC 4317, HTTP 4318, when their section is present), and the
/// trace, process and security agents' debug servers (5012, 6062, 6162, 5010, 5011).
/// </summary>
internal sealed class ListenerPlanner(AgentSettings settings, AgentDefaults defaults)
{
    private readonly List<AgentListener> _listeners = [];

    public List<AgentListener> Plan()
    {
        string bindHost = settings.Text("bind_host") ?? "localhost";
        string cmdHost = IpcHost();
        Add("ipc", Tcp(settings.Port("cmd_port", 5001, 1)), cmdHost, "IPC API (agent commands)", "cmd_port");
        Add("expvar", Tcp(settings.Port("expvar_port", 5000, 1)), "localhost", "go_expvar server", "expvar_port");
        if (settings.Port("gui_port", -1, -1) is int gui and > 0)
        {
            Add("gui", Tcp(gui), cmdHost, "agent browser GUI", "gui_port");
        }

        if (settings.Port("health_port", 0) is int health and > 0)
        {
            Add("health", Tcp(health), "0.0.0.0", "health check, for probes", "health_port");
        }

        if (settings.Bool("use_dogstatsd", true) && settings.Port("dogstatsd_port", 8125) is int statsd and > 0)
        {
            string bind = settings.Bool("dogstatsd_non_local_traffic", false) ? "0.0.0.0" : bindHost;
            Add("dogstatsd", new PortRange(TransportProtocol.Udp, statsd), bind, "DogStatsD", "dogstatsd_port");
        }

        if (settings.Bool("apm_config.enabled", true) && settings.Port("apm_config.receiver_port", 8126) is int apm and > 0)
        {
            string bind = settings.Bool("apm_config.apm_non_local_traffic", false) ? "0.0.0.0" : bindHost;
            Add("apm", Tcp(apm), bind, "APM trace receiver", "apm_config.receiver_port");
        }

        Otlp("grpc", "0.0.0.0:4317", "OTLP/gRPC receiver");
        Otlp("http", "0.0.0.0:4318", "OTLP/HTTP receiver");
        DebugServers(cmdHost);
        new DeviceListeners(settings).Plan(Add);
        return _listeners;
    }

    // The agent serves its IPC API on localhost or a loopback address only: any other cmd_host stops it (IsLocalAddress and GetIPCAddress,
    // pkg/config/setup), so such a configuration is refused rather than planned as a listener open to other hosts.
    private string IpcHost()
    {
        FoundSetting? found = settings.Find("cmd_host");
        string host = found?.Value.Text?.Trim() ?? "localhost";
        bool loopback = IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address)
            && (host.Contains(':', StringComparison.Ordinal) || address.ToString() == host);
        return host == "localhost" || loopback
            ? host
            : throw new AgentConfigurationException(found!.Value.Origin, found.Name,
                "must be localhost or a loopback address (127.0.0.0/8, ::1): the agent refuses any other for its IPC API and does not start it");
    }

    // The trace agent's debug server (apm_config.debug.port, 5012, 0 turns it off) listens on 127.0.0.1
    // (pkg/trace/api/debug_server.go); the process agent's expvar (process_config.expvar_port, 6062) and runtime-settings
    // (process_config.cmd_port, 6162) servers on loopback and the IPC host. Defaults: the template and process.go.
    private void DebugServers(string cmdHost)
    {
        if (settings.Bool("apm_config.enabled", true) && settings.Port("apm_config.debug.port", 5012) is int debug and > 0)
        {
            Add("apm-debug", Tcp(debug), "127.0.0.1", "trace agent debug server (expvar, pprof)", "apm_config.debug.port");
        }

        if (ProcessFeatures.Read(settings).ProcessAgentRuns(settings, defaults))
        {
            Add("process-expvar", Tcp(settings.Port("process_config.expvar_port", 6062, 1)), "localhost", "process agent expvar server", "process_config.expvar_port");
            Add("process-cmd", Tcp(settings.Port("process_config.cmd_port", 6162, 1)), cmdHost, "process agent runtime settings", "process_config.cmd_port");
        }

        // The security agent runs for compliance or Workload Protection: its runtime-settings server on the IPC host
        // (security_agent.cmd_port, DefaultSecurityAgentCmdPort 5010) and its expvar server on 127.0.0.1 (security_agent.expvar_port,
        // 5011; pkg/config/setup/config.go BindEnvAndSetDefault, cmd/security-agent).
        if (settings.Running.SecurityAgent && (settings.Bool("compliance_config.enabled", false) || settings.Bool("runtime_security_config.enabled", false)))
        {
            Add("security-cmd", Tcp(settings.Port("security_agent.cmd_port", 5010, 1)), cmdHost, "security agent runtime settings", "security_agent.cmd_port");
            Add("security-expvar", Tcp(settings.Port("security_agent.expvar_port", 5011, 1)), "127.0.0.1", "security agent expvar server", "security_agent.expvar_port");
        }
    }

    private static PortRange Tcp(int port) => new(TransportProtocol.Tcp, port);

    private static bool IsLoopback(string bind) =>
        bind.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(bind.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));

    private void Add(string feature, PortRange port, string bind, string purpose, string portKey)
    {
        if (_listeners.FirstOrDefault(l => l.Port == port) is AgentListener taken)
        {
            FoundSetting? found = settings.Find(portKey);
            throw new AgentConfigurationException(found?.Value.Origin ?? SettingOrigin.Default, found?.Name ?? portKey,
                $"{feature} and {taken.Feature} both listen on {port}: change one of their ports");
        }

        _listeners.Add(new AgentListener(feature, port, bind, IsLoopback(bind), purpose));
    }

    private void Otlp(string protocol, string fallback, string purpose)
    {
        string key = $"otlp_config.receiver.protocols.{protocol}";
        if (!settings.IsPresentInFile(key) && !settings.IsSet(key + ".endpoint"))
        {
            return;
        }

        string endpoint = settings.Text(key + ".endpoint") ?? fallback;
        FoundSetting? found = settings.Find(key + ".endpoint");
        if (IntakeHosts.Parse(endpoint) is not (string host, int port))
        {
            throw found is null
                ? new AgentConfigurationException($"{key}.endpoint: must be HOST:PORT")
                : AgentSettings.WrongType(found.Value, found.Name, "HOST:PORT such as 0.0.0.0:4317");
        }

        Add($"otlp-{protocol}", Tcp(port), host, purpose, key + ".endpoint");
    }
}
