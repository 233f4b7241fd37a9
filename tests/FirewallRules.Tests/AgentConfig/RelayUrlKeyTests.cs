using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The URL keys Datadog's proxy guide (HAProxy) sets beside dd_url: <c>apm_config.telemetry.dd_url</c> and
/// <c>remote_configuration.rc_dd_url</c> (with <c>remote_configuration.no_tls</c>) move their feature to the relay, port kept.
/// </summary>
[TestFixture]
public class RelayUrlKeyTests
{
    private static string[] Rows(AgentPlan plan) =>
        [.. plan.Destinations.Select(d => $"{d.Feature} {d.HostName} {d.Port} {d.Scheme}")];

    [Test]
    public void RemoteConfigurationUrl_HostPortWithNoTls_ReplacesBothConfigRows()
    {
        AgentPlan plan = AgentConfiguration.Parse("remote_configuration:\n  rc_dd_url: haproxy.example.com:3846\n  no_tls: true\n", null, null, TestAgent.Version);

        Assert.That(Rows(plan), Has.One.EqualTo("remote-configuration haproxy.example.com 3846/tcp http"));
        Assert.That(plan.Destinations.Select(d => d.HostName), Has.None.StartsWith("config."), "neither 443 nor 8042 on config.<site>");
    }

    [Test]
    public void RemoteConfigurationUrl_HttpsUrl_KeepsItsPortOverTls()
    {
        AgentPlan plan = AgentConfiguration.Parse("remote_configuration:\n  rc_dd_url: https://rc-relay.internal:9443\n", null, null, TestAgent.Version);

        Assert.That(Rows(plan), Has.One.EqualTo("remote-configuration rc-relay.internal 9443/tcp https"));
    }

    [Test]
    public void RemoteConfigurationUrl_HttpsUrlWithNoTls_StaysTls()
    {
        AgentPlan plan = AgentConfiguration.Parse("remote_configuration:\n  rc_dd_url: https://rc.internal:2443\n  no_tls: true\n", null, null, TestAgent.Version);

        Assert.That(Rows(plan), Has.One.EqualTo("remote-configuration rc.internal 2443/tcp https"), "no_tls lifts the https-only check; the URL's scheme decides");
    }

    [TestCase("http://rc.internal:3846")]
    [TestCase("rc.internal:3846")]
    public void RemoteConfigurationUrl_NotHttpsWithoutNoTls_IsNotPlannedAndSaysWhy(string url)
    {
        AgentPlan plan = AgentConfiguration.Parse($"remote_configuration:\n  rc_dd_url: {url}\n", null, null, TestAgent.Version);

        Assert.That(plan.Destinations.Select(d => d.Feature), Has.None.EqualTo("remote-configuration"), "the agent refuses the URL and starts no RC client");
        Assert.That(plan.Notes.Texts(), Has.One.Contains("remote_configuration.rc_dd_url is not an https:// URL").And.Contains("no_tls"));
    }

    [Test]
    public void RemoteConfigurationUrl_PlainHttpWithNoTls_IsPlannedOverHttp()
    {
        AgentPlan plan = AgentConfiguration.Parse("remote_configuration:\n  rc_dd_url: http://rc.internal:3846\n  no_tls: true\n", null, null, TestAgent.Version);

        Assert.That(Rows(plan), Has.One.EqualTo("remote-configuration rc.internal 3846/tcp http"));
        Assert.That(plan.Notes.Texts(), Has.None.Contains("is not an https:// URL"));
    }

    [TestCase(null, "7", TestAgent.Version)]
    [TestCase(null, "7-jmx", TestAgent.Version)]
    [TestCase(null, "latest", TestAgent.Version)]
    [TestCase(null, "6", "6.55.1")]
    [TestCase(null, "6-jmx", "6.55.1")]
    [TestCase("6", null, "6.55.1")]
    [TestCase("7.64", null, "7.64.0")]
    [TestCase("7", null, TestAgent.Version)]
    public void FloatingOrPartialVersion_PlansAnyVersionsHosts_AndSaysSo(string? agentVersion, string? imageTag, string planned)
    {
        string? helm = imageTag is null ? null : $"agents:\n  image:\n    tag: \"{imageTag}\"\n";
        AgentPlan plan = AgentConfiguration.Parse(helm is null ? "api_key: x\n" : null, null, helm, agentVersion);

        Assert.That(plan.AgentVersion, Is.EqualTo(planned));
        Assert.That(plan.Notes.Texts(), Has.One.Contains("exact version is not given"), "a floating tag runs the newest release, whatever its number");
        string which = planned switch { "6.55.1" => "the last Agent 6", TestAgent.Version => "the newest this tool knows", _ => "the release the version names" };
        Assert.That(plan.Notes.Texts(), Has.One.Contains($"the plan follows Agent {planned}, {which},"), "7.64 is not the newest agent");
    }

    // The chart reads a tag of 6 as 6.55.1 (get-agent-version), which sends logs over HTTPS, as Agent 6 does from 6.19.
    [Test]
    public void HelmTagSix_LogsGoOverHttps()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, "datadog:\n  logs:\n    enabled: true\nagents:\n  image:\n    tag: \"6\"\n", null);

        Assert.That(plan.Destinations.Where(d => d.Feature == "logs").Select(d => $"{d.HostName} {d.Port}"),
            Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.com 443/tcp" }));
    }

    // A relay given by its address is a rule by that address in the address formats: the plan says so, not "allow it by name".
    [Test]
    public void RelayByAddress_SaysItIsAllowedByItsAddress()
    {
        AgentPlan plan = AgentConfiguration.Parse("apm_config:\n  apm_dd_url: https://10.0.0.7:8443\n", null, null, TestAgent.Version);

        Assert.That(plan.Destinations.Single(d => d.HostName == "10.0.0.7").AllowBy, Does.StartWith("allowed by its address").And.Not.Contains("by name"));
    }

    [Test]
    public void TelemetryUrl_MovesTracerTelemetry_AgentTelemetryStaysOnTheIntake()
    {
        AgentPlan plan = AgentConfiguration.Parse("apm_config:\n  telemetry:\n    dd_url: http://haproxy.example.com:3843\n", null, null, TestAgent.Version);

        Assert.That(Rows(plan), Has.One.EqualTo("apm-telemetry haproxy.example.com 3843/tcp http"));
        Assert.That(Rows(plan), Has.One.EqualTo("agent-telemetry instrumentation-telemetry-intake.datadoghq.com 443/tcp https"));
    }

    [Test]
    public void NoVersion_PlansTheNewestAgentAndSaysSo()
    {
        AgentPlan plan = AgentConfiguration.Parse("api_key: x\n");

        Assert.That(plan.AgentVersion, Is.EqualTo(FirewallRules.Verification.AgentEndpoints.DefaultAgentVersion));
        Assert.That(plan.Notes.Texts(), Has.One.Contains("version is not given").And.Contains("*-app.agent.datadoghq.com"));
        Assert.That(AgentConfiguration.Parse("api_key: x\n", null, null, TestAgent.Version).Notes.Texts(), Has.None.Contains("version is not given"));
    }

    [TestCase("https://7-81-1-relay.corp.example", null)]
    [TestCase("https://7-81-1-app.agent.", null)]
    [TestCase("https://7-81-1-app.agent.datadoghq.eu.evil", null)]
    [TestCase("https://7-81-1-app.agent.datadoghq.eu", "*-app.agent.datadoghq.eu")]
    [TestCase("https://app.datadoghq.eu", "*-app.agent.datadoghq.eu")]
    public void NoVersion_OnlyADatadogSitesVersionedHost_StandsForEveryVersion(string url, string? anyVersion)
    {
        AgentPlan plan = AgentConfiguration.Parse($"dd_url: {url}\n");

        Assert.That(plan.Destinations.Single(d => d.Feature.StartsWith("metrics", StringComparison.Ordinal)).AnyVersionName, Is.EqualTo(anyVersion));
    }

    [TestCase("https://intake.synthetics.datadoghq.com")]
    [TestCase("https://intake.synthetics.datadoghq.eu")]
    public void SyntheticsIntakeAsARelay_IsNoPublishedSection(string url)
    {
        // The Synthetics worker's intake is in the synthetics-private-locations section, which no agent sends to: a dd_url naming it
        // is a relay, used as written, and opens no section.
        AgentPlan plan = AgentConfiguration.Parse($"dd_url: {url}\n", null, null, TestAgent.Version);

        Assert.That(plan.Destinations.Single(d => d.Feature.StartsWith("metrics", StringComparison.Ordinal)).Coverage, Is.EqualTo(DestinationCoverage.NotPublished));
        Assert.That(plan.Sections, Does.Not.Contain(Section.SyntheticsPrivateLocations));
    }

    [Test]
    public void OrchestratorUrl_InKubernetes_MovesTheOrchestratorExplorerToTheRelay_PortKept()
    {
        AgentPlan plan = AgentConfiguration.Parse("orchestrator_explorer:\n  orchestrator_dd_url: https://orch.relay.internal:9443\n", null,
            "datadog:\n  site: datadoghq.com\n", TestAgent.Version);

        Assert.That(plan.Destinations.Where(d => d.Feature == "orchestrator").Select(d => $"{d.HostName} {d.Port}"), Is.EqualTo(new[] { "orch.relay.internal 9443/tcp" }));
    }
}
