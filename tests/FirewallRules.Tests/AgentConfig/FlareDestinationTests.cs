using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Where a flare goes: AddAgentVersionToDomain(GetInfraEndpoint(cfg), "flare") (GetFlareEndpoint,
/// comp/core/flare/helpers/send_flare.go), the metrics endpoint with "flare" in its versioned host; a relay as written.
/// </summary>
[TestFixture]
public class FlareDestinationTests
{
    private static AgentDestination Flare(string yaml) => TestAgent.Plan(yaml, null, version: "7.60.0").Destinations.Single(d => DestinationMerge.Serves(d, "flare"));

    [Test]
    public void DdUrl_ARelay_TheFlareGoesToTheRelay_OnItsPort()
    {
        AgentDestination flare = Flare("dd_url: https://metrics-relay.internal:8443\n");

        Assert.That((flare.HostName, flare.Port.ToString()), Is.EqualTo(("metrics-relay.internal", "8443/tcp")));
        Assert.That(flare.Coverage, Is.EqualTo(DestinationCoverage.NotPublished));
    }

    [Test]
    public void DdUrl_AnotherSitesApp_TheFlareGoesToThatSitesVersionedFlareHost()
    {
        Assert.That(Flare("dd_url: https://app.datadoghq.eu\n").HostName, Is.EqualTo("7-60-0-flare.agent.datadoghq.eu"));
        Assert.That(Flare("site: us3.datadoghq.com\n").HostName, Is.EqualTo("7-60-0-flare.agent.us3.datadoghq.com"));
    }

    [Test]
    public void DdUrl_ARelayBehindAProxy_TheFlareFollowsTheRelaysRoute()
    {
        AgentDestination flare = Flare("dd_url: https://metrics-relay.internal:8443\nproxy:\n  https: http://proxy.corp.example:3128\n");

        Assert.That(flare.Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy), "the flare uses the agent's HTTP transport and its proxy");
    }
}
