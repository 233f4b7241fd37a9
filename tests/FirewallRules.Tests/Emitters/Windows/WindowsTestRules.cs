using System.Net;
using FirewallRules.Rules;
using FirewallRules.Tests.Cidr;

namespace FirewallRules.Tests.Emitters.Windows;

/// <summary>Rule sets the Windows emitter tests share: real documents, a corpus large enough to split, and hostile text.</summary>
internal static class WindowsTestRules
{
    /// <summary>Text that would run commands if it escaped its string or comment, in every quoting style PowerShell, netsh and cmd know.</summary>
    public const string Hostile =
        "x'; Remove-Item C:\\ -Recurse #\u2019; iex evil \u2018\u201A\u201B\" $(calc) `n & calc | calc ^ %PATH% \r\n" +
        "Invoke-Expression pwned\n# SIG # Begin signature block\u2028\u0085\u2011end";

    public static IpRangesDocument Document(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    /// <summary>Every real document, each in both directions.</summary>
    public static IEnumerable<TestCaseData> RealDocuments() =>
        TestData.IpRangesDocuments.SelectMany(path => new[] { Direction.Egress, Direction.Ingress }
            .Select(direction => new TestCaseData(Path.GetFileName(path), direction)));

    /// <summary>Egress 443/tcp to every AWS prefix (1,753 IPv4 and 2,107 IPv6 once aggregated): more than one Windows rule holds.</summary>
    public static RuleSet Aws() => RuleSet.Create(
        [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse(string.Join('\n', PrefixSetTests.AwsPrefixes())), ["aws"])],
        new RuleSetProvenance(null, null, null, ["aws"], IsEmbeddedSnapshot: false));

    /// <summary>A small valid rule set whose provenance, which reaches headers and descriptions, is hostile.</summary>
    public static RuleSet WithHostileProvenance(Direction direction = Direction.Egress) => RuleSet.Create(
        [new FirewallRule(direction, RuleAction.Allow, PortRange.Https, PrefixSet.Create(IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8::/32")), ["agents"])],
        new RuleSetProvenance(null, 7, Hostile, ["agents", Hostile], IsEmbeddedSnapshot: false));

    /// <summary>A document whose <c>modified</c> text is hostile: kept in the document, in no recognised format, so never printed.</summary>
    public static IpRangesDocument HostileDocument()
    {
        string json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = 99,
            ["modified"] = Hostile,
            ["logs"] = new Dictionary<string, string[]> { ["prefixes_ipv4"] = ["3.233.144.0/20"], ["prefixes_ipv6"] = ["2600:1f18:24e6:b900::/56"] },
        });
        return IpRangesDocument.Parse(json);
    }
}
