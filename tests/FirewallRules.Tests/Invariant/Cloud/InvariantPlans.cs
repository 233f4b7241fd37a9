using System.Globalization;
using System.Text;
using FirewallRules.AgentConfig;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>One drawn rule set: what it was drawn from (sections, or an agent's configuration and the networks opened), and its rules.</summary>
/// <param name="Ingress">Whether the set has rules for what Datadog connects to (webhooks, synthetics): the Kubernetes formats need pods selected for those.</param>
/// <param name="Variant">A draw of each format's own settings (cluster-wide policies, prefix lists), the same for every format.</param>
internal sealed record InvariantCase(int Index, string Description, RuleSet Rules, bool Ingress, int Variant)
{
    public override string ToString() => $"plan {Index} ({Description})";
}

/// <summary>
/// The rule sets the invariant is proved on, drawn from a seed: half of them sections of real ip-ranges documents (some with the
/// ports or the direction overridden), half an agent's configuration (relays given by address on random ports, listeners bound
/// to every interface and opened to networks as <c>--open FEATURE=CIDR</c> opens them, loopback-only listeners).
/// </summary>
internal static class InvariantPlans
{
    private static readonly string[] Documents = ["datadoghq.com-v59.json", "datadoghq.com-v52.json", "datadoghq.com-v30.json"];

    // v30's longer sections would need more AWS groups than its default quota allows: its shorter ones only.
    private static readonly string[] OldSections = ["api", "apm", "process", "synthetics", "webhooks"];

    private static readonly string[] Ports = ["443", "10516", "8000-8100", "8125/udp", "123/udp", "5000-5010/tcp", "1-1024"];

    private static readonly Dictionary<string, IpRangesDocument> Loaded = [];

    public static IEnumerable<InvariantCase> Draw(int seed, int count)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            yield return i % 2 == 0 ? FromSections(random, i) : FromAgent(random, i);
        }
    }

    private static InvariantCase FromSections(Random random, int index)
    {
        string file = Documents[random.Next(Documents.Length)];
        IpRangesDocument document = Document(file);
        string[] available = file.Contains("v30", StringComparison.Ordinal)
            ? OldSections
            : [.. document.SectionList.Where(s => !s.IsEmpty).Select(s => s.Name)];
        string[] sections = [.. available.OrderBy(_ => random.Next()).Take(random.Next(1, 5))];
        var options = new RuleSetOptions
        {
            // The first plan always has a port range beside a single port, so that every draw, the CI size too, probes both ends of a range.
            Ports = index == 0 ? [PortRange.Parse("8000-8100"), PortRange.Parse("443")]
                : random.Next(3) == 0 ? [.. Ports.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).Select(PortRange.Parse)] : null,
            Direction = random.Next(4) == 0 ? (random.Next(2) == 0 ? Direction.Egress : Direction.Ingress) : null,
        };
        RuleSet rules = RuleSet.For(document, sections, options);
        string ports = options.Ports is null ? string.Empty : $" on {string.Join(", ", options.Ports)}";
        string direction = options.Direction is null ? string.Empty : $" {options.Direction}";
        return new InvariantCase(index, $"{file} {string.Join(", ", sections)}{ports}{direction}", rules,
            rules.Rules.Any(r => r.Direction == Direction.Ingress), random.Next());
    }

    private static InvariantCase FromAgent(Random random, int index)
    {
        string yaml = AgentConfig(random);
        AgentPlan plan = AgentConfiguration.Parse(yaml, null, null, "7.81.1");
        var networks = new Dictionary<string, PrefixSet>(StringComparer.OrdinalIgnoreCase);
        foreach (AgentListener listener in plan.Listeners.Where(l => !l.IsLocalOnly && random.Next(4) > 0))
        {
            networks[listener.Feature] = PrefixSet.Parse(string.Join('\n', Enumerable.Range(0, random.Next(1, 3)).Select(_ => Network(random))));
        }

        RuleSet rules = PlanRules.Build(plan, Document(Documents[0]), new AgentRuleOptions { Networks = networks }).Rules!;
        string open = string.Join(" ", networks.Select(n => $"--open {n.Key}={string.Join(',', n.Value)}"));
        return new InvariantCase(index, $"agent {open}\n{yaml}", rules, false, random.Next());
    }

    private static IpRangesDocument Document(string file)
    {
        lock (Loaded)
        {
            return Loaded.TryGetValue(file, out IpRangesDocument? document)
                ? document
                : Loaded[file] = IpRangesDocument.Load(TestData.Path_("ip-ranges", file));
        }
    }

    // An agent's datadog.yaml: its relays by address on random ports, logs over HTTPS or TCP, listeners local or open to all.
    private static string AgentConfig(Random r)
    {
        var yaml = new StringBuilder("api_key: x\nsite: datadoghq.com\n");
        if (r.Next(3) > 0)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"dd_url: https://{Relay(r)}:{RelayPort(r)}\n");
        }

        if (r.Next(2) == 0)
        {
            yaml.Append("logs_enabled: true\nlogs_config:\n").Append(r.Next(2) == 0 ? "  force_use_http: true\n" : "  force_use_tcp: true\n");
            // Quoted: an IPv6 relay ([fd..]:port) would otherwise begin a YAML flow sequence.
            yaml.Append(r.Next(2) == 0 ? $"  logs_dd_url: \"{Relay(r)}:{RelayPort(r)}\"\n" : string.Empty);
        }

        yaml.Append("apm_config:\n").Append(r.Next(2) == 0 ? "  apm_non_local_traffic: true\n" : "")
            .Append(CultureInfo.InvariantCulture, $"  receiver_port: {(r.Next(2) == 0 ? 8126 : r.Next(8100, 8200))}\n")
            .Append(r.Next(2) == 0 ? $"  apm_dd_url: https://{Relay(r)}:{RelayPort(r)}\n" : "");
        yaml.Append(r.Next(2) == 0 ? "dogstatsd_non_local_traffic: true\n" : "")
            .Append(CultureInfo.InvariantCulture, $"dogstatsd_port: {(r.Next(2) == 0 ? 8125 : r.Next(9000, 9100))}\n")
            .Append(r.Next(3) == 0 ? $"health_port: {r.Next(5550, 5560)}\n" : "")
            .Append(r.Next(3) == 0 ? "process_config:\n  process_collection:\n    enabled: true\n" : "");
        if (r.Next(3) == 0)
        {
            yaml.Append("otlp_config:\n  receiver:\n    protocols:\n").Append(r.Next(2) == 0 ? "      grpc:\n        endpoint: 0.0.0.0:4317\n" : "")
                .Append("      http:\n        endpoint: 0.0.0.0:4318\n");
        }

        return yaml.ToString();
    }

    // Where relays live: a private network's address, a ULA, a shared address, a public one.
    private static string Relay(Random r) => r.Next(5) switch
    {
        0 => $"10.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}",
        1 => $"172.{r.Next(16, 32)}.{r.Next(256)}.{r.Next(1, 255)}",
        2 => $"[fd{r.Next(256):x2}::{r.Next(1, 0xffff):x}]",
        3 => $"100.{r.Next(64, 128)}.{r.Next(256)}.{r.Next(1, 255)}",
        _ => $"52.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}",
    };

    private static int RelayPort(Random r) => r.Next(3) switch
    {
        0 => 443,
        1 => r.Next(8000, 9000),
        _ => r.Next(1025, 65535),
    };

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
