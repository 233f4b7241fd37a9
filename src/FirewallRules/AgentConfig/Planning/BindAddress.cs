using System.Net;

namespace FirewallRules.AgentConfig;

/// <summary>How a listener's code makes its address from a <c>bind_host</c>, which decides the values it takes.</summary>
internal enum BindForm
{
    /// <summary><c>net.JoinHostPort(host, port)</c> (DogStatsD, the trace receiver): an address or a name, IPv6 without brackets.</summary>
    JoinHostPort,

    /// <summary><c>fmt.Sprintf("%s:%d", host, port)</c> (SNMP traps, <c>Addr</c> in pkg/snmp/traps/config): IPv6 in brackets, which it does not add.</summary>
    HostColonPort,

    /// <summary><c>net.ParseIP(host)</c> (goflow2, under NetFlow): an address only, as a name or brackets parse to none and listen on every address.</summary>
    AddressOnly,
}

/// <summary>
/// A listener's bind address as the agent's listener reads it: a value with which the agent starts no listener
/// (<c>0.0.0.0 127.0.0.1</c>, <c>::</c> for SNMP traps, a space around it), or listens on other addresses than written
/// (a name for NetFlow), is refused rather than planned.
/// </summary>
internal static class BindAddress
{
    /// <summary>The address <paramref name="key"/> binds its listener to, or <paramref name="fallback"/> when it is not set.</summary>
    /// <exception cref="AgentConfigurationException">One line naming the key.</exception>
    /// <remarks>
    /// An empty value written in a file is set, and the agent listens on it as given: <c>:8125</c>, every address (its
    /// <c>GetBindHostFromConfig</c> returns the key's value whenever it is set). An empty variable is unset, as the agent reads it.
    /// </remarks>
    public static string Read(AgentSettings settings, string key, string fallback, BindForm form) =>
        settings.NonBlankText(key, Rule(form)) is ({ } found, string host) ? Check(host, found.Value, found.Name, form)
            : settings.Find(key) is { Value.Text: "" } ? "0.0.0.0"
            : fallback;

    /// <summary>Returns <paramref name="host"/> when the listener takes it as written; the value as given decides a space around it.</summary>
    /// <exception cref="AgentConfigurationException">One line naming <paramref name="name"/>.</exception>
    public static string Check(string host, SettingValue value, string name, BindForm form) =>
        value.Text == host && Takes(host, form) ? host : throw AgentSettings.WrongType(value, name, Rule(form));

    /// <summary>Whether only processes on the same host reach a listener bound to <paramref name="bind"/>.</summary>
    public static bool IsLoopback(string bind) =>
        (bind.EndsWith('.') ? bind[..^1] : bind).Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(bind.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));

    private static bool Takes(string host, BindForm form) => form switch
    {
        BindForm.JoinHostPort => !host.StartsWith('[') && HostKeys.IsHost(host),
        BindForm.HostColonPort => host.Contains(':', StringComparison.Ordinal)
            ? host.StartsWith('[') && host.EndsWith(']') && HostKeys.IsHost(host)
            : HostKeys.IsHost(host),
        _ => !host.StartsWith('[') && IPAddress.TryParse(host, out _) && HostKeys.IsHost(host),
    };

    private static string Rule(BindForm form) => form switch
    {
        BindForm.JoinHostPort => $"an address or host name to listen on, with no brackets or spaces: {HostKeys.Rule}",
        BindForm.HostColonPort => $"an address or host name to listen on, an IPv6 address in brackets ([::1]), with no spaces: {HostKeys.Rule}",
        _ => "an IP address to listen on, with no brackets or spaces: the NetFlow listener listens on every address for a host name",
    };
}
