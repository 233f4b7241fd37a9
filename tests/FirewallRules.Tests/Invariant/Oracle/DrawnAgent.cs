using System.Globalization;
using System.Net;
using System.Text;

namespace FirewallRules.Tests.Invariant.Oracle;

/// <summary>
/// An agent configuration the invariants draw, as the values written into its datadog.yaml: where its listeners bind
/// (<c>bind_host</c> in every loopback form, every address, a name, an address of another interface; <c>cmd_host</c>; the OTLP
/// receivers' endpoints), which listen beyond loopback (<c>dogstatsd_non_local_traffic</c>, <c>apm_config.apm_non_local_traffic</c>),
/// their ports, a relay by address (<c>dd_url</c>, <c>logs_config.logs_dd_url</c>), logs over TCP, an HTTPS proxy and its
/// <c>no_proxy</c> list. <see cref="AgentOracle"/> reads these values, not the plan fwrules makes of them.
/// </summary>
internal sealed record DrawnAgent
{
    /// <summary>
    /// Hosts a listener may bind that only this host reaches, in three kinds: the name localhost as the agent takes it, the loopback
    /// address of each family (written two ways for IPv6), and the other addresses of 127.0.0.0/8 (one IPv4-mapped).
    /// </summary>
    public static readonly string[][] LoopbackBinds =
        [["localhost", "LocalHost", "localhost."], ["127.0.0.1", "::1", "0:0:0:0:0:0:0:1"], ["127.0.0.2", "127.42.7.9", "127.255.255.254", "::ffff:127.0.0.3"]];

    /// <summary>Hosts a listener may bind that others reach: every address (written three ways), a name, addresses of other interfaces.</summary>
    public static readonly string[] OtherBinds = ["0.0.0.0", "::", "agent.internal", "10.20.30.40", "192.168.7.7", "fd00::5", ""];

    /// <summary>The IPC host: localhost or a loopback address (the agent refuses any other for its IPC API).</summary>
    public static readonly string[] CmdHosts = ["localhost", "127.0.0.1", "127.0.0.9", "::1", "0:0::1"];

    public string? BindHost { get; init; }

    public string? CmdHost { get; init; }

    public bool StatsdNonLocal { get; init; }

    public int? StatsdPort { get; init; }

    public bool ApmEnabled { get; init; } = true;

    public bool ApmNonLocal { get; init; }

    public int? ReceiverPort { get; init; }

    /// <summary>The OTLP receivers' endpoints as written (<c>HOST:PORT</c>, an IPv6 host in brackets); null: the section is absent.</summary>
    public string? OtlpGrpc { get; init; }

    public string? OtlpHttp { get; init; }

    /// <summary><c>dd_url</c>'s relay: an address and a port (443 is written without it, as the URL's Host then is the address alone).</summary>
    public (IPAddress Address, int Port)? Relay { get; init; }

    public bool Logs { get; init; }

    public bool LogsTcp { get; init; }

    public (IPAddress Address, int Port)? LogsRelay { get; init; }

    /// <summary><c>proxy.https</c>: an address and a port.</summary>
    public (IPAddress Address, int Port)? Proxy { get; init; }

    /// <summary><c>proxy.no_proxy</c>, each entry as written.</summary>
    public IReadOnlyList<string> NoProxy { get; init; } = [];

    public bool RemoteConfigurationOff { get; init; }

    /// <summary>The host as a URL or <c>HOST:PORT</c> writes it: an IPv6 address in brackets.</summary>
    public static string Host(IPAddress address) => AddressSet.IsV6(address) ? $"[{address}]" : address.ToString();

    /// <summary><c>dd_url</c>'s URL as written: the port only when it is not HTTPS's.</summary>
    public static string Url((IPAddress Address, int Port) relay) =>
        relay.Port == 443 ? $"https://{Host(relay.Address)}" : string.Create(CultureInfo.InvariantCulture, $"https://{Host(relay.Address)}:{relay.Port}");

    /// <summary>The datadog.yaml these values are written as.</summary>
    public string Yaml()
    {
        var yaml = new StringBuilder();
        void Line(string text) => yaml.Append(text).Append('\n');
        void Quoted(string key, string? value)
        {
            if (value is not null)
            {
                Line($"{key}: \"{value}\"");
            }
        }

        Quoted("bind_host", BindHost);
        Quoted("cmd_host", CmdHost);
        Quoted("dd_url", Relay is { } relay ? Url(relay) : null);
        Line(string.Create(CultureInfo.InvariantCulture, $"dogstatsd_non_local_traffic: {(StatsdNonLocal ? "true" : "false")}"));
        Line(StatsdPort is int statsd ? string.Create(CultureInfo.InvariantCulture, $"dogstatsd_port: {statsd}") : string.Empty);
        Line($"apm_config:\n  enabled: {(ApmEnabled ? "true" : "false")}\n  apm_non_local_traffic: {(ApmNonLocal ? "true" : "false")}");
        Line(ReceiverPort is int receiver ? string.Create(CultureInfo.InvariantCulture, $"  receiver_port: {receiver}") : string.Empty);
        if (Logs)
        {
            Line($"logs_enabled: true\nlogs_config:\n  force_use_tcp: {(LogsTcp ? "true" : "false")}");
            Quoted("  logs_dd_url", LogsRelay is { } logs ? string.Create(CultureInfo.InvariantCulture, $"{Host(logs.Address)}:{logs.Port}") : null);
        }

        if (Proxy is { } proxy)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"proxy:\n  https: \"http://{Host(proxy.Address)}:{proxy.Port}\""));
            Line(NoProxy.Count == 0 ? string.Empty : "  no_proxy:\n" + string.Concat(NoProxy.Select(entry => $"    - \"{entry}\"\n")));
        }

        if (OtlpGrpc is not null || OtlpHttp is not null)
        {
            Line("otlp_config:\n  receiver:\n    protocols:");
            Quoted("      grpc:\n        endpoint", OtlpGrpc);
            Quoted("      http:\n        endpoint", OtlpHttp);
        }

        Line(RemoteConfigurationOff ? "remote_configuration:\n  enabled: false" : string.Empty);
        return string.Concat(yaml.ToString().Split('\n').Where(line => line.Length > 0).Select(line => line + "\n"));
    }
}
