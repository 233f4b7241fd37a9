using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>The network page's host and port lists (data/agent/network-page.tsv) held against the map: each reaches a plan.</summary>
[TestFixture]
public class NetworkPageTests
{
    private static IEnumerable<(string Kind, string Value)> Page() => File.ReadLines(TestData.Path_("agent", "network-page.tsv"))
        .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).Select(f => (f[0], f[1]));

    // Everything on, for Kubernetes, the newest agent: what the page lists should all be in its plan or its notes.
    private static AgentPlan Everything(Site site, string? helm = null) => AgentConfiguration.Parse(
        FeatureMapTests.EveryFeature + $"\nsite: {site.Domain}\nlogs_config:\n  force_use_tcp: true\n", null, helm, TestAgent.Version);

    private static string Said(AgentPlan plan) => string.Join('\n', plan.Destinations.Select(d => $"{d.HostName} {d.Port}")
        .Concat(plan.Listeners.Select(l => $"listens {l.Port}")).Concat(plan.Notes.Texts()));

    [TestCaseSource(typeof(Site), nameof(Site.All))]
    public void EveryHostOfThePage_ReachesThePlan(Site site)
    {
        if (site.IsCustom)
        {
            return;
        }

        AgentPlan plan = Everything(site);
        AgentPlan https = AgentConfiguration.Parse($"site: {site.Domain}\nlogs_enabled: true\n", null, null, TestAgent.Version);
        string said = Said(plan) + "\n" + Said(https) + "\n" + Said(Everything(site, "clusterAgent:\n  enabled: true\n"));
        string version = TestAgent.InHostNames;
        string[] missing = [.. Page().Where(p => p.Kind is "host" or "install")
            .Select(p => p.Value.Replace("<domain>", site.Domain, StringComparison.Ordinal).Replace("<VERSION>", version, StringComparison.Ordinal))
            .Where(host => !said.Contains(host, StringComparison.Ordinal))
            .Where(host => !(host.StartsWith("config.", StringComparison.Ordinal) && site == Site.US1Fed))];

        Assert.That(missing, Is.Empty, $"hosts of the network page that no plan for {site.Name} names");
    }

    [Test]
    public void EveryOutboundPortOfThePage_ReachesThePlan()
    {
        AgentPlan plan = Everything(Site.US1, "clusterAgent:\n  metricsProvider:\n    enabled: true\n");
        string said = Said(plan) + "\n" + Said(Everything(Site.US1));
        string[] missing = [.. Page().Where(p => p.Kind == "port").Select(p => p.Value).Where(port => !said.Contains(port, StringComparison.Ordinal))];

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void EveryInboundPortOfThePage_IsAListenerTheToolKnows()
    {
        // The process agent's ports (6062, 6162) are open where it runs: from 7.64 on Linux, for Network Performance Monitoring.
        AgentPlan plan = AgentConfiguration.Parse("GUI_port: 5002\nnetwork_config:\n  enabled: true\n");
        string[] listened = [.. plan.Listeners.Select(l => l.Port.ToString())];

        Assert.That(Page().Where(p => p.Kind == "inbound").Select(p => p.Value), Is.SubsetOf(listened));
    }
}
