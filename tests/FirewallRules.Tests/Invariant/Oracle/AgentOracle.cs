using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Invariant.Oracle;

/// <summary>One rule of the oracle's plan: a direction, a protocol and port, the addresses, and whether every other address is shut out of that port.</summary>
internal sealed record OracleRule(bool Egress, string Protocol, int Port, AddressSet Addresses, bool ClosesPort, string Source);

/// <summary>
/// What an agent configuration (<see cref="DrawnAgent"/>) must allow, decided from the configuration's own values and the agent's
/// documented behaviour, never from the plan's verdict of what is local, proxied or reached by address.
/// </summary>
/// <remarks>
/// <para>What it takes from <c>fwrules plan --json</c> is only the catalogue of destinations: which hosts and ports the agent contacts
/// (with the section a host is published in). Everything the configuration decides it decides itself, which listeners start and on
/// which ports included:</para>
/// <para><b>Listeners.</b> Which start, as the agent's defaults say for the drawn configuration: the IPC API (5001/tcp) and expvar
/// (5000/tcp) always, DogStatsD (<c>dogstatsd_port</c>, 8125/udp), the trace receiver (<c>apm_config.receiver_port</c>, 8126/tcp) and
/// the trace agent's debug server (5012/tcp) while APM is enabled, each OTLP receiver whose endpoint is written; a plan listing
/// another, or missing one, fails (the configurations drawn start no process or security agent). Where each binds, as the agent's
/// source does: DogStatsD on <c>bind_host</c> (default localhost) unless <c>dogstatsd_non_local_traffic</c>, then every address; the
/// trace receiver likewise with <c>apm_non_local_traffic</c>; the IPC API and the runtime-settings servers on <c>cmd_host</c>; the OTLP
/// receivers on their endpoint's host; expvar and the process agent's expvar on localhost; the trace agent's and the security agent's
/// debug servers on 127.0.0.1; the health port on every address. A bind only this host reaches is the name localhost (any case, one
/// trailing dot) or a loopback address (127.0.0.0/8, ::1, and an IPv4-mapped 127.0.0.0/8, which Go listens on as IPv4); an empty value,
/// 0.0.0.0, ::, a name or another interface's address is reached by others. A listener only this host reaches is shut to every other
/// client: 127.0.0.1 and ::1 (and the networks <c>--open</c> gives it) alone pass; one others reach is shut the same way when
/// <c>--open</c> gives it networks, else left to the host's policy.</para>
/// <para><b>Destinations.</b> With <c>proxy.https</c>, an HTTPS destination goes through the proxy (the proxy's address and port
/// are allowed instead) unless a <c>no_proxy</c> entry equals the URL's Host as written: the host, with <c>:PORT</c> when the URL names a
/// port other than 443 (the agent's default, exact matching), and from Agent 7.67 with the trailing dot the agent sends Datadog's own hosts
/// with. Logs over TCP and NTP never use it. A destination reached
/// directly is allowed at its address when it is one, at its section's prefixes (read from the document's JSON) when it is published
/// in the agent's site, at the networks <c>--open</c> gives its feature (NTP); a name with none of these is not rendered.</para>
/// </remarks>
internal static class AgentOracle
{
    private static readonly AddressSet Loopback = AddressSet.Of("127.0.0.1/32", "::1/128");

    /// <summary>The oracle's rules for <paramref name="agent"/>, given the catalogue rows of <paramref name="plan"/>.</summary>
    /// <exception cref="InvalidOperationException">
    /// The plan's listeners are not those the agent starts with this configuration, or one binds where this oracle does not model.
    /// </exception>
    public static IEnumerable<OracleRule> Rules(DrawnAgent agent, JsonObject plan, JsonObject document, IReadOnlyList<(string Feature, string Cidr)> opens) =>
        Destinations(agent, plan, document, opens).Concat(Listeners(agent, plan, opens));

    /// <summary>Whether only processes on this host reach a listener bound to <paramref name="bind"/>.</summary>
    public static bool LocalOnly(string bind)
    {
        string host = bind.Trim('[', ']');
        if ((host.EndsWith('.') ? host[..^1] : host).Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(host, out IPAddress? address))
        {
            return false;
        }

        byte[] bytes = address.GetAddressBytes();
        bool mapped = bytes.Length == 16 && bytes.Take(10).All(b => b == 0) && bytes[10] == 0xff && bytes[11] == 0xff;
        return bytes.Length == 4 ? bytes[0] == 127
            : mapped ? bytes[12] == 127
            : address.Equals(IPAddress.IPv6Loopback);
    }

    /// <summary>Where the agent's listener of <paramref name="feature"/> binds, by the configuration.</summary>
    public static string Bind(DrawnAgent agent, string feature) => feature switch
    {
        "dogstatsd" => agent.StatsdNonLocal ? "0.0.0.0" : agent.BindHost ?? "localhost",
        "apm" => agent.ApmNonLocal ? "0.0.0.0" : agent.BindHost ?? "localhost",
        "ipc" or "gui" or "process-cmd" or "security-cmd" => agent.CmdHost ?? "localhost",
        "otlp-grpc" => HostOf(agent.OtlpGrpc ?? "0.0.0.0:4317"),
        "otlp-http" => HostOf(agent.OtlpHttp ?? "0.0.0.0:4318"),
        "expvar" or "process-expvar" => "localhost",
        "apm-debug" or "security-expvar" => "127.0.0.1",
        "health" => "0.0.0.0",
        _ => throw new InvalidOperationException($"the plan lists a listener the oracle does not model: {feature}"),
    };

    /// <summary>The listeners the agent starts with <paramref name="agent"/>'s configuration: feature, protocol and port.</summary>
    public static IEnumerable<(string Feature, string Protocol, int Port)> Started(DrawnAgent agent)
    {
        yield return ("ipc", "tcp", 5001);
        yield return ("expvar", "tcp", 5000);
        yield return ("dogstatsd", "udp", agent.StatsdPort ?? 8125);
        if (agent.ApmEnabled)
        {
            yield return ("apm", "tcp", agent.ReceiverPort ?? 8126);
            yield return ("apm-debug", "tcp", 5012);
        }

        if (agent.OtlpGrpc is { } grpc)
        {
            yield return ("otlp-grpc", "tcp", PortOf(grpc));
        }

        if (agent.OtlpHttp is { } http)
        {
            yield return ("otlp-http", "tcp", PortOf(http));
        }
    }

    private static IEnumerable<OracleRule> Listeners(DrawnAgent agent, JsonObject plan, IReadOnlyList<(string Feature, string Cidr)> opens)
    {
        string[] started = [.. Started(agent).Select(l => $"{l.Feature} {l.Port}/{l.Protocol}").Order(StringComparer.Ordinal)];
        string[] planned = [.. plan["listeners"]!.AsArray()
            .Select(row => $"{row!["feature"]!.GetValue<string>()} {row["port"]!.GetValue<int>()}/{row["protocol"]!.GetValue<string>()}").Order(StringComparer.Ordinal)];
        if (!started.SequenceEqual(planned))
        {
            throw new InvalidOperationException($"the plan's listeners ({string.Join(", ", planned)}) are not those the agent starts ({string.Join(", ", started)})");
        }

        foreach ((string feature, string protocol, int port) in Started(agent))
        {
            AddressSet opened = Opened(opens, feature);
            if (LocalOnly(Bind(agent, feature)) || !opened.IsEmpty)
            {
                yield return new OracleRule(false, protocol, port, Loopback.Union(opened), true, $"listener {feature} on {Bind(agent, feature)}");
            }
        }
    }

    private static IEnumerable<OracleRule> Destinations(DrawnAgent agent, JsonObject plan, JsonObject document, IReadOnlyList<(string Feature, string Cidr)> opens)
    {
        string site = plan["site"]!.GetValue<string>();
        bool proxied = false;
        foreach (JsonNode? row in plan["destinations"]!.AsArray())
        {
            string feature = row!["feature"]!.GetValue<string>(), host = row["host"]!.GetValue<string>().Trim('[', ']');
            string scheme = row["scheme"]?.GetValue<string>() ?? string.Empty, protocol = row["protocol"]!.GetValue<string>();
            int port = row["port"]!.GetValue<int>();
            if (feature == "proxy")
            {
                continue;
            }

            if (agent.Proxy is not null && scheme == "https" && !Direct(agent, host, port, FullyQualified(plan)))
            {
                proxied = true;
                continue;
            }

            AddressSet addresses = IPAddress.TryParse(host, out IPAddress? address) ? AddressSet.Range(address, address)
                : row["section"] is not { } section ? Opened(opens, feature)
                : row["sectionSite"]?.GetValue<string>() == site ? DatadogTraffic.Addresses(document, section.GetValue<string>())
                : AddressSet.Empty;
            if (!addresses.IsEmpty)
            {
                yield return new OracleRule(true, protocol, port, addresses, false, $"{feature} to {host}");
            }
        }

        if (agent.Proxy is { } proxy && proxied)
        {
            yield return new OracleRule(true, "tcp", proxy.Port, AddressSet.Range(proxy.Address, proxy.Address), false, $"the proxy {DrawnAgent.Host(proxy.Address)}");
        }
    }

    // The agent's exact no_proxy match: an entry equal to the HTTPS URL's Host, which names the port only when it is not 443. From Agent
    // 7.67 the agent sends to Datadog's own hosts fully qualified (convert_dd_site_fqdn): their URL's Host ends with a dot.
    private static bool Direct(DrawnAgent agent, string host, int port, bool fullyQualified)
    {
        string written = IPAddress.TryParse(host, out IPAddress? address) ? DrawnAgent.Host(address)
            : fullyQualified && host.EndsWith(".datadoghq.com", StringComparison.OrdinalIgnoreCase) ? host + "."
            : host;
        written = port == 443 ? written : string.Create(CultureInfo.InvariantCulture, $"{written}:{port}");
        return agent.NoProxy.Contains(written, StringComparer.Ordinal);
    }

    // Whether the plan's agent (its version: TestAgent.Version unless given) is 7.67 or later.
    private static bool FullyQualified(JsonObject plan) =>
        Version.Parse(plan["agentVersion"]!.GetValue<string>().Split('-', '+')[0]) >= new Version(7, 67);

    private static AddressSet Opened(IReadOnlyList<(string Feature, string Cidr)> opens, string feature) =>
        AddressSet.Of(opens.Where(o => o.Feature == feature).Select(o => o.Cidr));

    private static string HostOf(string endpoint) => endpoint[..endpoint.LastIndexOf(':')];

    private static int PortOf(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
}
