using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// One destination per host, port and protocol (<see cref="DestinationMerge"/>): features that reach the same place are one
/// destination naming each, in the plan, its counts, the allow-lists and what they leave out.
/// </summary>
[TestFixture]
public class SharedDestinationTests
{
    // Dual shipping with APM and agent telemetry, metrics and flares to a relay behind a proxy that no_proxy bypasses.
    internal const string Dual = "api_key: 0123456789abcdef0123456789abcdef\ndd_url: https://relay.internal:8443\n" +
        "additional_endpoints:\n  \"https://app.datadoghq.eu\": [k2]\napm_config:\n  enabled: true\n  additional_endpoints:\n" +
        "    \"https://trace.agent.datadoghq.eu\": [k3]\nagent_telemetry:\n  enabled: true\n" +
        "proxy:\n  https: http://proxy.corp.example:3128\n  no_proxy:\n  - relay.internal:8443\n";

    [Test]
    public void Plan_TelemetryOfApmAndOfTheAgentOnOneHost_IsOneDestinationNamingBoth()
    {
        AgentDestination[] telemetry = [.. Plan(Dual).Destinations.Where(d => d.HostName == "instrumentation-telemetry-intake.datadoghq.com")];

        Assert.That(telemetry.Select(d => (d.Feature, d.Port.ToString())), Is.EqualTo(new[] { ("apm-telemetry+agent-telemetry", "443/tcp") }));
        Assert.That(telemetry[0].Purpose, Does.Contain("apm_config.telemetry.enabled").And.Contain("agent_telemetry.enabled"));
    }

    [Test]
    public void Plan_EveryDestination_IsOnePerHostPortAndProtocol()
    {
        AgentPlan plan = Plan(Dual);

        Assert.That(plan.Destinations.GroupBy(d => (d.HostName, d.Port)).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty);
        Assert.That(plan.Destinations.Single(d => d.HostName == "relay.internal").Feature, Is.EqualTo("metrics+flare"));
    }

    [Test]
    public void Squid_RelayOfMetricsAndFlaresPastTheProxy_IsOneNotAllowedLine()
    {
        string text = PlanRules.ByName(Plan(Dual)).Render(EmitterRegistry.Default.Create("squid"));

        Assert.That(text.Split('\n').Where(l => l.StartsWith("# not allowed: relay.internal", StringComparison.Ordinal)).ToArray(),
            Has.Length.EqualTo(1).And.All.Contains("relay.internal 8443/tcp (metrics+flare)"));
    }

    [Test]
    public void Domains_TelemetryHost_IsListedOnceWithBothFeatures()
    {
        string text = PlanRules.ByName(Plan(Dual)).Render(EmitterRegistry.Default.Create("domains"));

        Assert.That(text.Split('\n').Where(l => l.StartsWith("instrumentation-telemetry-intake.", StringComparison.Ordinal)).ToArray(),
            Is.EqualTo(new[] { "instrumentation-telemetry-intake.datadoghq.com 443/tcp apm-telemetry+agent-telemetry" }));
    }

    [Test]
    public void Build_ProxyOpenedByNetwork_NamesItOnceInTheSources()
    {
        AgentPlan plan = Plan("proxy:\n  https: http://proxy.corp.example:3128\n  http: http://proxy.corp.example:3128\n");
        var options = new AgentRuleOptions { Networks = new Dictionary<string, PrefixSet> { ["proxy"] = PrefixSet.Parse("10.9.9.9/32") } };

        RuleSet rules = PlanRules.Build(plan, null, options).Rules!;

        Assert.That(rules.Provenance.Sections, Does.Contain("agent:proxy").And.Not.Contain("proxy"));
    }

    // dd_url naming the proxy itself: what goes through the proxy to its own host and port ends at the proxy, which the
    // host must reach directly. The merged destination is the proxy's, so the plan has one (it crashed printing it before).
    private const string RelayIsTheProxy = "api_key: a\ndd_url: \"https://relay.example.com\"\nproxy:\n  https: \"https://relay.example.com\"\n";

    [Test]
    public void Plan_DdUrlNamingTheProxyItself_IsTheProxyServingMetricsAndFlares()
    {
        AgentPlan plan = Plan(RelayIsTheProxy);

        AgentDestination relay = plan.Destinations.Single(d => d.HostName == "relay.example.com");
        Assert.That((relay.Feature, relay.Coverage, relay.Port.ToString()), Is.EqualTo(("metrics+flare+proxy", DestinationCoverage.Proxy, "443/tcp")));
        Assert.That(plan.Proxy, Is.SameAs(relay));
    }

    [Test]
    public async Task PlanAndGenerate_DdUrlNamingTheProxyItself_PrintThePlanAndAskForTheProxysAddresses()
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", RelayIsTheProxy);

        ProcessResult plan = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", config);
        ProcessResult generate = await FwrulesInProcess.RunAsync(null, "generate", "-f", "iptables", "--agent-config", config);

        Assert.That(plan.ExitCode, Is.Zero, plan.Error);
        Assert.That(plan.Output, Does.Contain("the proxy relay.example.com:443").And.Contain("the proxy itself: allow it"));
        Assert.That(generate.ExitCode, Is.EqualTo(2), generate.Error);
        Assert.That(generate.Error, Does.StartWith("fwrules: the agent sends its traffic through the proxy relay.example.com:443, a host name iptables cannot hold"));
    }
}
