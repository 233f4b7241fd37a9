using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Emitters.AllowList;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>One request to the proxy: its method, host (a name, or an address, bracketed for IPv6) and port, and its text.</summary>
internal sealed record Probe(bool Connect, string Host, int Port)
{
    public string Request => Connect
        ? $"CONNECT {Host}:{Port} HTTP/1.1\r\nHost: {Host}:{Port}\r\n\r\n"
        : $"GET http://{Host}:{Port}/api/v2/logs HTTP/1.1\r\nHost: {Host}:{Port}\r\n\r\n";
}

/// <summary>A drawn configuration: its text, and its plan or why it was refused.</summary>
internal sealed record Case(int Index, string Yaml, bool ExpectRefusal, AgentPlan? Plan, string? Refusal)
{
    /// <summary>The squid include for the plan, with the agents' addresses or without.</summary>
    public string Include(bool named) => PlanRules.ByName(Plan!).Render(EmitterRegistry.Default.Create("squid", new SquidOptions
    {
        ProxyClients = named ? PrefixSet.Parse("10.77.0.5/32\nfd77::5/128") : PrefixSet.Empty,
    }));
}

/// <summary>The configurations, requests and model of <see cref="SquidInvariantTests"/>.</summary>
internal static partial class SquidInvariantPlans
{
    private static readonly string[] Sites = ["datadoghq.com", "datadoghq.eu", "us3.datadoghq.com", "us5.datadoghq.com", "ap1.datadoghq.com", "ddog-gov.com"];

    // Hosts no relay may be at, each as a URL's host writes it.
    private static readonly string[] Hostile =
    [
        "[::ffff:10.20.30.40]", "169.254.169.254", "127.0.0.1", "0.0.0.0", "[::]", "255.255.255.255", "224.0.0.1", "localhost", "metadata.google.internal",
        "192.0.2.1", "[2001:db8::1]", "[fe80::1]", "100.100.100.200", "[::1]", "198.18.0.5", "240.1.2.3", "[64:ff9b::a01:203]",
    ];

    private static readonly int[] Ports = [443, 443, 8443, 8080, 10514, 3835, 25, 22, 8042, 10516];

    /// <summary>
    /// <paramref name="plans"/> configurations to probe, then one for each hostile host (in dd_url, logs or APM, as the seed says), which
    /// must be refused: one that is planned all the same is probed like the others.
    /// </summary>
    public static IEnumerable<Case> Draw(int seed, int plans)
    {
        var random = new Random(seed);
        for (int i = 0; i < plans + Hostile.Length; i++)
        {
            string? hostile = i < plans ? null : Hostile[i - plans];
            // The first is always EU1's, whose trace intake Agents 7.67+ name with its trailing dot (trace.agent.datadoghq.eu.).
            string yaml = Config(random, hostile, i == 0 ? "datadoghq.eu" : null);
            AgentPlan? plan = null;
            string? refusal = null;
            try
            {
                // The first with no agent version: its allow-list holds the versioned hosts' pattern for any version (dstdom_regex).
                plan = AgentConfiguration.Parse(yaml, null, null, i == 0 ? null : TestAgent.Version);
            }
            catch (AgentConfigurationException ex)
            {
                refusal = ex.Message;
            }

            yield return new Case(i, yaml, hostile is not null, plan, refusal);
        }
    }

    private static string Config(Random r, string? hostile, string? site)
    {
        var yaml = new StringBuilder("api_key: x\n").Append(CultureInfo.InvariantCulture, $"site: {site ?? Sites[r.Next(Sites.Length)]}\n");
        int where = hostile is null ? -1 : r.Next(3);
        // The first (EU1's) keeps the default metrics intake, so every draw probes the versioned hosts (N-N-N-app.agent.).
        yaml.Append(site is not null ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"dd_url: https://{Relay(r, where == 0 ? hostile : null)}:{Ports[r.Next(Ports.Length)]}\n"));
        if (r.Next(2) == 0 || where == 1)
        {
            string scheme = r.Next(2) == 0 ? "http://" : string.Empty;
            yaml.Append("logs_enabled: true\nlogs_config:\n  force_use_http: true\n")
                .Append(CultureInfo.InvariantCulture, $"  logs_dd_url: {scheme}{Relay(r, where == 1 ? hostile : null)}:{Ports[r.Next(Ports.Length)]}\n")
                .Append(scheme.Length > 0 || r.Next(3) == 0 ? "  logs_no_ssl: true\n" : string.Empty);
        }

        if (r.Next(2) == 0 || where == 2)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"apm_config:\n  apm_dd_url: https://{Relay(r, where == 2 ? hostile : null)}:{Ports[r.Next(Ports.Length)]}\n");
        }

        if (r.Next(2) == 0)
        {
            yaml.Append("proxy:\n  https: http://127.0.0.1:3128\n  http: http://127.0.0.1:3128\n")
                .Append(r.Next(2) == 0 ? "  no_proxy:\n    - trace.agent.datadoghq.com\n" : string.Empty);
        }

        return yaml.ToString();
    }

    // A relay where relays live (a private network's address, a ULA, a public one, a name), or a hostile one.
    private static string Relay(Random r, string? hostile) => hostile ?? r.Next(6) switch
    {
        0 => $"10.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}",
        1 => $"172.{r.Next(16, 32)}.{r.Next(256)}.{r.Next(1, 255)}",
        2 => $"[fd{r.Next(256):x2}::{r.Next(1, 0xffff):x}]",
        3 => $"100.{r.Next(64, 128)}.{r.Next(256)}.{r.Next(1, 255)}",
        4 => $"relay{r.Next(100)}.corp.internal",
        _ => $"52.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}",
    };

    /// <summary>The proxy's destinations in the plan: over TCP, not the proxy, not past it, not raw TCP.</summary>
    public static IEnumerable<NamedDestination> Carried(AgentPlan plan) => PlanRules.ByName(plan).Named!
        .Where(d => !d.IsProxy && d.PastProxy is null && !d.IsRawTcp && d.Port.Protocol == TransportProtocol.Tcp);

    /// <summary>
    /// Whether <paramref name="probe"/> is a request the plan makes through its proxy: a name with its trailing dot (the fully qualified
    /// form Agents 7.67+ send to, <c>trace.agent.datadoghq.eu.</c>) is the same host.
    /// </summary>
    public static bool IsPlanned(AgentPlan plan, Probe probe)
    {
        string host = probe.Host.Trim('[', ']');
        IPAddress? address = IPAddress.TryParse(host, out IPAddress? literal) ? literal : null;
        foreach (NamedDestination d in Carried(plan).Where(d => d.IsPlainHttp != probe.Connect && d.Port.First <= probe.Port && probe.Port <= d.Port.Last))
        {
            string planned = d.Host.Trim('[', ']');
            bool match = IPAddress.TryParse(planned, out IPAddress? relay) ? relay.Equals(address)
                : planned.StartsWith("*-", StringComparison.Ordinal)
                    ? address is null && Regex.IsMatch(host.TrimEnd('.'), "^[0-9]+-[0-9]+-[0-9]+" + Regex.Escape(planned[1..]) + "$", RegexOptions.IgnoreCase)
                    : address is null && string.Equals(host.TrimEnd('.'), planned.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
            if (match)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Requests around and outside the plan: each destination's own, its other ports and method, its neighbours; special places.</summary>
    public static List<Probe> Probes(AgentPlan plan)
    {
        var probes = new HashSet<Probe>
        {
            new(true, "127.0.0.1", 443), new(true, "127.0.0.1", 22), new(true, "[::1]", 443), new(true, "169.254.169.254", 443),
            new(false, "169.254.169.254", 80), new(true, "8.8.8.8", 443), new(true, "evil.example.test", 443), new(false, "evil.example.test", 80),
            new(true, "api." + plan.Site.Domain, 443),
        };
        foreach (NamedDestination d in Carried(plan))
        {
            int port = d.Port.First;
            foreach (string host in Around(d.Host))
            {
                probes.Add(new Probe(!d.IsPlainHttp, host, port));
            }

            foreach (int other in new[] { port - 1, port + 1, 22, 25, 80, 443, 8042, 10516 }.Where(p => p is > 0 and < 65536))
            {
                probes.Add(new Probe(!d.IsPlainHttp, Instance(d.Host), other));
            }

            probes.Add(new Probe(d.IsPlainHttp, Instance(d.Host), port));
        }

        return [.. probes];
    }

    // The destination's host as a request names it, and its neighbours: look-alike names, sub- and parent domains, the addresses beside.
    private static IEnumerable<string> Around(string host)
    {
        string bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out IPAddress? address))
        {
            byte[] bytes = address.GetAddressBytes();
            foreach (int delta in new[] { 0, -1, 1 })
            {
                byte[] next = (byte[])bytes.Clone();
                next[^1] = (byte)(next[^1] + delta);
                var neighbour = new IPAddress(next);
                yield return neighbour.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{neighbour}]" : neighbour.ToString();
            }

            yield break;
        }

        string name = Instance(host);
        yield return name;
        yield return name.ToUpperInvariant();
        yield return name + ".";
        yield return "x" + name;
        yield return "evil." + name;
        yield return name + ".evil.test";
        yield return name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..];
        yield return name.Replace('.', '-');
        if (host.StartsWith("*-", StringComparison.Ordinal))
        {
            // The versioned hosts' look-alikes: too few numbers, a letter for a number, a dot unescaped.
            yield return "7-81" + host[1..];
            yield return "7-81-x" + host[1..];
            yield return "7-81-1" + host[1..].Replace(".agent.", "-agent.", StringComparison.Ordinal);
        }
    }

    // A host a request can name: the versioned hosts' pattern as one agent version's.
    private static string Instance(string host) => host.StartsWith("*-", StringComparison.Ordinal) ? "7-81-1" + host[1..] : host;
}
