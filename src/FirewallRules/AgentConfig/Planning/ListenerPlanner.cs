using System.Net;
using FirewallRules.Intakes;
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
    // Each listener with the key that sets its port, which a collision names.
    private readonly List<(AgentListener Listener, string PortKey)> _listeners = [];

    public List<AgentListener> Plan()
    {
        string bindHost = BindAddress.Read(settings, "bind_host", "localhost", BindForm.JoinHostPort);
        string cmdHost = IpcHost();
        Add(ListenerCatalog.Ipc, Port(ListenerCatalog.Ipc, 1), cmdHost);
        Add(ListenerCatalog.Expvar, Port(ListenerCatalog.Expvar, 1), "localhost");
        if (settings.Port(ListenerCatalog.Gui.PortKey, -1, -1) is int gui and > 0)
        {
            Add(ListenerCatalog.Gui, gui, cmdHost);
        }

        if (Port(ListenerCatalog.Health) is int health and > 0)
        {
            Add(ListenerCatalog.Health, health, "0.0.0.0");
        }

        if (settings.Bool("use_dogstatsd", true) && Port(ListenerCatalog.DogStatsD) is int statsd and > 0)
        {
            Add(ListenerCatalog.DogStatsD, statsd, settings.Bool("dogstatsd_non_local_traffic", false) ? "0.0.0.0" : bindHost);
        }

        if (settings.Bool("apm_config.enabled", true) && Port(ListenerCatalog.Apm) is int apm and > 0)
        {
            Add(ListenerCatalog.Apm, apm, settings.Bool("apm_config.apm_non_local_traffic", false) ? "0.0.0.0" : bindHost);
        }

        Otlp(ListenerCatalog.OtlpGrpc);
        Otlp(ListenerCatalog.OtlpHttp);
        DebugServers(cmdHost);
        new DeviceListeners(settings).Plan(Add);
        if (settings.Collector is { } collector)
        {
            CollectorPlanner.Listen(collector, Add);
        }

        return [.. _listeners.Select(entry => entry.Listener)];
    }

    // The agent serves its IPC API on localhost or a loopback address only: any other cmd_host stops it (IsLocalAddress and GetIPCAddress,
    // pkg/config/setup), so such a configuration is refused rather than planned as a listener open to other hosts.
    private string IpcHost()
    {
        FoundSetting? found = settings.Find("cmd_host");
        string host = settings.Text("cmd_host") ?? "localhost";
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
        if (settings.Bool("apm_config.enabled", true) && Port(ListenerCatalog.ApmDebug) is int debug and > 0)
        {
            Add(ListenerCatalog.ApmDebug, debug, "127.0.0.1");
        }

        if (ProcessFeatures.Read(settings).ProcessAgentRuns(settings, defaults))
        {
            Add(ListenerCatalog.ProcessExpvar, Port(ListenerCatalog.ProcessExpvar, 1), "localhost");
            Add(ListenerCatalog.ProcessCmd, Port(ListenerCatalog.ProcessCmd, 1), cmdHost);
        }

        // The security agent runs for compliance or Workload Protection: its runtime-settings server on the IPC host
        // (security_agent.cmd_port, DefaultSecurityAgentCmdPort 5010) and its expvar server on 127.0.0.1 (security_agent.expvar_port,
        // 5011; pkg/config/setup/config.go BindEnvAndSetDefault, cmd/security-agent).
        if (settings.Running.SecurityAgent && (settings.Bool("compliance_config.enabled", false) || settings.Bool("runtime_security_config.enabled", false)))
        {
            Add(ListenerCatalog.SecurityCmd, Port(ListenerCatalog.SecurityCmd, 1), cmdHost);
            Add(ListenerCatalog.SecurityExpvar, Port(ListenerCatalog.SecurityExpvar, 1), "127.0.0.1");
        }
    }

    // The row's port as the configuration sets it, or its default; min: the lowest the key takes (0 turns some listeners off).
    private int Port(Listener row, int min = 0) => settings.Port(row.PortKey, row.Port, min);

    private void Add(Listener row, int port, string bind) =>
        Add(row.Feature, new PortRange(row.Udp ? TransportProtocol.Udp : TransportProtocol.Tcp, port), bind, row.Purpose, row.PortKey);

    private void Add(string feature, PortRange port, string bind, string purpose, string portKey)
    {
        if (_listeners.FirstOrDefault(entry => entry.Listener.Port == port) is { Listener: not null } taken)
        {
            // Named by the key that was set: this one's, else the one that moved the other listener here (cmd_port: 8126).
            FoundSetting? found = settings.Find(portKey) ?? settings.Find(taken.PortKey);
            throw new AgentConfigurationException(found?.Value.Origin ?? SettingOrigin.Default, found?.Name ?? portKey,
                $"{feature} and {taken.Listener.Feature} both listen on {port}: change one of their ports");
        }

        _listeners.Add((new AgentListener(feature, port, bind, BindAddress.IsLoopback(bind), purpose), portKey));
    }

    // An OTLP receiver listens when its protocol's section is present, on its endpoint (default 0.0.0.0 and the row's port).
    private void Otlp(Listener row)
    {
        string section = row.PortKey[..row.PortKey.LastIndexOf('.')];
        if (!settings.IsPresentInFile(section) && !settings.IsSet(row.PortKey))
        {
            return;
        }

        string endpoint = settings.Text(row.PortKey) ?? $"0.0.0.0:{row.Port}";
        FoundSetting? found = settings.Find(row.PortKey);
        if (IntakeHosts.Parse(endpoint) is not (string host, int port))
        {
            throw found is null
                ? new AgentConfigurationException($"{row.PortKey}: must be HOST:PORT")
                : AgentSettings.WrongType(found.Value, found.Name, $"HOST:PORT such as 0.0.0.0:{row.Port}");
        }

        Add(row, port, host);
    }
}
