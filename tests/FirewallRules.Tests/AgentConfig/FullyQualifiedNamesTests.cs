using FirewallRules.AgentConfig;
using FirewallRules.Emitters;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Agents from 7.67 send to the site's hosts fully qualified (<c>trace.agent.datadoghq.eu.</c>), which a <c>no_proxy</c> entry
/// naming the plain host does not match: the traffic goes through the proxy, and the plan (and the proxy's allow-list) says so.
/// 7.72 and later turn it off with <c>convert_dd_site_fqdn.enabled: false</c>; a host a key names is sent as written.
/// </summary>
[TestFixture]
public class FullyQualifiedNamesTests
{
    private const string Eu = "site: datadoghq.eu\napm_config:\n  enabled: true\n";

    private static string Proxy(params string[] noProxy) =>
        "proxy:\n  https: http://proxy.corp.example:3128\n  no_proxy:\n" + string.Concat(noProxy.Select(entry => $"    - {entry}\n"));

    private static AgentDestination Apm(AgentPlan plan) => plan.Destinations.Single(d => DestinationMerge.Serves(d, "apm"));

    [TestCase("7.66.0", false)]
    [TestCase("7.67.0", true)]
    [TestCase("7.71.2", true)]
    [TestCase("7.72.0", true)]
    [TestCase(TestAgent.Version, true)]
    public void NoProxyNamingThePlainHost_FromAgent767_DoesNotSendItPastTheProxy(string version, bool throughProxy)
    {
        AgentPlan plan = AgentConfiguration.Parse(Eu + Proxy("trace.agent.datadoghq.eu"), null, null, version);

        Assert.That(Apm(plan).Coverage == DestinationCoverage.ThroughProxy, Is.EqualTo(throughProxy), string.Join('\n', plan.Notes.Texts()));
        Assert.That(plan.Notes.Texts().Any(n => n.StartsWith("no_proxy: trace.agent.datadoghq.eu does not match trace.agent.datadoghq.eu., the name the agent sends apm to",
            StringComparison.Ordinal)), Is.EqualTo(throughProxy));
    }

    [Test]
    public void ThroughTheProxy_TheSquidIncludeAllowsTheHost()
    {
        AgentPlan plan = AgentConfiguration.Parse(Eu + Proxy("trace.agent.datadoghq.eu"), null, null, "7.70.0");

        Assert.That(PlanRules.ByName(plan).Render(EmitterRegistry.Default.Create("squid")), Does.Contain(" dstdomain -n trace.agent.datadoghq.eu\n"));
    }

    [TestCase("convert_dd_site_fqdn:\n  enabled: false\n", null)]
    [TestCase("", "DD_CONVERT_DD_SITE_FQDN_ENABLED=false")]
    public void TurnedOff_From772_TheEntryMatchesAgain(string yaml, string? environment)
    {
        AgentPlan plan = AgentConfiguration.Parse(Eu + yaml + Proxy("trace.agent.datadoghq.eu"), environment, null, "7.72.0");

        Assert.That(Apm(plan).PastProxy, Is.EqualTo("trace.agent.datadoghq.eu"));
    }

    [Test]
    public void TurnedOff_Before772_IsNotASettingYet()
    {
        AgentPlan plan = AgentConfiguration.Parse(Eu + "convert_dd_site_fqdn:\n  enabled: false\n" + Proxy("trace.agent.datadoghq.eu"), null, null, "7.70.0");

        Assert.That(Apm(plan).Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy));
    }

    [TestCase("trace.agent.datadoghq.eu.")]
    [TestCase("TRACE.agent.datadoghq.eu.")]
    public void NoProxyNamingTheDottedHost_SendsItPastTheProxy(string entry)
    {
        AgentPlan plan = AgentConfiguration.Parse(Eu + Proxy(entry), null, null, "7.70.0");

        Assert.That(Apm(plan).PastProxy, Is.EqualTo(entry));
    }

    [Test]
    public void NonExactMatch_ADomainEntry_DoesNotMatchTheDottedHost()
    {
        // golang.org/x/net's domain matcher compares suffixes: ".datadoghq.eu" is no suffix of "trace.agent.datadoghq.eu.".
        AgentPlan plan = AgentConfiguration.Parse(Eu + "no_proxy_nonexact_match: true\n" + Proxy("datadoghq.eu"), null, null, "7.70.0");

        Assert.That(Apm(plan).Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy));
    }

    [Test]
    public void AHostAKeyNames_IsSentAsWritten()
    {
        AgentPlan plan = AgentConfiguration.Parse("site: datadoghq.eu\napm_config:\n  apm_dd_url: https://trace.agent.datadoghq.eu\n" + Proxy("trace.agent.datadoghq.eu"),
            null, null, "7.70.0");

        Assert.That(Apm(plan).PastProxy, Is.EqualTo("trace.agent.datadoghq.eu"));
    }

    [Test]
    public void TheVersionedHostOfAWrittenDdUrl_IsSentAsWritten_TheSitesIsNot()
    {
        const string Relay = "dd_url: https://app.datadoghq.eu\n";
        AgentPlan written = AgentConfiguration.Parse(Eu + Relay + Proxy("7-70-0-app.agent.datadoghq.eu"), null, null, "7.70.0");
        AgentPlan built = AgentConfiguration.Parse(Eu + Proxy("7-70-0-app.agent.datadoghq.eu"), null, null, "7.70.0");

        AgentDestination Metrics(AgentPlan plan) => plan.Destinations.Single(d => DestinationMerge.Serves(d, "metrics"));
        Assert.That(Metrics(written).PastProxy, Is.EqualTo("7-70-0-app.agent.datadoghq.eu"));
        Assert.That(Metrics(built).Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy));
    }

    [Test]
    public void ASiteWrittenWithItsDot_QualifiesTheHostsForAnyVersion()
    {
        AgentPlan plan = AgentConfiguration.Parse("site: datadoghq.eu.\napm_config:\n  enabled: true\n" + Proxy("trace.agent.datadoghq.eu"), null, null, "7.60.0");

        Assert.That(Apm(plan).Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy));
    }

    [Test]
    public void ARelayOutsideDatadogsDomains_IsSentAsWritten()
    {
        AgentPlan plan = AgentConfiguration.Parse("site: datadoghq.eu\napm_config:\n  apm_dd_url: https://trace.relay.example\n" + Proxy("trace.relay.example"),
            null, null, "7.70.0");

        Assert.That(Apm(plan).PastProxy, Is.EqualTo("trace.relay.example"));
    }
}
