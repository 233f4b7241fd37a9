using System.Net;
using FirewallRules.AgentConfig;
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

    [Test]
    public void For_RemoteConfiguration_OnItsSecondPortFromAgent780_AndNoneOnUS1Fed()
    {
        Assert.That(AgentEndpoints.For(Site.US1, "7.79.0").Select(e => e.Port.First), Has.None.EqualTo(8042));
        Assert.That(AgentEndpoints.For(Site.US1, "7.80.0").Where(e => e.Port.First == 8042).Select(e => e.ToString()),
            Is.EqualTo(new[] { "config.datadoghq.com (8042/tcp, remote-configuration)" }));
        Assert.That(AgentEndpoints.For(Site.US1Fed, "7.80.0").Select(e => e.Section), Has.None.EqualTo(Section.RemoteConfiguration));
    }

    [Test]
    public void For_LogsOverTcp_OnTheSitesOwnTcpIntakeOnly()
    {
        Assert.That(AgentEndpoints.For(Site.EU1, [Section.Logs]).Select(e => e.ToString()),
            Is.EqualTo(new[] { "agent-http-intake.logs.datadoghq.eu (443/tcp, logs)", "agent-intake.logs.datadoghq.eu (443/tcp, logs)" }));
        Assert.That(AgentEndpoints.For(Site.US3, [Section.Logs]).Select(e => e.ToString()),
            Is.EqualTo(new[] { "agent-http-intake.logs.us3.datadoghq.com (443/tcp, logs)" }));
    }

    [TestCase(null)]
    [TestCase("6.55.1")]
    [TestCase("7.46.0")]
    [TestCase("7.47.0")]
    [TestCase("7.80.0")]
    public void For_AnAgentVersion_ListsWhatItsPlanConnectsTo(string? version)
    {
        // The same hosts and ports as the plan of an agent of that version with every core pipeline on: verify and plan read one
        // catalogue and one set of defaults (Remote Configuration on by default from 7.47: an older agent's verify checked it).
        const string Processes = "process_config: {process_collection: {enabled: true}}\n";
        string[] planned = [.. new[] { "logs_enabled: true\n", "logs_enabled: true\nlogs_config: {force_use_tcp: true}\n" }
            .SelectMany(logs => AgentConfiguration.Parse(logs + Processes, agentVersion: version).Destinations)
            .Where(d => d.Coverage == DestinationCoverage.PublishedRanges).Select(d => $"{d.HostName} {d.Port}")];
        Assert.That(AgentEndpoints.For(Site.US1, version).Where(e => e.Section is not (Section.Orchestrator or Section.Api)).Select(e => $"{e.HostName} {e.Port}"),
            Is.SubsetOf(planned));
    }

    [TestCase("6.46.0", false)]
    [TestCase("6.55.1", true)]
    [TestCase("7.46.0", false)]
    [TestCase("7.47.0", true)]
    public void For_RemoteConfiguration_FromAgent747_WhereItIsOnByDefault(string version, bool listed)
    {
        Assert.That(AgentEndpoints.For(Site.US1, version).Any(e => e.Section == Section.RemoteConfiguration), Is.EqualTo(listed));
    }

    [TestCase("7.60.0", "7.60.0")]
    [TestCase("7.60", "7.60.0")]
    [TestCase("7", TestAgent.Version)]
    [TestCase("latest", TestAgent.Version)]
    [TestCase("latest-jmx", TestAgent.Version)]
    [TestCase("6", "6.55.1")]
    [TestCase("7.60.0-jmx", "7.60.0")]
    [TestCase("7.0.0", "7.0.0")]
    [TestCase("7.0", "7.0.0")]
    [TestCase("6.0.0", "6.0.0")]
    public void For_AVersion_IsReadAsThePlanReadsIt(string version, string planned)
    {
        Assert.That(AgentEndpoints.For(Site.US1, version)[0].HostName, Is.EqualTo($"{planned.Replace('.', '-')}-app.agent.datadoghq.com"));
        Assert.That(AgentEndpoints.For(Site.US1, version)[0].HostName,
            Does.StartWith(AgentVersionSetting.Parse(version, new SettingOrigin("--agent-version", null), null).Label + "-"), "the plan's version label");
    }

    [TestCase("")]
    [TestCase("7.60.0.1")]
    [TestCase("7..0")]
    [TestCase("8.0.0")]
    [TestCase("5")]
    [TestCase("evil.example.com#")]
    [TestCase("07.80.0")]
    [TestCase("7.080.00")]
    [TestCase("7.00")]
    public void For_VersionThatIsNotAnAgent6Or7_IsRefused(string version)
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
