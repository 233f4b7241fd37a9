using FirewallRules.Emitters;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// Hostile data and names against every Linux output: what validation stops is refused, and what gets
/// through (free text in provenance) stays inside one comment line. The real tools load the same hostile
/// output in <see cref="NftablesRealToolTests"/> and <see cref="IptablesRealToolTests"/>.
/// </summary>
[TestFixture]
public class NetfilterSafetyTests
{
    public static IEnumerable<string> Formats() =>
        ["iptables", "ip6tables", "ipset", "iptables-ipset", "ip6tables-ipset", "iptables-script", "iptables-ipset-script", "nftables", "nftables-strict", "nftables-chain"];

    [TestCaseSource(nameof(Formats))]
    public void Render_HostileModifiedDate_IsNotPrinted(string format)
    {
        string text = HostileInput.FromDocument().Render(EmitterRegistry.Default.Create(format));

        AssertContained(format, text);
        Assert.That(text, Does.Contain("ip-ranges version 99").And.Not.Contain("modified"), "a stamp in no recognised format is kept in the document, never printed");
        Assert.That(HostileInput.Markers.Where(m => text.Contains(m, StringComparison.Ordinal)), Is.Empty);
    }

    [TestCaseSource(nameof(Formats))]
    public void Render_HostileProvenance_StaysInOneCommentLine(string format)
    {
        string text = HostileInput.FromProvenance().Render(EmitterRegistry.Default.Create(format));

        AssertContained(format, text);
    }

    [Test]
    public void ToNftablesUpdate_HostileProvenanceOnBothSides_StaysInCommentLines()
    {
        RuleSet older = HostileInput.FromProvenance();
        var rule = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.144.0/21\n2600:1f18:24e6:b900::/56"), ["webhooks"]);
        RuleSet newer = RuleSet.Create([rule], older.Provenance);

        AssertContained("nftables", newer.ToNftablesUpdate(older));
    }

    [TestCase("logs\"")]
    [TestCase("logs\n-A INPUT -j ACCEPT")]
    [TestCase("logs; flush ruleset")]
    [TestCase("$(reboot)")]
    [TestCase("")]
    public void FirewallRule_HostileSource_IsRefused(string source)
    {
        Assert.That(() => new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), [source]),
            Throws.TypeOf<RuleGenerationException>());
    }

    [TestCase("datadog\n-A")]
    [TestCase("datadog\"")]
    [TestCase("dd;flush")]
    [TestCase("-datadog")]
    public void EmitterOptions_HostileName_IsRejectedForEveryOptionsType(string name)
    {
        Assert.That(() => new IptablesEmitterOptions { Name = name }, Throws.ArgumentException);
        Assert.That(() => new NftablesEmitterOptions { Name = name }, Throws.ArgumentException);
    }

    [TestCase("logs\\n-A INPUT -j ACCEPT")]
    [TestCase("logs\\\"; flush ruleset")]
    public void IpRangesDocument_HostileSectionKey_IsRefusedBeforeAnyEmitter(string key)
    {
        string json = $$$"""{"version": 1, "modified": "2022-01-01-00-00-00", "{{{key}}}": {"prefixes_ipv4": ["3.233.144.0/20"], "prefixes_ipv6": []}}""";

        Assert.That(() => IpRangesDocument.Parse(json), Throws.TypeOf<IpRangesFormatException>());
    }

    private static void AssertContained(string format, string text)
    {
        LinuxGrammar.AssertOnlyKnownLines(format, text);
        string[] commands = text.Split('\n').Where(line => !line.StartsWith('#')).ToArray();
        Assert.That(commands.Where(line => HostileInput.Markers.Any(m => line.Contains(m, StringComparison.Ordinal))), Is.Empty,
            "payload words outside comment lines");
        Assert.That(text.Where(c => c is not ('\n' or '\t') && c is < ' ' or > '~'), Is.Empty, "only printable ASCII, tabs and line ends");
    }
}
