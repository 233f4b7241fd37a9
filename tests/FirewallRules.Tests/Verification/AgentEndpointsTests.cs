using System.Net;
using FirewallRules.Verification;

namespace FirewallRules.Tests.Verification;

[TestFixture]
public class AgentEndpointsTests
{
    [Test]
    public void For_US1_ListsTheAgentsHostNamesWithTheirSectionsAndPorts()
    {
        Assert.That(AgentEndpoints.For(Site.US1, "7.52.1").Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "7-52-1-app.agent.datadoghq.com (443/tcp, agents)",
            "trace.agent.datadoghq.com (443/tcp, apm)",
            "agent-http-intake.logs.datadoghq.com (443/tcp, logs)",
            "agent-intake.logs.datadoghq.com (10516/tcp, logs)",
            "process.datadoghq.com (443/tcp, process)",
            "orchestrator.datadoghq.com (443/tcp, orchestrator)",
            "config.datadoghq.com (443/tcp, remote-configuration)",
            "api.datadoghq.com (443/tcp, api)",
        }));
    }

    [Test]
    public void For_EU1WithSections_UsesTheSitesDomainAndOnlyThoseSections()
    {
        Assert.That(AgentEndpoints.For(Site.EU1, [Section.Logs]).Select(e => e.HostName),
            Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.eu", "agent-intake.logs.datadoghq.eu" }));
        Assert.That(AgentEndpoints.For(Site.EU1)[0].HostName, Is.EqualTo($"{AgentEndpoints.DefaultAgentVersion.Replace('.', '-')}-app.agent.datadoghq.eu"));
    }

    [TestCase("7")]
    [TestCase("7.60")]
    [TestCase("7.60.0")]
    public void For_VersionOfOneToThreeNumbers_IsAccepted(string version)
    {
        Assert.That(AgentEndpoints.For(Site.US1, version)[0].HostName, Is.EqualTo($"{version.Replace('.', '-')}-app.agent.datadoghq.com"));
    }

    [TestCase("")]
    [TestCase("7.60.0.1")]
    [TestCase("7..0")]
    [TestCase("7.60.0-rc.1")]
    [TestCase("evil.example.com#")]
    public void For_VersionThatIsNotNumbers_IsRefused(string version)
    {
        Assert.That(() => AgentEndpoints.For(Site.US1, version), Throws.ArgumentException.With.Property("ParamName").EqualTo("agentVersion"));
    }

    [Test]
    public void For_Mirror_IsRefused()
    {
        Assert.That(() => AgentEndpoints.For(Site.Custom(new Uri("https://mirror.example.net/datadog/"))), Throws.ArgumentException);
    }

    [TestCase("3.233.146.10", "Public")]
    [TestCase("2600:1f18:24e6:b900::1", "Public")]
    [TestCase("10.1.2.3", "Private")]
    [TestCase("172.31.0.5", "Private")]
    [TestCase("192.168.4.4", "Private")]
    [TestCase("100.64.1.1", "Private")]
    [TestCase("fd12:3456::1", "Private")]
    [TestCase("::ffff:10.0.0.1", "Private")]
    [TestCase("127.0.0.1", "Reserved")]
    [TestCase("0.0.0.0", "Reserved")]
    [TestCase("169.254.169.254", "Reserved")]
    [TestCase("::1", "Reserved")]
    public void Classify_Address_SaysWhetherItIsPublicPrivateOrNeither(string address, string kind)
    {
        Assert.That(AgentEndpointVerifier.Classify(IPAddress.Parse(address)).ToString(), Is.EqualTo(kind));
    }
}
