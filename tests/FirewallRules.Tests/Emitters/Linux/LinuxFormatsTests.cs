using FirewallRules.Emitters;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>Every Linux format through the registry: pinned golden output, and the line grammar on every real document.</summary>
[TestFixture]
public class LinuxFormatsTests
{
    private static readonly string[] Formats =
    [
        "iptables", "ip6tables", "ipset", "iptables-ipset", "ip6tables-ipset", "iptables-script", "iptables-ipset-script",
        "nftables", "nftables-strict", "nftables-chain",
    ];

    public static IEnumerable<TestCaseData> FormatsAndGoldenCases() =>
        from format in Formats
        from name in new[] { "v52-logs", "v40-api-apm-webhooks" }
        select new TestCaseData(format, name);

    public static IEnumerable<TestCaseData> FormatsDocumentsAndDirections() =>
        from format in Formats
        from path in TestData.IpRangesDocuments
        from direction in new[] { Direction.Egress, Direction.Ingress }
        select new TestCaseData(format, Path.GetFileName(path), direction);

    [Test]
    public void Default_RegistersEveryLinuxFormat_WithHowToApply()
    {
        var registered = EmitterRegistry.Default.Formats.ToDictionary(f => f.Format, f => f.Description);

        Assert.That(registered.Keys, Is.SupersetOf(Formats));
        Assert.That(Formats.Select(f => registered[f]), Has.All.Match(@"(restore|nft -f|sh) "), "each description says how to apply the output");
    }

    [TestCaseSource(nameof(FormatsAndGoldenCases))]
    public void Render_RealDocument_MatchesGoldenFile(string format, string name)
    {
        RuleSet rules = name == "v52-logs"
            ? RuleSet.For(Load("datadoghq.com-v52.json"), Section.Logs)
            : RuleSet.For(Load("datadoghq.com-v40.json"), Section.Api, Section.Apm, Section.Webhooks);

        string text = rules.Render(EmitterRegistry.Default.Create(format));

        LinuxGrammar.AssertOnlyKnownLines(format, text);
        GoldenFile.AssertMatches(text, format, name + Extension(format));
    }

    /// <summary>The incremental updates: the grammar their lines follow, how each is written, and the golden file of v46 to v47.</summary>
    public static IEnumerable<TestCaseData> Updates() =>
    [
        new TestCaseData("nftables", (Func<RuleSet, RuleSet, string>)((newer, older) => newer.ToNftablesUpdate(older)), "nftables-update", "v46-to-v47-logs.nft"),
        new TestCaseData("ipset-update", (Func<RuleSet, RuleSet, string>)((newer, older) => newer.ToIpsetUpdate(older)), "ipset-update", "v46-to-v47-logs.ipset"),
    ];

    [TestCaseSource(nameof(Updates))]
    public void Update_V46ToV47_MatchesGoldenFile(string grammar, Func<RuleSet, RuleSet, string> update, string folder, string file)
    {
        RuleSet v46 = RuleSet.For(Load("datadoghq.com-v46.json"), Section.Logs);
        RuleSet v47 = RuleSet.For(Load("datadoghq.com-v47.json"), Section.Logs);

        string text = update(v47, v46);

        LinuxGrammar.AssertOnlyKnownLines(grammar, text);
        GoldenFile.AssertMatches(text, folder, file);
    }

    [TestCaseSource(nameof(Updates))]
    public void Update_SamePrefixes_ChangesNothing(string grammar, Func<RuleSet, RuleSet, string> update, string folder, string file)
    {
        RuleSet v47 = RuleSet.For(Load("datadoghq.com-v47.json"), Section.Logs);

        string text = update(RuleSet.For(Section.Logs), v47);

        // No element changes; the nftables update still writes the rules again, so that their comments name the new version,
        // and the ipset update checks and moves its version mark (datadog-version), which is no Datadog set.
        string[] commands = [.. text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#'))];
        Assert.That(commands, Has.None.Contains("element").And.None.Contains("flush set").And.None.Contains("-tmp"), $"{folder}/{file}");
        Assert.That(
            commands, Has.All.StartWith("flush chain ").Or.StartWith("add rule ").Or.Match("^(add|del) datadog-version 0\\.0\\.0\\.(47|59)( -exist)?$"),
            $"{folder}/{file}");
        Assert.That(text, Does.Contain("# Nothing to change: both versions list the same prefixes.\n"));
        LinuxGrammar.AssertOnlyKnownLines(grammar, text);
    }

    [TestCaseSource(nameof(FormatsDocumentsAndDirections))]
    public void Render_EveryDocument_WritesOnlyLinesOfTheFormatOrRefusesAnEmptyFamily(string format, string document, Direction direction)
    {
        RuleSet rules = RuleSet.All(Load(document), direction);
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format);

        if (format.StartsWith("ip6tables", StringComparison.Ordinal) && rules.Prefixes.IPv6.IsEmpty)
        {
            Assert.That(() => rules.Render(emitter), Throws.TypeOf<RuleGenerationException>());
            return;
        }

        LinuxGrammar.AssertOnlyKnownLines(format, rules.Render(emitter));
    }

    [TestCaseSource(nameof(Formats))]
    public void Render_ListenerRulesOpenedToANetwork_WritesOnlyLinesOfTheFormat(string format)
    {
        RuleSet rules = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions
        {
            Features = ["dogstatsd", "apm"],
            OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8\nfd00::/8") },
        });

        string text = rules.Render(EmitterRegistry.Default.Create(format));

        LinuxGrammar.AssertOnlyKnownLines(format, text);
        Assert.That(text, Does.Contain(format switch
        {
            "ipset" => "add datadog-i8125-udp4-tmp 10.0.0.0/8\n",
            _ when format.StartsWith("nftables", StringComparison.Ordinal) => "udp dport 8125 counter drop comment \"datadog: drop other ingress on 8125/udp (closed port)\"\n",
            _ => "-A datadog-ingress -p udp -m udp --dport 8125 -m comment --comment \"datadog: drop other ingress on 8125/udp (closed port)\" -j DROP\n",
        }));
    }

    private static string Extension(string format) =>
        format.StartsWith("nftables", StringComparison.Ordinal) ? ".nft"
        : format.EndsWith("-script", StringComparison.Ordinal) ? ".sh"
        : format == "ipset" ? ".ipset"
        : ".rules";

    private static IpRangesDocument Load(string document) => IpRangesDocument.Load(TestData.Path_("ip-ranges", document));
}
