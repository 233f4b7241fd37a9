using FirewallRules.Emitters.Nftables;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// The nftables outputs through the real <c>nft</c>: checked (<c>nft -c</c>), loaded into a throwaway
/// network namespace, read back as JSON and compared element for element with the aggregated prefixes,
/// for every real document and both directions.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class NftablesRealToolTests
{
    private NetworkNamespace? _ns;

    private NetworkNamespace Ns => _ns ?? throw new InvalidOperationException("no namespace");

    public static IEnumerable<TestCaseData> DocumentsAndDirections() =>
        from path in TestData.IpRangesDocuments
        from direction in new[] { Direction.Egress, Direction.Ingress }
        select new TestCaseData(Path.GetFileName(path), direction);

    [OneTimeSetUp]
    public void CreateNamespace()
    {
        LinuxTools.Require("ip", "nft");
        _ns = NetworkNamespace.Create();
    }

    [OneTimeTearDown]
    public void DeleteNamespace() => _ns?.Dispose();

    [SetUp]
    public void EmptyRuleset() => Ns.Exec("nft", "flush", "ruleset").Succeeded();

    [TestCaseSource(nameof(DocumentsAndDirections))]
    public void OwnTable_EveryDocument_LoadsExactlyTheAggregatedPrefixes(string document, Direction direction)
    {
        RuleSet rules = RuleSet.All(Load(document), direction);

        foreach (NftablesLayout layout in new[] { NftablesLayout.OwnTable, NftablesLayout.StrictOwnTable })
        {
            string text = rules.ToNftables(new NftablesEmitterOptions { Layout = layout });
            Ns.ExecOnFile(text, "nft", "-c", "-f").Succeeded();
            Ns.ExecOnFile(text, "nft", "-f").Succeeded();

            AssertSetsHold(Readback.NftSets(Ns, "datadog"), rules, rule => $"{rule.Name}-{{0}}");
            Assert.That(Readback.NftChains(Ns, "datadog"), Is.EqualTo(new[]
            {
                (direction == Direction.Egress ? "egress" : "ingress", (string?)(direction == Direction.Egress ? "output" : "input"), (string?)"accept"),
            }), layout.ToString());
        }
    }

    [TestCaseSource(nameof(DocumentsAndDirections))]
    public void ExistingTable_EveryDocument_RefillsSetsAndChainInTheUsersTable(string document, Direction direction)
    {
        RuleSet rules = RuleSet.All(Load(document), direction);
        string chain = direction == Direction.Egress ? "datadog-egress" : "datadog-ingress";
        string hook = direction == Direction.Egress ? "output" : "input";
        Ns.ExecWithInput($$"""
            table inet filter {
                chain {{chain}} { }
                chain {{hook}} { type filter hook {{hook}} priority filter; policy drop; jump {{chain}}; }
            }
            """, "nft", "-f", "-").Succeeded();
        string text = rules.ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.ExistingTable });

        Ns.ExecOnFile(text, "nft", "-c", "-f").Succeeded();
        Ns.ExecOnFile(text, "nft", "-f").Succeeded();
        Ns.ExecOnFile(text, "nft", "-f").Succeeded(); // again, while the user's chain jumps to ours

        AssertSetsHold(Readback.NftSets(Ns, "filter"), rules, rule => $"datadog-{rule.Name}-{{0}}");
        Assert.That(Readback.NftChains(Ns, "filter"), Is.EquivalentTo(new[] { (chain, (string?)null, (string?)null), (hook, (string?)hook, (string?)"drop") }),
            "the user's base chain, untouched, and ours");
        string listed = Ns.Exec("nft", "list", "chain", "inet", "filter", chain).Succeeded();
        Assert.That(listed.Split('\n').Count(line => line.Contains(" counter ", StringComparison.Ordinal)),
            Is.EqualTo(rules.Rules.Sum(r => (r.Prefixes.IPv4.IsEmpty ? 0 : 1) + (r.Prefixes.IPv6.IsEmpty ? 0 : 1))),
            "one rule per set, not duplicated by the second run");
    }

    [Test]
    public void OwnTable_AppliedOverAnOlderVersion_ReplacesItAndLeavesOtherTablesAlone()
    {
        Ns.ExecWithInput("table inet keep { set mine { type ipv4_addr; elements = { 192.0.2.1 }; }; }\n", "nft", "-f", "-").Succeeded();
        RuleSet older = RuleSet.All(Load("datadoghq.com-v27.json"));
        RuleSet newer = RuleSet.All(Load("datadoghq.com-v52.json"));

        Ns.ExecOnFile(older.ToNftables(), "nft", "-f").Succeeded();
        Ns.ExecOnFile(newer.ToNftables(), "nft", "-f").Succeeded();

        AssertSetsHold(Readback.NftSets(Ns, "datadog"), newer, rule => $"{rule.Name}-{{0}}");
        Assert.That(Readback.NftSets(Ns, "keep")["mine"], Is.EqualTo(new[] { "192.0.2.1/32" }));
    }

    [TestCaseSource(typeof(TestData), nameof(TestData.ConsecutiveDocumentsAndDirections))]
    public void Update_ConsecutiveDocuments_TurnsTheOldSetsIntoTheNewOnes(string olderDocument, string newerDocument, Direction direction)
    {
        RuleSet older = RuleSet.All(Load(olderDocument), direction);
        RuleSet newer = RuleSet.All(Load(newerDocument), direction);
        Ns.ExecOnFile(older.ToNftables(), "nft", "-f").Succeeded();

        string update;
        try
        {
            update = newer.ToNftablesUpdate(older);
        }
        catch (RuleGenerationException ex)
        {
            // Only a change of shape may refuse; then the full output must be what loads.
            Assert.That(ex.Message, Does.Contain("changed shape"));
            Assert.That(SetNames(older), Is.Not.EquivalentTo(SetNames(newer)), "refused although the same sets exist in both");
            return;
        }

        Ns.ExecOnFile(update, "nft", "-c", "-f").Succeeded();
        Ns.ExecOnFile(update, "nft", "-f").Succeeded();

        AssertSetsHold(Readback.NftSets(Ns, "datadog"), newer, rule => $"{rule.Name}-{{0}}");
    }

    [Test]
    public void Update_AppliedTwice_SucceedsAndLeavesExactlyTheNewVersionWithItsComments()
    {
        RuleSet v46 = RuleSet.For(Load("datadoghq.com-v46.json"), Section.Logs);
        RuleSet v47 = RuleSet.For(Load("datadoghq.com-v47.json"), Section.Logs);
        Ns.ExecOnFile(v47.ToNftables(), "nft", "-f").Succeeded();
        Dictionary<string, string[]> expected = Readback.NftSets(Ns, "datadog");
        Ns.ExecOnFile(v46.ToNftables(), "nft", "-f").Succeeded();
        string update = v47.ToNftablesUpdate(v46);

        ToolResult first = Ns.ExecOnFile(update, "nft", "-f");
        ToolResult second = Ns.ExecOnFile(update, "nft", "-f");

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Error + second.Error);
        Assert.That(Readback.NftSets(Ns, "datadog"), Is.EqualTo(expected));
        string ruleset = Ns.Exec("nft", "list", "ruleset").Succeeded();
        Assert.That(ruleset, Does.Contain("(ip-ranges v47)").And.Not.Contain("(ip-ranges v46)"), "the comments name the version in force");
    }

    [Test]
    public void Update_TableMissing_IsRefusedWholeByNft()
    {
        RuleSet v46 = RuleSet.For(Load("datadoghq.com-v46.json"), Section.Logs);
        RuleSet v47 = RuleSet.For(Load("datadoghq.com-v47.json"), Section.Logs);
        Ns.Exec("nft", "flush", "ruleset").Succeeded();

        ToolResult result = Ns.ExecOnFile(v47.ToNftablesUpdate(v46), "nft", "-f");

        Assert.That(result.ExitCode, Is.Not.Zero, "nft accepted an update of sets that are not there");
        Assert.That(Ns.Exec("nft", "list", "ruleset").Succeeded(), Is.Empty, "a refused update must change nothing");
    }

    [Test]
    public void OwnTable_NamedWithAnNftKeyword_IsRefusedByNftAndChangesNothing()
    {
        // Documented on NftablesEmitterOptions.Table: the name is safe (validated characters) but nft reserves it.
        ToolResult result = Ns.ExecOnFile(RuleSet.For(Section.Logs).ToNftables(new NftablesEmitterOptions { Table = "counter" }), "nft", "-f");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(Ns.Exec("nft", "list", "ruleset").Succeeded(), Is.Empty);
    }

    [Test]
    public void LongestComment_IsAcceptedByNft()
    {
        string[] sources = Enumerable.Range(0, 4).Select(i => $"section-{i}-{new string('x', 50)}").ToArray();
        var rule = new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.144.0/20"), sources);
        string text = RuleSet.Create([rule], new RuleSetProvenance(null, 1, null, sources, false))
            .ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable });

        Ns.ExecOnFile(text, "nft", "-f").Succeeded();

        Assert.That(
            Ns.Exec("nft", "list", "chain", "inet", "datadog", "egress").Succeeded(), Does.Contain(" and 3 more (ip-ranges v1)\""),
            "the comment names fewer sections, keeps the version, and nft kept it");
    }

    [Test]
    public void HostileProvenance_LoadsNothingButTheTableItOwns()
    {
        foreach (RuleSet rules in new[] { HostileInput.FromDocument(), HostileInput.FromProvenance() })
        {
            Ns.ExecOnFile(rules.ToNftables(new NftablesEmitterOptions { Layout = NftablesLayout.StrictOwnTable }), "nft", "-f").Succeeded();

            string ruleset = Ns.Exec("nft", "list", "ruleset").Succeeded();
            Assert.That(ruleset.Split('\n').Where(line => line.StartsWith("table ", StringComparison.Ordinal)), Is.EqualTo(new[] { "table inet datadog {" }));
            Assert.That(ruleset, Does.Not.Contain("evil"));
        }
    }

    private static void AssertSetsHold(Dictionary<string, string[]> actual, RuleSet rules, Func<FirewallRule, string> setName)
    {
        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (FirewallRule rule in rules.Rules)
        {
            foreach ((AddressFamilies family, string suffix) in new[] { (AddressFamilies.IPv4, "v4"), (AddressFamilies.IPv6, "v6") })
            {
                string[] prefixes = Readback.Expected(rule, family);
                if (prefixes.Length > 0)
                {
                    expected[string.Format(System.Globalization.CultureInfo.InvariantCulture, setName(rule), suffix)] = prefixes;
                }
            }
        }

        Assert.That(actual, Is.EqualTo(expected), "sets read back from the kernel");
    }

    private static string[] SetNames(RuleSet rules) =>
        rules.Rules.SelectMany(r => new[] { r.Prefixes.IPv4.IsEmpty ? null : r.Name + "-v4", r.Prefixes.IPv6.IsEmpty ? null : r.Name + "-v6" }).OfType<string>().ToArray();

    private static IpRangesDocument Load(string document) => IpRangesDocument.Load(TestData.Path_("ip-ranges", document));
}
