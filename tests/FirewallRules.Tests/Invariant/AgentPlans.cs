using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Cli;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// Plans of an agent's own configuration (<c>fwrules generate --agent-config ... --open FEATURE=CIDR</c>): a random datadog.yaml (a relay
/// given by address in <c>dd_url</c> or <c>logs_dd_url</c>, logs over HTTPS or TCP, APM off, another DogStatsD port, non-local DogStatsD, a
/// proxy by address or on loopback, remote configuration off) and networks opened to listeners and to NTP. Relays are drawn where relays
/// live (private networks and public ranges): a special-purpose one is refused. The model reads the agent's plan (<c>fwrules plan
/// --json</c>: sections and ports, relays, listeners) and renders it independently: a section's prefixes from the document's JSON, a
/// relay or proxy by its address (a loopback proxy too: the strict table then closes its port to every other address), a listener from
/// 127.0.0.1 and ::1 and the networks opened to it, closed to every other client.
/// </summary>
internal static class AgentPlans
{
    /// <summary>The features <c>--open</c> is drawn for: two listeners and a destination no document publishes.</summary>
    private static readonly string[] OpenFeatures = ["dogstatsd", "apm", "ntp"];

    /// <summary>
    /// Draws a configuration over the document at <paramref name="path"/> (the embedded snapshot when null), writes it under
    /// <paramref name="directory"/>, asks <c>fwrules plan</c> for its plan and returns the plan with its model.
    /// </summary>
    public static async Task<AdmissionPlan> DrawAsync(Random random, string? path, string directory)
    {
        JsonObject document = DocumentPlans.Read(path);
        List<string> yaml = [];
        string? relay = random.Next(10) < 7 ? Bracketed(RelayAddress(random)) : null;
        if (relay is not null)
        {
            yaml.Add($"dd_url: https://{relay}:{random.GetItems<int>([443, 8443, 3834, 10516, random.Next(1024, 65536)], 1)[0]}");
        }

        yaml.AddRange(Features(random, document));
        var opens = new List<(string Feature, string Cidr)>();
        foreach (string feature in OpenFeatures.Where(_ => random.Next(3) == 0))
        {
            opens.AddRange(Enumerable.Range(0, random.Next(1, 3)).Select(_ => (feature, Cidr(random))));
        }

        string config = Path.Combine(directory, $"datadog-{Guid.NewGuid():N}.yaml");
        string text = yaml.Count == 0 ? "{}\n" : string.Join("\n", yaml) + "\n";
        await File.WriteAllTextAsync(config, text);
        ProcessResult planned = await FwrulesInProcess.RunAsync(null, "plan", "-q", "--json", "--agent-config", config);
        Assert.That(planned.ExitCode, Is.Zero, $"fwrules plan refused the configuration:\n{text}{planned.Error}");

        var policy = new UserPolicy(random.NextDouble() < 0.8, random.NextDouble() < 0.3);
        string[] arguments =
            ["--agent-config", config, .. path is null ? Array.Empty<string>() : ["--input", path], .. opens.SelectMany(o => new[] { "--open", $"{o.Feature}={o.Cidr}" })];
        string settings = string.Join(" | ", yaml).Replace("\n ", string.Empty, StringComparison.Ordinal);
        string title = $"agent over {(path is null ? "the embedded snapshot" : Path.GetFileName(path))}: {settings}" +
            $"{string.Concat(opens.Select(o => $" --open {o.Feature}={o.Cidr}"))}; {policy}";
        JsonObject rows = JsonNode.Parse(planned.Output)!.AsObject();
        return new AdmissionPlan(title, [.. Model(rows, document, opens)], [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6], policy, arguments, text);
    }

    private static IEnumerable<string> Features(Random random, JsonObject document)
    {
        if (random.Next(2) == 0)
        {
            yield return "logs_enabled: true";
            string? tcp = random.Next(3) == 0 ? "  force_use_tcp: true" : null;
            string? relay = random.Next(4) == 0 ? $"  logs_dd_url: \"{Bracketed(RelayAddress(random))}:10516\"" : null;
            string[] logs = [.. new[] { tcp, relay }.OfType<string>()];
            if (logs.Length > 0)
            {
                yield return string.Join("\n", ["logs_config:", .. logs]);
            }
        }

        if (random.Next(3) == 0)
        {
            yield return "apm_config:\n  enabled: false";
        }

        if (random.Next(3) == 0)
        {
            yield return $"dogstatsd_port: {random.Next(1024, 65536)}";
        }

        if (random.Next(5) < 2)
        {
            yield return "dogstatsd_non_local_traffic: true";
        }

        if (random.Next(7) == 0)
        {
            yield return $"proxy:\n  https: http://{ProxyHost(random)}:{random.GetItems<int>([3128, 8080, random.Next(1024, 65536)], 1)[0]}";
        }

        if (random.Next(5) == 0 || !document.ContainsKey("remote-configuration"))
        {
            yield return "remote_configuration:\n  enabled: false";
        }
    }

    // What the plan's rows admit: the model of the plan, one rule per row (merging rows changes no address or port).
    private static IEnumerable<ModelRule> Model(JsonObject plan, JsonObject document, List<(string Feature, string Cidr)> opens)
    {
        string site = plan["site"]!.GetValue<string>();
        IReadOnlyList<IPNetwork2>? Opened(string feature) =>
            opens.Any(o => o.Feature == feature) ? [.. opens.Where(o => o.Feature == feature).Select(o => IPNetwork2.Parse(o.Cidr))] : null;

        foreach (JsonNode? row in plan["destinations"]!.AsArray())
        {
            string feature = row!["feature"]!.GetValue<string>(), host = row["host"]!.GetValue<string>(), coverage = row["coverage"]!.GetValue<string>();
            IReadOnlyList<IPNetwork2>? networks = coverage switch
            {
                "published-ranges" when row["sectionSite"]?.GetValue<string>() == site => DocumentPlans.Networks(document, row["section"]!.GetValue<string>()),
                "not-published" => ByAddress(host),
                "proxy" => Opened(feature) ?? ByAddress(host),
                "any-address" or "cluster" => Opened(feature),
                _ => null,
            };
            if (networks is { Count: > 0 })
            {
                int port = row["port"]!.GetValue<int>();
                yield return new ModelRule(true, true, row["protocol"]!.GetValue<string>(), port, port, networks, false, $"{feature} to {host}");
            }
        }

        foreach (JsonNode? listener in plan["listeners"]!.AsArray())
        {
            string feature = listener!["feature"]!.GetValue<string>();
            IReadOnlyList<IPNetwork2>? open = Opened(feature);
            if (listener["localOnly"]!.GetValue<bool>() || open is not null)
            {
                int port = listener["port"]!.GetValue<int>();
                IPNetwork2[] allowed = [IPNetwork2.Parse("127.0.0.1/32"), IPNetwork2.Parse("::1/128"), .. open ?? []];
                yield return new ModelRule(false, true, listener["protocol"]!.GetValue<string>(), port, port, allowed, true, $"listener {feature}");
            }
        }
    }

    /// <summary>A host written as an address (a proxy on the agent's own loopback included): that address alone. Null for a name.</summary>
    private static IReadOnlyList<IPNetwork2>? ByAddress(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address)
            ? [new IPNetwork2(address, (byte)(address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))]
            : null;

    // Where relays live: private networks (a special-purpose address is refused as a relay), and a public range.
    private static IPAddress RelayAddress(Random random) => Addresses.RandomIn(
        random.GetItems<string>(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "45.0.0.0/8", "fd00::/8", "2600::/12"], 1)[0], random);

    // A proxy: at a relay's address, or on the agent's own loopback (a local forwarder).
    private static string ProxyHost(Random random) =>
        random.Next(4) == 0 ? random.GetItems<string>(["127.0.0.1", "[::1]"], 1)[0] : Bracketed(RelayAddress(random));

    private static string Bracketed(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    // A network to open: a random prefix inside a private, documentation or unique local range.
    private static string Cidr(Random random)
    {
        (string range, int shortest, int longest) = random.GetItems<(string, int, int)>(
            [("10.0.0.0/8", 8, 32), ("172.16.0.0/12", 12, 32), ("192.168.0.0/16", 16, 32), ("192.0.2.0/24", 24, 32), ("fd00::/8", 8, 128), ("2001:db8::/32", 32, 128)], 1)[0];
        IPNetwork2 network = IPNetwork2.Parse($"{Addresses.RandomIn(range, random)}/{random.Next(shortest, longest + 1)}");
        return $"{network.Network}/{network.Cidr}";
    }
}
