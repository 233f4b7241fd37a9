using System.Globalization;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// The summary <c>generate</c> prints counts what the file holds and names only what it allows: over the formats and agent
/// configurations Datadog documents (data/agent/documented/) and the chart's own values, each count of the summary is
/// counted again in the output (port rules in the rule comments, host names in the lists, policy objects), and the
/// features after "for" are those the output's rules or names are for.
/// </summary>
[TestFixture]
public partial class GenerateSummaryCountTests
{
    private static readonly string[][] Configurations =
    [
        ["--agent-config", TestData.Path_("agent", "documented", "docs-dual-shipping.yaml")],
        ["--agent-config", TestData.Path_("agent", "documented", "docs-proxy.yaml"), "--open", "proxy=10.0.0.5/32"],
        ["--helm-values", TestData.Path_("agent", "documented", "helm-agent_apm.yaml")],
        ["--helm-values", TestData.Path_("agent", "helm-values-3.240.0.yaml")],
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from format in new[] { "nftables", "nftables-strict", "iptables", "ip6tables", "domains", "squid", "kubernetes", "cilium" }
        from configuration in Configurations
        select new TestCaseData(format, configuration).SetArgDisplayNames(format, Path.GetFileName(configuration[1]));

    [GeneratedRegex(@"^generate: (?<format>\S+) for (?<for>.+?)(?: from ip-ranges version [^;]*)?(?:; no Datadog ranges \(no ip-ranges document read\))?; (?<counts>.*)$",
        RegexOptions.Multiline)]
    private static partial Regex Summary();

    // The rule comments of the netfilter formats: "datadog: allow egress to 443/tcp for agents, apm (ip-ranges v59)".
    [GeneratedRegex(@"datadog: allow (?<direction>egress to|ingress on) (?<port>\S+) for (?<for>[^""(]+?)(?: \(ip-ranges v[^)]*\))?""")]
    private static partial Regex RuleComment();

    [TestCaseSource(nameof(Cases))]
    public async Task Summary_CountsAndFeatures_AreWhatTheOutputHolds(string format, string[] configuration)
    {
        string[] args = format == "cilium" ? ["generate", "-f", format, "--by-name", .. configuration] : ["generate", "-f", format, .. configuration];

        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Match summary = Summary().Match(result.Error);
        Assert.That(summary.Success, Is.True, result.Error);
        string[] named = summary.Groups["for"].Value.Split(", ");
        string counts = summary.Groups["counts"].Value;
        string output = result.Output;
        switch (format)
        {
            case "domains":
                string[][] lines = [.. output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' '))];
                Assert.That(counts, Is.EqualTo(Count(lines.Select(l => l[0]).Distinct().Count(), "host name")));
                Assert.That(named, Is.EquivalentTo(lines.Select(l => l[2]).Distinct()));
                break;
            case "squid":
                int names = Regex.Matches(output, @"dstdomain -n (\S+)").Select(m => m.Groups[1].Value).Distinct().Count()
                    + Regex.Matches(output, @"dstdom_regex -n -i (\S+)").Select(m => m.Groups[1].Value).Distinct().Count();
                Assert.That(counts, Is.EqualTo(Count(names, "host name")));
                Assert.That(named, Has.None.EqualTo("ntp"), "Squid carries no UDP");
                break;
            case "kubernetes" or "cilium":
                int policies = Regex.Count(output, @"^kind: (NetworkPolicy|CiliumNetworkPolicy)$", RegexOptions.Multiline);
                Assert.That(counts, Does.StartWith(Count(policies, "policy", "policies") + ": "));
                int hostNames = Regex.Matches(output, @"match(?:Name|Pattern): ""?([^""\s]+)").Select(m => m.Groups[1].Value).Where(n => n != "*").Distinct().Count();
                Assert.That(counts, hostNames == 0 ? Does.Not.Contain("host name") : Does.Contain(Count(hostNames, "host name")));
                string[] listeners = [.. named.Where(n => n.StartsWith("agent:", StringComparison.Ordinal) && n != "agent:proxy")];
                Assert.That(listeners, output.Contains("- Ingress\n", StringComparison.Ordinal) ? Is.Not.Null : Is.Empty,
                    "a listener reachable from inside its pod only has no policy, and is not named");
                Assert.That(named, output.Contains("matchName: trace.agent.", StringComparison.Ordinal) ? Does.Contain("apm") : Is.Not.Null);
                break;
            default:
                Match[] comments = RuleComment().Matches(output).ToArray();
                int portRules = comments.Select(m => (m.Groups["direction"].Value, m.Groups["port"].Value)).Distinct().Count();
                Assert.That(counts, Does.StartWith(Count(portRules, "port rule") + ", "));
                Assert.That(named, Is.EquivalentTo(comments.SelectMany(m => m.Groups["for"].Value.Split(", ")).Distinct()));
                break;
        }
    }

    private static string Count(int count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many ?? one + "s")}");
}
