using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// The name-aware formats <c>squid</c> and <c>domains</c> from plain sections and a site, pinned by golden files, and
/// Squid for real: Debian's squid in a network namespace with the generated include, an "intake" answering on an ordinary
/// address (SquidInNamespace.IntakeAddress) under Datadog's names (squid's hosts_file), and curl's CONNECT through it reaching
/// every allowed name on its port and refused (403) for any other name or port.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class AllowListFormatsTests
{
    public static IEnumerable<TestCaseData> GoldenCases() =>
        from format in new[] { "squid", "domains" }
        from name in new[] { "v52-logs", "v40-api-apm-webhooks" }
        select new TestCaseData(format, name);

    [TestCaseSource(nameof(GoldenCases))]
    public void Render_RealDocument_MatchesGoldenFile(string format, string name)
    {
        string text = GoldenRules(name).Render(EmitterRegistry.Default.Create(format));

        GoldenFile.AssertMatches(text, format, name + (format == "squid" ? ".conf" : ".txt"));
    }

    [Test]
    public void Domains_ListEachSectionsDocumentedNames_OnTheirPorts_AndSayWhatIsLeftOut()
    {
        string text = GoldenRules("v40-api-apm-webhooks").Render(EmitterRegistry.Default.Create("domains"));

        Assert.That(text.Split('\n'), Does.Contain("trace.agent.datadoghq.com 443/tcp apm").And.Contain("api.datadoghq.com 443/tcp api"));
        Assert.That(text, Does.Contain("# not listed: ").And.Contain("webhooks"));
    }

    [Test]
    public void Squid_FromAnUnnamedSite_IsRefused()
    {
        var rule = new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["apm"]);

        Assert.Throws<RuleGenerationException>(() => RuleSet
            .Create([rule], new RuleSetProvenance(null, 1, "2020-01-01-00-00-00", ["apm"], IsEmbeddedSnapshot: false))
            .Render(EmitterRegistry.Default.Create("squid")));
    }

    [Test]
    public void Squid_FromSectionsAndSite_ConnectReachesOnlyTheAllowedNamesAndPorts()
    {
        string include = RuleSet.For(Document(), Section.Agents, Section.Apm, Section.Logs, Section.Process).Render(EmitterRegistry.Default.Create("squid"));

        Dictionary<string, string> connects = SquidConnect(include, [
            "7-81-1-app.agent.datadoghq.com:443", "trace.agent.datadoghq.com:443", "intake.profile.datadoghq.com:443",
            "agent-http-intake.logs.datadoghq.com:443", "process.datadoghq.com:443",
            "api.datadoghq.com:443", "evil.example.com:443", "trace.agent.datadoghq.com:8443", "agent-intake.logs.datadoghq.com:10516"]);

        Assert.That(connects.Where(c => c.Value == "200").Select(c => c.Key), Is.EquivalentTo(new[]
        {
            "7-81-1-app.agent.datadoghq.com:443", "trace.agent.datadoghq.com:443", "intake.profile.datadoghq.com:443",
            "agent-http-intake.logs.datadoghq.com:443", "process.datadoghq.com:443",
        }));
        Assert.That(connects.Where(c => c.Value != "200").Select(c => c.Value), Has.All.EqualTo("403"), "refused by the proxy, not failed");
    }

    [Test]
    public void Squid_FromAnAgentsPlan_ConnectReachesItsHostsOnTheirPorts_AndNotItsRawTcpLogs()
    {
        AgentPlan plan = AgentConfiguration.Parse(
            "dd_url: https://relay.internal:8443\nlogs_enabled: true\nlogs_config:\n  force_use_tcp: true\nproxy:\n  https: http://127.0.0.1:3128\n",
            null, null, TestAgent.Version);

        Dictionary<string, string> connects = SquidConnect(PlanRules.ByName(plan).Render(EmitterRegistry.Default.Create("squid")), [
            "relay.internal:8443", "trace.agent.datadoghq.com:443", "instrumentation-telemetry-intake.datadoghq.com:443",
            "relay.internal:443", "agent-intake.logs.datadoghq.com:10516", "evil.example.com:443"]);

        Assert.That(connects["relay.internal:8443"], Is.EqualTo("200"));
        Assert.That(connects["trace.agent.datadoghq.com:443"], Is.EqualTo("200"));
        Assert.That(connects["instrumentation-telemetry-intake.datadoghq.com:443"], Is.EqualTo("200"), "a host allowed by name only");
        Assert.That(connects["relay.internal:443"], Is.EqualTo("403"), "the relay on its own port only");
        Assert.That(connects["agent-intake.logs.datadoghq.com:10516"], Is.EqualTo("403"), "logs over TCP never go through the HTTP proxy");
        Assert.That(connects["evil.example.com:443"], Is.EqualTo("403"));
    }

    private static IpRangesDocument Document() => IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), Site.US1);

    private static RuleSet GoldenRules(string name) => name == "v52-logs"
        ? RuleSet.For(Document(), Section.Logs)
        : RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v40.json"), Site.US1), Section.Api, Section.Apm, Section.Webhooks);

    /// <summary>Runs squid with <paramref name="include"/> in a fresh namespace and returns curl's CONNECT status for each HOST:PORT.</summary>
    private static Dictionary<string, string> SquidConnect(string include, string[] targets)
    {
        LinuxTools.Require("ip", "ss", "squid", "curl");
        using var ns = NetworkNamespace.Create();
        using var squid = SquidInNamespace.Start(ns, include, [.. targets.Select(t => t[..t.LastIndexOf(':')]).Distinct()]);
        using var intake = new IntakeListeners(
            ns, [.. targets.Select(t => int.Parse(t[(t.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Distinct()]);
        return targets.ToDictionary(t => t, t => ns.Exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_connect}", "--proxytunnel", "-x", "http://127.0.0.1:3128",
            "--max-time", "30", $"https://{t}/").Output.Trim());
    }
}
