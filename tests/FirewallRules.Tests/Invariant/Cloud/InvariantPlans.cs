using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FirewallRules.Emitters;
using FirewallRules.Rules;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// One drawn plan: what it was drawn from, how it is rendered (the library's rules of a document's sections, or <c>fwrules generate</c>
/// over an agent's configuration), and the oracle's model of it, computed from the same inputs without the engine.
/// </summary>
/// <param name="Model">What the plan admits, by the oracle: a document's prefixes read from its JSON with the documented or given ports and
/// direction (<see cref="DatadogTraffic"/>), an agent's configuration read by <see cref="AgentOracle"/>.</param>
/// <param name="Ingress">Whether the plan has rules for what Datadog connects to (webhooks, synthetics): the Kubernetes formats need pods selected for those.</param>
/// <param name="Variant">A draw of each format's own settings (cluster-wide policies, prefix lists), the same for every format.</param>
/// <param name="Families">The address families the plan is rendered in (<c>--family</c>): one-family plans hold no rule of the other
/// family, which every format must then deny wherever the plan governs.</param>
internal sealed record InvariantCase(int Index, string Description, PlanModel Model, bool Ingress, int Variant, AddressFamilies Families)
{
    /// <summary>A document's sections: rendered in-process by the library's rendering of these rules.</summary>
    public RuleSet? Rules { get; init; }

    /// <summary>An agent's configuration: <c>fwrules generate</c>'s arguments after <c>-f FORMAT</c>.</summary>
    public IReadOnlyList<string>? Generate { get; init; }

    /// <summary>The plan in <paramref name="format"/>, with the case's draw of the format's own settings.</summary>
    public string Render(string format)
    {
        EmitterOptions options = FormatReaders.Options(format, this);
        if (Rules is not null)
        {
            return Rules.Render(EmitterRegistry.Default.Create(format, options));
        }

        string[] flags = options switch
        {
            FirewallRules.Emitters.Kubernetes.KubernetesPolicyOptions { ClusterWide: true } => ["--cluster-wide"],
            FirewallRules.Emitters.Aws.AwsSecurityGroupOptions { UsePrefixLists: true } => ["--prefix-lists"],
            _ => [],
        };
        string[] family = Families == AddressFamilies.Both ? [] : ["--family", Families.ToString().ToLowerInvariant()];
        ProcessResult generated = FwrulesInProcess.RunAsync(null, ["generate", "-q", "-f", format, .. Generate!, .. flags, .. family]).GetAwaiter().GetResult();
        Assert.That(generated.ExitCode, Is.Zero, $"fwrules generate -f {format} refused {this}:\n{generated.Error}");
        return generated.Output;
    }

    public override string ToString() => $"plan {Index} ({Description}{(Families == AddressFamilies.Both ? string.Empty : $", {Families} only")})";
}

/// <summary>
/// The plans the invariant is proved on, drawn from a seed in turn: sections of real ip-ranges documents (some with the ports or the
/// direction overridden), an agent's configuration (<see cref="AgentPlans.Draw"/>: listeners bound to loopback forms or beyond, relays by
/// address, a proxy and no_proxy, networks opened with <c>--open FEATURE=CIDR</c>), and every section of a document drawn to reach the
/// edges (<see cref="EdgeDocuments"/>).
/// </summary>
internal static class InvariantPlans
{
    private static readonly string[] Documents = ["datadoghq.com-v59.json", "datadoghq.com-v52.json", "datadoghq.com-v30.json"];

    // v30's longer sections would need more AWS groups than its default quota allows: its shorter ones only.
    private static readonly string[] OldSections = ["api", "apm", "process", "synthetics", "webhooks"];

    private static readonly string[] Ports = ["443", "10516", "8000-8100", "8125/udp", "123/udp", "5000-5010/tcp", "1-1024"];

    private static readonly Dictionary<string, (IpRangesDocument Document, JsonObject Json)> Loaded = [];

    /// <summary><paramref name="count"/> plans of <paramref name="seed"/>; an agent's configuration is written under <paramref name="directory"/>.</summary>
    public static IEnumerable<InvariantCase> Draw(int seed, int count, string directory)
    {
        var random = new Random(seed);
        var families = new Random(~seed);
        for (int i = 0; i < count; i++)
        {
            AddressFamilies family = Family(families, i);
            yield return (i % 3) switch
            {
                0 => FromSections(random, i, Documents[random.Next(Documents.Length)], family),
                1 => FromAgent(random, i, directory, family),
                _ => FromSections(random, i, null, family),
            };
        }
    }

    // Drawn apart from the plans, so that a seed's plans stay those it drew before: a quarter hold IPv4 only, a quarter IPv6 only. The
    // first agent's plan holds IPv6 only, so that every draw, the CI size too, has listeners closing ports to a family no rule holds.
    private static AddressFamilies Family(Random random, int index) => (index == 1 ? 1 : random.Next(4)) switch
    {
        0 => AddressFamilies.IPv4,
        1 => AddressFamilies.IPv6,
        _ => AddressFamilies.Both,
    };

    // The plan in the families asked for, by the oracle: each rule keeps its prefixes of those families (IPNetwork2's reading), a rule left
    // with none is dropped unless it closes its port (the port stays closed to the family it holds nothing of). Both families when the
    // plan holds nothing of the family drawn.
    private static (PlanModel Model, AddressFamilies Families) InFamilies(PlanModel model, AddressFamilies families)
    {
        PlanModel kept = model.Map(rule =>
        {
            IPNetwork2[] prefixes = [.. rule.Prefixes.Where(p => Holds(families, p))];
            return prefixes.Length > 0 || rule.Closes ? rule with { Prefixes = prefixes } : null;
        });
        return kept.Rules.Any(r => r.Prefixes.Count > 0) ? (kept, families) : (model, AddressFamilies.Both);
    }

    private static bool Holds(AddressFamilies families, IPNetwork2 prefix) =>
        families.HasFlag(prefix.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AddressFamilies.IPv4 : AddressFamilies.IPv6);

    // Sections of a real document, or every section of a drawn one (file null), with the documented ports and direction or others.
    private static InvariantCase FromSections(Random random, int index, string? file, AddressFamilies families)
    {
        (string json, string shapes) = file is null ? EdgeDocuments.Draw(random, 7000 + index) : (string.Empty, string.Empty);
        (IpRangesDocument document, JsonObject root) = file is null
            ? (IpRangesDocument.Parse(System.Text.Encoding.UTF8.GetBytes(json)), JsonNode.Parse(json)!.AsObject())
            : Document(file);
        string[] sections = file is null ? [.. EdgeDocuments.Sections]
            : [.. (file.Contains("v30", StringComparison.Ordinal) ? OldSections : DatadogTraffic.Sections(root)).OrderBy(_ => random.Next()).Take(random.Next(1, 5))];
        // The first plan always has a port range beside a single port, so that every draw, the CI size too, probes both ends of a range.
        string[]? ports = index == 0 ? ["8000-8100", "443"] : random.Next(3) == 0 ? [.. Ports.OrderBy(_ => random.Next()).Take(random.Next(1, 3))] : null;
        Direction? direction = random.Next(4) == 0 ? (random.Next(2) == 0 ? Direction.Egress : Direction.Ingress) : null;
        RuleSet rules = RuleSet.For(document, sections, new RuleSetOptions { Ports = ports?.Select(PortRange.Parse).ToArray(), Direction = direction });
        (PlanModel model, AddressFamilies held) = InFamilies(PlanModel.Of([.. sections.SelectMany(section => Model(root, section, ports, direction))]), families);
        string about = file ?? $"a drawn document: {shapes.Replace("\n", "; ", StringComparison.Ordinal)}";
        string on = ports is null ? string.Empty : $" on {string.Join(", ", ports)}";
        return new InvariantCase(index, $"{about} {string.Join(", ", sections)}{on}{(direction is null ? string.Empty : $" {direction}")}", model,
            model.Governs(Direction.Ingress), random.Next(), held) { Rules = rules };
    }

    // A section's rules as Datadog documents them (or on the ports and in the direction given): its prefixes as its JSON writes them.
    private static IEnumerable<ModelRule> Model(JsonObject document, string section, string[]? ports, Direction? direction)
    {
        Direction way = direction ?? (DatadogTraffic.Egress(section) ? Direction.Egress : Direction.Ingress);
        IPNetwork2[] prefixes = [.. DatadogTraffic.Prefixes(document, section).Select(Net.Parse)];
        IEnumerable<(TransportProtocol Protocol, int First, int Last)> on = ports?.Select(PortText)
            ?? DatadogTraffic.Ports(section).Select(port => (TransportProtocol.Tcp, port, port));
        return on.Select(p => new ModelRule(way, true, p.Protocol, p.First, p.Last, prefixes, false));
    }

    // "443", "8000-8100", "8125/udp", "5000-5010/tcp": a port or range, TCP unless it says UDP.
    private static (TransportProtocol Protocol, int First, int Last) PortText(string text)
    {
        string[] parts = text.Split('/');
        string[] bounds = parts[0].Split('-');
        TransportProtocol protocol = parts.Length > 1 && parts[1] == "udp" ? TransportProtocol.Udp : TransportProtocol.Tcp;
        return (protocol, int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[^1], CultureInfo.InvariantCulture));
    }

    // An agent's configuration over v59, rendered by fwrules generate; the model is the oracle's reading of the configuration.
    private static InvariantCase FromAgent(Random random, int index, string directory, AddressFamilies families)
    {
        string path = TestData.Path_("ip-ranges", Documents[0]);
        JsonObject document = Document(Documents[0]).Json;
        DrawnAgent agent = AgentPlans.Draw(random, document, loopback: random.Next(2) == 0);
        string config = Path.Combine(directory, $"datadog-{index}-{random.Next():x8}.yaml");
        File.WriteAllText(config, agent.Yaml());
        ProcessResult planned = FwrulesInProcess.RunAsync(null, "plan", "-q", "--json", "--agent-config", config).GetAwaiter().GetResult();
        Assert.That(planned.ExitCode, Is.Zero, $"fwrules plan refused:\n{agent.Yaml()}{planned.Error}");
        JsonObject plan = JsonNode.Parse(planned.Output)!.AsObject();
        (string Feature, string Cidr)[] opens = [.. plan["listeners"]!.AsArray().Select(l => l!["feature"]!.GetValue<string>()).Append("ntp")
            .Where(f => random.Next(3) == 0).SelectMany(f => Enumerable.Range(0, random.Next(1, 3)).Select(_ => (f, Network(random))))];
        (PlanModel model, AddressFamilies held) = InFamilies(PlanModel.Of([.. AgentOracle.Rules(agent, plan, document, opens).Select(ToModel)]), families);
        string open = string.Join(" ", opens.Select(o => $"--open {o.Feature}={o.Cidr}"));
        string[] generate = ["--agent-config", config, "--input", path, .. opens.SelectMany(o => new[] { "--open", $"{o.Feature}={o.Cidr}" })];
        return new InvariantCase(index, $"agent {open}\n{agent.Yaml()}", model, false, random.Next(), held) { Generate = generate };
    }

    private static ModelRule ToModel(OracleRule rule) => new(rule.Egress ? Direction.Egress : Direction.Ingress, true,
        rule.Protocol == "udp" ? TransportProtocol.Udp : TransportProtocol.Tcp, rule.Port, rule.Port, [.. rule.Addresses.Blocks().Select(Net.Parse)], rule.ClosesPort);

    private static (IpRangesDocument Document, JsonObject Json) Document(string file)
    {
        lock (Loaded)
        {
            string path = TestData.Path_("ip-ranges", file);
            return Loaded.TryGetValue(file, out var loaded)
                ? loaded
                : Loaded[file] = (IpRangesDocument.Load(path), JsonNode.Parse(File.ReadAllText(path))!.AsObject());
        }
    }

    // A network a listener is opened to: private, shared, a ULA, or one host.
    private static string Network(Random r) => r.Next(5) switch
    {
        0 => $"10.{r.Next(256)}.0.0/16",
        1 => $"192.168.{r.Next(256)}.0/24",
        2 => $"fd{r.Next(256):x2}:{r.Next(0x10000):x}::/48",
        3 => "100.64.0.0/10",
        _ => $"172.{r.Next(16, 32)}.{r.Next(256)}.{r.Next(1, 255)}/32",
    };
}
