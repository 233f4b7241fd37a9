using System.Text.RegularExpressions;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Ports;

[TestFixture]
public partial class PortCatalogTests
{
    // Seed 000 is prose: every port it names, pinned here by (agent, port, role).
    [TestCase(AgentKind.DatadogAgent, "443/tcp", PortRole.Outbound)]
    [TestCase(AgentKind.DatadogAgent, "123/udp", PortRole.Outbound)]
    [TestCase(AgentKind.DatadogAgent, "10516/tcp", PortRole.Outbound)]
    [TestCase(AgentKind.DatadogAgent, "10255/tcp", PortRole.Outbound)]
    [TestCase(AgentKind.DatadogAgent, "10250/tcp", PortRole.Outbound)]
    [TestCase(AgentKind.DatadogAgent, "5000/tcp", PortRole.LocalListener)]
    [TestCase(AgentKind.DatadogAgent, "5001/tcp", PortRole.LocalListener)]
    [TestCase(AgentKind.DatadogAgent, "5002/tcp", PortRole.LocalListener)]
    [TestCase(AgentKind.DatadogAgent, "8125/udp", PortRole.LocalListener)]
    [TestCase(AgentKind.DatadogAgent, "8126/tcp", PortRole.LocalListener)]
    [TestCase(AgentKind.DatadogAgentV5, "443/tcp", PortRole.Outbound)]
    [TestCase(AgentKind.DatadogAgentV5, "123/udp", PortRole.Outbound)]
    [TestCase(AgentKind.DatadogAgentV5, "8125/udp", PortRole.LocalListener)]
    [TestCase(AgentKind.DatadogAgentV5, "8126/tcp", PortRole.LocalListener)]
    [TestCase(AgentKind.DatadogAgentV5, "17123/tcp", PortRole.LocalListener)]
    [TestCase(AgentKind.DatadogAgentV5, "17124/tcp", PortRole.LocalListener)]
    public void For_DatadogAgent_HasEveryPortOfTheNetworkGuide(AgentKind agent, string port, PortRole role)
    {
        Assert.That(PortCatalog.For(agent).Where(p => p.Port == PortRange.Parse(port)).Select(p => p.Role), Is.EqualTo(new[] { role }));
        Assert.That(File.ReadAllText(TestData.Path_("seeds", "datadog-agent-network-traffic.md")), Does.Contain($"`{port}`"), "the guide names it");
    }

    [Test]
    public void For_DatadogAgent_HasNoPortTheGuideDoesNotName()
    {
        Assert.That(PortCatalog.For(AgentKind.DatadogAgent).Count + PortCatalog.For(AgentKind.DatadogAgentV5).Count, Is.EqualTo(16));
    }

    [Test]
    public void For_Datakit_MatchesEveryRowOfItsPortTable()
    {
        // Rows look like: | 4040 | HTTP | Pyroscope Profile | `/ingest` |
        var rows = File.ReadAllLines(TestData.Path_("seeds", "datakit-ports.md"))
            .Select(line => TableRow().Match(line))
            .Where(m => m.Success)
            .Select(m => (
                Port: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Protocol: m.Groups[2].Value.Trim(),
                Feature: m.Groups[3].Value.Trim(), Route: m.Groups[4].Value.Trim()))
            .ToArray();
        IReadOnlyList<AgentPort> catalog = PortCatalog.For(AgentKind.Datakit);

        Assert.That(rows, Has.Length.EqualTo(15), "the seed table has 15 rows");
        Assert.That(catalog, Has.Count.EqualTo(rows.Length));
        foreach (var row in rows)
        {
            TransportProtocol transport = row.Protocol == "UDP" ? TransportProtocol.Udp : TransportProtocol.Tcp;
            AgentPort entry = catalog.Single(p => p.Port == new PortRange(transport, row.Port));
            Assert.That(entry.Description, Is.EqualTo(row.Feature), $"{row.Port}/{row.Protocol}");
            Assert.That(entry.Application, Is.EqualTo(row.Protocol is "TCP" or "UDP" ? null : row.Protocol));
            Assert.That(
                entry.DefaultRoute ?? "N/A",
                Is.EqualTo(row.Route is "" ? "N/A" : row.Route.Replace("`", string.Empty, StringComparison.Ordinal).Replace(",", ", ", StringComparison.Ordinal)));
            Assert.That(entry.Role, Is.EqualTo(PortRole.LocalListener));
        }
    }

    [Test]
    public void LocalListenerRules_Default_AllowsEveryListenerFromLoopbackOnly()
    {
        RuleSet rules = LocalListenerRules.For(AgentKind.DatadogAgent);

        Assert.That(rules.Rules.Select(r => r.Port.ToString()), Is.EqualTo(new[] { "5000/tcp", "5001/tcp", "5002/tcp", "8126/tcp", "8125/udp" }));
        Assert.That(rules.Rules.Select(r => r.Prefixes.ToString()), Has.All.EqualTo("127.0.0.1/32\n::1/128\n"));
        Assert.That(rules.Rules.All(r => r.Direction == Direction.Ingress), Is.True);
        Assert.That(rules.Rules.All(r => r.ClosesPort), Is.True, "other sources must be dropped, not left to the policy");
        Assert.That(rules.Provenance.Describe(), Does.Contain("Sources: datadog:expvar, datadog:ipc, datadog:gui, datadog:dogstatsd, datadog:apm."));
    }

    [Test]
    public void LocalListenerRules_DatakitStatsdAndOpenTelemetry_SelectsOnlyThose()
    {
        RuleSet rules = LocalListenerRules.For(AgentKind.Datakit, new LocalListenerOptions { Features = ["statsd", "opentelemetry"] });

        Assert.That(rules.Rules.Select(r => $"{r.Port} {string.Join(",", r.Sources)}"), Is.EqualTo(new[] { "4317/tcp datakit:opentelemetry", "8125/udp datakit:statsd" }));
    }

    [Test]
    public void LocalListenerRules_OpenDogStatsD_AddsTheNetworkToThatFeatureOnly()
    {
        var options = new LocalListenerOptions { OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8") } };

        RuleSet rules = LocalListenerRules.For(AgentKind.DatadogAgent, options);

        Assert.That(rules.Rules.Single(r => r.Port.Protocol == TransportProtocol.Udp).Prefixes.ToString(), Is.EqualTo("10.0.0.0/8\n127.0.0.1/32\n::1/128\n"));
        Assert.That(rules.Rules.Where(r => r.Port.Protocol == TransportProtocol.Tcp).Select(r => r.Prefixes), Has.All.EqualTo(LocalListenerRules.Loopback));
    }

    [Test]
    public void LocalListenerRules_UnknownFeature_ListsTheRealOnes()
    {
        Assert.That(() => LocalListenerRules.For(AgentKind.Datakit, new LocalListenerOptions { Features = ["statsd", "kafka"] }),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("'kafka' is not a local listener of datakit: use one of netflow9"));
    }

    [Test]
    public void LocalListenerRules_OpenAFeatureThatIsNotSelected_IsRefused()
    {
        var options = new LocalListenerOptions { Features = ["apm"], OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8") } };

        Assert.That(() => LocalListenerRules.For(AgentKind.DatadogAgent, options), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("'dogstatsd' is opened to other networks but not selected"));
    }

    [GeneratedRegex(@"^\|\s*(\d+)\s*\|\s*([A-Za-z]+)\s*\|([^|]+)\|([^|]*)\|\s*$")]
    private static partial Regex TableRow();
}
