using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// Plans of Datadog's published ranges (<c>fwrules generate --section ...</c>, the library's <c>RuleSet.For</c>): a random choice of a
/// document's sections, sometimes with another direction, other ports, one family or deny rules; modelled from the document's own
/// JSON and Datadog's network documentation (<see cref="DatadogTraffic"/>), never from the library's parse.
/// </summary>
internal static class DocumentPlans
{
    /// <summary>The embedded snapshot's bytes, as the library carries them.</summary>
    public static JsonObject Embedded()
    {
        using Stream stream = typeof(RuleSet).Assembly.GetManifestResourceStream("FirewallRules.Ranges.ip-ranges.json")
            ?? throw new InvalidOperationException("the library carries no embedded snapshot");
        return JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>A document read as JSON: the embedded snapshot when <paramref name="path"/> is null.</summary>
    public static JsonObject Read(string? path) => path is null ? Embedded() : JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    /// <summary>A section's prefixes in the document, as IPNetwork2 values.</summary>
    public static IReadOnlyList<IPNetwork2> Networks(JsonObject document, string section) =>
        [.. new[] { "prefixes_ipv4", "prefixes_ipv6" }.SelectMany(key => document[section]?[key]?.AsArray() ?? []).Select(p => IPNetwork2.Parse(p!.GetValue<string>()))];

    /// <summary>
    /// Draws a plan over the document at <paramref name="path"/> (the embedded snapshot when null) that has rules: of some of its sections,
    /// or of every one when <paramref name="every"/> (a drawn document's), whose shapes <paramref name="about"/> says.
    /// </summary>
    public static AdmissionPlan Draw(Random random, string? path, bool every = false, string? about = null)
    {
        JsonObject document = Read(path);
        string[] sections = DatadogTraffic.Sections(document);
        while (true)
        {
            string[] chosen = every ? sections : [.. random.GetItems(sections, random.Next(1, 4)).Distinct().Order(StringComparer.Ordinal)];
            string? direction = random.Next(7) == 0 ? (random.Next(2) == 0 ? "egress" : "ingress") : null;
            (string Protocol, int First, int Last)[]? ports = random.Next(4) == 0 ? DrawPorts(random) : null;
            AddressFamily[] families = random.Next(10) switch
            {
                < 7 => [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6],
                7 or 8 => [AddressFamily.InterNetwork],
                _ => [AddressFamily.InterNetworkV6],
            };
            bool deny = random.Next(7) == 0;
            ModelRule[] rules = [.. chosen.SelectMany(section => Rules(document, section, direction, ports, families, deny))];
            if (rules.Length == 0)
            {
                continue;
            }

            var policy = new UserPolicy(random.NextDouble() < (deny ? 0.2 : 0.8), random.NextDouble() < (deny ? 0.2 : 0.6));
            List<string> arguments = [.. chosen.SelectMany(s => new[] { "--section", s }), .. path is null ? [] : new[] { "--input", path }];
            arguments.AddRange(direction is null ? [] : ["--direction", direction]);
            arguments.AddRange(ports?.SelectMany(p => new[] { "--port", Text(p) }) ?? []);
            arguments.AddRange(deny ? ["--action", "deny"] : []);
            string source = path is null ? "the embedded snapshot"
                : about is null ? Path.GetFileName(path) : $"a drawn document ({about.Replace("\n", "; ", StringComparison.Ordinal)})";
            string family = families.Length == 1 ? $" --family {(families[0] == AddressFamily.InterNetwork ? "ipv4" : "ipv6")}" : string.Empty;
            string title = $"{source}: {string.Join(' ', arguments.Where(a => a != path && a != "--input"))}{family}; {policy}";
            return new AdmissionPlan(title, rules, families, policy, arguments, null);
        }
    }

    // A section's rules: its documented direction and ports unless others are given, its prefixes of the families asked for.
    private static IEnumerable<ModelRule> Rules(
        JsonObject document, string section, string? direction, (string Protocol, int First, int Last)[]? ports, AddressFamily[] families, bool deny)
    {
        IPNetwork2[] networks = [.. Networks(document, section).Where(n => families.Contains(n.AddressFamily))];
        if (networks.Length == 0)
        {
            return [];
        }

        bool egress = direction is null ? DatadogTraffic.Egress(section) : direction == "egress";
        (string Protocol, int First, int Last)[] documented = [.. DatadogTraffic.Ports(section).Select(port => ("tcp", port, port))];
        return (ports ?? documented).Select(p => new ModelRule(egress, !deny, p.Protocol, p.First, p.Last, networks, ClosesPort: false, section));
    }

    // One or two ports that do not overlap: a single port or a range, TCP or UDP.
    private static (string Protocol, int First, int Last)[] DrawPorts(Random random)
    {
        var ports = new List<(string Protocol, int First, int Last)>();
        for (int i = random.Next(1, 3); i > 0; i--)
        {
            int first = random.Next(1, 65000);
            (string Protocol, int First, int Last) port = (random.Next(2) == 0 ? "tcp" : "udp", first, random.Next(3) == 0 ? first + random.Next(1, 200) : first);
            if (!ports.Any(p => p.Protocol == port.Protocol && p.First <= port.Last && port.First <= p.Last))
            {
                ports.Add(port);
            }
        }

        return [.. ports];
    }

    private static string Text((string Protocol, int First, int Last) port) =>
        port.First == port.Last ? $"{port.First}/{port.Protocol}" : $"{port.First}-{port.Last}/{port.Protocol}";
}
