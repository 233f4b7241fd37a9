using FirewallRules.Advice;
using FirewallRules.Emitters;
using FirewallRules.Emitters.AllowList;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// The plain case's allow-lists agree with Datadog's network page ("Logs (TCP; US1 and EU1 only)", EU1's on 443): logs on
/// 10516/tcp name agent-intake.logs.&lt;domain&gt; on US1 only, and elsewhere say why nothing is listed.
/// </summary>
[TestFixture]
public sealed class TcpLogsNamesTests
{
    private static RuleSet Logs(Site site)
    {
        PrefixSet prefixes = PrefixSet.Parse("192.0.2.0/24");
        FirewallRule[] rules =
        [
            new(Direction.Egress, RuleAction.Allow, PortRange.Https, prefixes, ["logs"]),
            new(Direction.Egress, RuleAction.Allow, new PortRange(TransportProtocol.Tcp, 10516), prefixes, ["logs"]),
        ];
        return RuleSet.Create(rules, new RuleSetProvenance(site, 1, "2020-01-01-00-00-00", ["logs"], IsEmbeddedSnapshot: false));
    }

    [Test]
    public void Domains_LogsOnUs5_ListNoTcpIntake_AndSayWhy()
    {
        string text = Logs(Site.US5).Render(EmitterRegistry.Default.Create("domains"));

        Assert.That(text, Does.Not.Contain("agent-intake.logs.us5.datadoghq.com").And.Contain("agent-http-intake.logs.us5.datadoghq.com 443/tcp"));
        Assert.That(AllowListHosts.Of(Logs(Site.US5), AllowListUse.DomainMatch).LeftOut, Has.Some.Contains("no logs-over-TCP intake at us5.datadoghq.com"));
    }

    [Test]
    public void Squid_LogsOnEu1_SaysTcpLogsGoOn443_NotOn10516()
    {
        string text = Logs(Site.EU1).Render(EmitterRegistry.Default.Create("squid"));

        Assert.That(text, Does.Contain("agent-intake.logs.datadoghq.eu on 443/tcp, not 10516/tcp").And.Not.Contain("is logs over TCP, a raw connection"));
    }

    [Test]
    public void CiliumByName_LogsOnUs5_NamesNoTcpIntake_AsTheListsDo()
    {
        string text = Logs(Site.US5).ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true });

        Assert.That(text, Does.Not.Contain("agent-intake.logs.us5.datadoghq.com").And.Not.Contain("datadog-egress-tcp-10516"));
        Assert.That(text, Does.Contain("- matchName: agent-http-intake.logs.us5.datadoghq.com\n"));
        Assert.That(((IWrittenCounts)new CiliumNetworkPolicyEmitter(new KubernetesPolicyOptions { ByName = true })).Written(Logs(Site.US5)).HostNames, Is.EqualTo(2));
    }

    [Test]
    public void CiliumByName_LogsOnUs5_WarnsWhyTheTcpIntakeIsLeftOut()
    {
        var options = new KubernetesPolicyOptions { ByName = true };
        SettingAdvice? warning = EmitterRegistry.Default.Describe("cilium").Warning(new WarningArguments(options, Logs(Site.US5)));

        Assert.That(warning?.Format(_ => "?"), Does.Contain("no logs-over-TCP intake at us5.datadoghq.com"));
    }

    [Test]
    public void CiliumByName_LogsOnUs1_StillNamesTheTcpIntake()
    {
        string text = Logs(Site.US1).ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true });

        Assert.That(text, Does.Contain("- matchName: agent-intake.logs.datadoghq.com\n"));
    }

    [Test]
    public void Domains_LogsOnUs1_StillListTheTcpIntake()
    {
        string text = Logs(Site.US1).Render(EmitterRegistry.Default.Create("domains"));

        Assert.That(text.Split('\n'), Does.Contain("agent-intake.logs.datadoghq.com 10516/tcp logs"));
    }
}
