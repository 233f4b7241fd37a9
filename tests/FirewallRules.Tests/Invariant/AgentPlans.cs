using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// Plans of an agent's own configuration (<c>fwrules generate --agent-config ... --open FEATURE=CIDR</c>): a drawn datadog.yaml
/// (<see cref="DrawnAgent"/>: <c>bind_host</c> in every loopback form or bound beyond loopback, <c>cmd_host</c>, the OTLP receivers'
/// endpoints, <c>dogstatsd_non_local_traffic</c> and <c>apm_non_local_traffic</c>, their ports, a relay by address in <c>dd_url</c> or
/// <c>logs_dd_url</c>, logs over TCP, an HTTPS proxy by address or on loopback with a <c>no_proxy</c> list) and networks opened to
/// listeners and to NTP. The model is <see cref="AgentOracle"/>'s: it reads the drawn configuration itself (where each listener binds
/// and whether only this host reaches it, which listeners start, what goes through the proxy, which relay is reached at which address)
/// and takes from <c>fwrules plan --json</c> only the catalogue of destinations (which hosts and ports the agent contacts); prefixes
/// are read from the document's JSON.
/// </summary>
internal static class AgentPlans
{
    /// <summary>The features <c>--open</c> is drawn for: two listeners and a destination no document publishes.</summary>
    private static readonly string[] OpenFeatures = ["dogstatsd", "apm", "otlp-http", "ntp"];

    /// <summary>
    /// Draws a configuration over the document at <paramref name="path"/> (the embedded snapshot when null), writes it under
    /// <paramref name="directory"/>, asks <c>fwrules plan</c> for its catalogue rows and returns the plan with the oracle's model.
    /// <paramref name="loopback"/> draws <c>bind_host</c> among the loopback forms, else among the others (or leaves it unset).
    /// </summary>
    public static async Task<AdmissionPlan> DrawAsync(Random random, string? path, string directory, bool loopback)
    {
        JsonObject document = DocumentPlans.Read(path);
        DrawnAgent agent = Draw(random, document, loopback);
        string config = Path.Combine(directory, $"datadog-{Guid.NewGuid():N}.yaml"), text = agent.Yaml();
        await File.WriteAllTextAsync(config, text);
        ProcessResult planned = await FwrulesInProcess.RunAsync(null, "plan", "-q", "--json", "--agent-config", config);
        Assert.That(planned.ExitCode, Is.Zero, $"fwrules plan refused the configuration:\n{text}{planned.Error}");
        JsonObject rows = JsonNode.Parse(planned.Output)!.AsObject();
        string[] listening = [.. rows["listeners"]!.AsArray().Select(l => l!["feature"]!.GetValue<string>()), "ntp"];
        var opens = new List<(string Feature, string Cidr)>();
        foreach (string feature in OpenFeatures.Where(f => listening.Contains(f) && random.Next(3) == 0))
        {
            opens.AddRange(Enumerable.Range(0, random.Next(1, 3)).Select(_ => (feature, Cidr(random))));
        }

        var policy = new UserPolicy(random.NextDouble() < 0.8, random.NextDouble() < 0.3);
        string[] arguments =
            ["--agent-config", config, .. path is null ? Array.Empty<string>() : ["--input", path], .. opens.SelectMany(o => new[] { "--open", $"{o.Feature}={o.Cidr}" })];
        string settings = string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        string title = $"agent over {(path is null ? "the embedded snapshot" : Path.GetFileName(path))}: {settings}" +
            $"{string.Concat(opens.Select(o => $" --open {o.Feature}={o.Cidr}"))}; {policy}";
        ModelRule[] rules = [.. AgentOracle.Rules(agent, rows, document, opens).Select(ToModel)];
        return new AdmissionPlan(title, rules, [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6], policy, arguments, text);
    }

    /// <summary>The oracle's rule as the kernel model holds it: its addresses as the fewest CIDR blocks, each an IPNetwork2.</summary>
    public static ModelRule ToModel(OracleRule rule) => new(rule.Egress, true, rule.Protocol, rule.Port, rule.Port,
        [.. rule.Addresses.Blocks().Select(b => IPNetwork2.Parse(b))], rule.ClosesPort, rule.Source);

    /// <summary>A configuration: where the listeners bind, which listen beyond loopback, their ports, relays, logs, a proxy.</summary>
    public static DrawnAgent Draw(Random random, JsonObject document, bool loopback)
    {
        int statsd = random.Next(9000, 10000), receiver = random.Next(8100, 8200);
        (IPAddress Address, int Port)? relay = random.Next(10) < 7 ? (RelayAddress(random), random.GetItems<int>([443, 8443, 3834, random.Next(1024, 65536)], 1)[0]) : null;
        // A plan beyond loopback always goes through a proxy, so that every seed has a no_proxy list to read.
        (IPAddress Address, int Port)? proxy = !loopback || random.Next(3) == 0
            ? (random.Next(4) == 0 ? random.GetItems([IPAddress.Loopback, IPAddress.IPv6Loopback], 1)[0] : RelayAddress(random), random.GetItems<int>([3128, 8080], 1)[0])
            : null;
        bool logs = random.Next(2) == 0, nonLocalStatsd = random.Next(2) == 0;
        // A loopback plan binds three listeners (bind_host's, both OTLP receivers) to a loopback form of each kind, in a drawn order.
        string[] forms = [.. DrawnAgent.LoopbackBinds.Select(kind => Pick(random, kind))];
        random.Shuffle(forms);
        return new DrawnAgent
        {
            BindHost = loopback ? forms[0] : random.Next(4) == 0 ? null : Pick(random, DrawnAgent.OtherBinds),
            CmdHost = random.Next(2) == 0 ? Pick(random, DrawnAgent.CmdHosts) : null,
            // A loopback plan has one of the two listening beyond loopback (its flag read), the other on bind_host's loopback form.
            StatsdNonLocal = loopback ? nonLocalStatsd : random.Next(4) == 0,
            StatsdPort = random.Next(2) == 0 ? statsd : null,
            ApmEnabled = random.Next(6) > 0,
            ApmNonLocal = loopback ? !nonLocalStatsd : random.Next(4) == 0,
            ReceiverPort = random.Next(2) == 0 ? receiver : null,
            OtlpGrpc = loopback ? Endpoint(random, forms[1], 4317) : random.Next(3) == 0 ? Endpoint(random, Pick(random, DrawnAgent.OtherBinds[..^1]), 4317) : null,
            OtlpHttp = loopback ? Endpoint(random, forms[2], 4318) : random.Next(3) == 0 ? Endpoint(random, Pick(random, DrawnAgent.OtherBinds[..^1]), 4318) : null,
            Relay = relay,
            Logs = logs,
            LogsTcp = logs && random.Next(3) == 0,
            LogsRelay = logs && random.Next(4) == 0 ? (RelayAddress(random), 10516) : null,
            Proxy = proxy,
            NoProxy = proxy is null ? [] : [.. NoProxy(random, relay)],
            RemoteConfigurationOff = random.Next(5) == 0 || !document.ContainsKey("remote-configuration"),
        };
    }

    // Entries that send some destinations past the proxy, as the agent matches them (the URL's Host exactly), and some that match nothing.
    private static IEnumerable<string> NoProxy(Random random, (IPAddress Address, int Port)? relay)
    {
        string[] intakes = ["agent-http-intake.logs.datadoghq.com", "trace.agent.datadoghq.com", "config.datadoghq.com", "process.datadoghq.com"];
        if (relay is { } r)
        {
            // The relay by its address alone (which matches a URL naming no port only), and sometimes with its port too.
            string host = DrawnAgent.Host(r.Address);
            yield return host;
            if (random.Next(2) == 0)
            {
                yield return $"{host}:{r.Port}";
            }
        }

        // Datadog's hosts with the trailing dot the agent sends them with (which match), or without it (which do not).
        foreach (string intake in random.GetItems(intakes, random.Next(1, 3)).Distinct())
        {
            yield return random.Next(3) == 0 ? intake : intake + ".";
        }

        yield return random.Next(2) == 0 ? "unrelated.example" : "datadoghq.com";
    }

    // An OTLP endpoint on host (an IPv6 one in brackets), on its default port or another.
    private static string Endpoint(Random random, string host, int port) =>
        $"{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{(random.Next(2) == 0 ? port : random.Next(20000, 21000))}";

    private static string Pick(Random random, string[] values) => random.GetItems(values, 1)[0];

    // Where relays live: private networks (a special-purpose address is refused as a relay), and a public range.
    private static IPAddress RelayAddress(Random random) => Addresses.RandomIn(
        random.GetItems<string>(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "45.0.0.0/8", "fd00::/8", "2600::/12"], 1)[0], random);

    // A network to open: a random prefix inside a private, documentation or unique local range.
    private static string Cidr(Random random)
    {
        (string range, int shortest, int longest) = random.GetItems<(string, int, int)>(
            [("10.0.0.0/8", 8, 32), ("172.16.0.0/12", 12, 32), ("192.168.0.0/16", 16, 32), ("192.0.2.0/24", 24, 32), ("fd00::/8", 8, 128), ("2001:db8::/32", 32, 128)], 1)[0];
        IPNetwork2 network = IPNetwork2.Parse($"{Addresses.RandomIn(range, random)}/{random.Next(shortest, longest + 1)}");
        return $"{network.Network}/{network.Cidr}";
    }
}
