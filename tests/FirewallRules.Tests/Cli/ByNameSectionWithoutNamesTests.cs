using FirewallRules.Advice;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// What every output allowing sections by name (squid, domains, the Network Firewall domain lists, Cilium's <c>--by-name</c>) does with
/// a section Datadog documents no host name for (<c>global</c>): it warns on stderr and leaves the section out, keeping the others; left
/// with no host name at all, it is refused on one line, as a list allowing nothing is no one's intent.
/// </summary>
[TestFixture]
public class ByNameSectionWithoutNamesTests
{
    private static readonly string Latest = TestData.Path_("ip-ranges", "datadoghq.com-v59.json");

    private const string GlobalLeftOut = "fwrules: warning: not rendered by name: egress-tcp-443: Datadog documents no host name for section 'global' on 443/tcp";

    // The operator trial: cilium --by-name over every section exited 1 on 'global' while squid warned and dropped it.
    [TestCase("cilium", "--by-name")]
    [TestCase("squid")]
    [TestCase("domains")]
    [TestCase("aws-network-firewall")]
    public async Task Generate_EverySectionByName_WarnsOfGlobalAndKeepsTheOthers(string format, params string[] flags)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "-f", format, .. flags, "--site", "us1", "--input", Latest]);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error.Split('\n'), Has.One.EqualTo(GlobalLeftOut));
        Assert.That(result.Output, Does.Contain("agent-http-intake.logs.datadoghq.com").And.Not.Contain("toCIDRSet"));
    }

    // squid and domains wrote a list allowing nothing and exited 0, where the Network Firewall list and Cilium refused.
    [TestCase("cilium", "--by-name")]
    [TestCase("squid")]
    [TestCase("domains")]
    [TestCase("aws-network-firewall")]
    public async Task Generate_OnlySectionsWithoutNames_IsRefusedOnOneLineWritingNothing(string format, params string[] flags)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "-f", format, .. flags, "--site", "us1", "--input", Latest, "-s", "global"]);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.Contain("would allow nothing").And.Contain("section 'global' on 443/tcp"));
    }

    [Test]
    public void Cilium_ByNameGlobalBesideLogs_AllowsLogsByName_AndTheFormatWarnsOfGlobal()
    {
        IpRangesDocument us1 = IpRangesDocument.Load(Latest, Site.US1);
        RuleSet rules = RuleSet.For(us1, [Section.Global, Section.Logs]);
        var options = new KubernetesPolicyOptions { ByName = true };

        string text = rules.ToCiliumNetworkPolicy(options);
        SettingAdvice? warning = EmitterRegistry.Default.Describe("cilium").Warning(new WarningArguments(options, rules));

        Assert.That(text, Does.Contain("matchName: agent-http-intake.logs.datadoghq.com").And.Not.Contain("toCIDRSet"));
        Assert.That(warning?.Format(_ => "?"), Does.Contain("Datadog documents no host name for section 'global' on 443/tcp"));
    }

    [Test]
    public void Cilium_ByNameDenyOfASectionWithoutNames_IsRefused_AsLeavingItOutWouldLetItThrough()
    {
        RuleSet deny = RuleSet.Create([new FirewallRule(Direction.Egress, RuleAction.Deny, PortRange.Https,
            IpRangesDocument.Load(Latest, Site.US1)[Section.Global].Prefixes, ["global"])], new RuleSetProvenance(Site.US1, 59, null, ["global"], false));

        var refused = Assert.Throws<RuleGenerationException>(() => deny.ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true }))!;

        Assert.That(refused.Message, Does.Contain("which a deny by name would leave open"));
    }
}
