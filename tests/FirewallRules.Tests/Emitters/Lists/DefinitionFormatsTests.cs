using System.Text.Json;
using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Lists;

/// <summary>
/// The list formats: <c>list</c>, and the network definitions <c>capirca</c> (read back by Capirca's own definitions
/// parser, Debian's python3-capirca) and <c>aerleon</c> (Aerleon is not packaged where this project installs from,
/// so its YAML is read by PyYAML, the loader Aerleon uses, and checked against Aerleon's documented
/// <c>networks:</c> form, each address parsed by Capirca's address type). Golden files pin each output.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class DefinitionFormatsTests
{
    private static readonly string[] Formats = ["list", "capirca", "aerleon"];

    private string _work = null!;

    public static IEnumerable<TestCaseData> FormatsAndGoldenCases() =>
        from format in Formats
        from name in new[] { "v52-logs", "v40-api-apm-webhooks" }
        select new TestCaseData(format, name);

    [SetUp]
    public void SetUp() => _work = Directory.CreateTempSubdirectory("fwrules-definitions-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_work, recursive: true);

    [TestCaseSource(nameof(FormatsAndGoldenCases))]
    public void Render_RealDocument_MatchesGoldenFile(string format, string name)
    {
        string text = GoldenRules(name).Render(EmitterRegistry.Default.Create(format));

        GoldenFile.AssertMatches(text, format, name + (format == "aerleon" ? ".yaml" : format == "capirca" ? ".net" : ".txt"));
    }

    public static IEnumerable<TestCaseData> DefinitionFormatsAndDocuments() =>
        from format in new[] { "capirca", "aerleon" }
        from path in TestData.IpRangesDocuments
        select new TestCaseData(format, path);

    [TestCaseSource(nameof(DefinitionFormatsAndDocuments))]
    public void Render_EveryRealDocument_ReadsBackAsEverySectionsPrefixesAndTheSitesGroup(string format, string path)
    {
        IpRangesDocument document = IpRangesDocument.Load(path, Site.US1);
        string[] sections = [.. document.SectionList.Where(s => !s.IsEmpty).Select(s => s.Name)];

        Dictionary<string, PrefixSet> networks = ReadBack(format, RuleSet.For(document, sections).Render(EmitterRegistry.Default.Create(format)));

        Dictionary<string, PrefixSet> expected = sections.ToDictionary(s => "DATADOG_US1_" + s.ToUpperInvariant().Replace('-', '_'), s => document[s].Prefixes);
        expected["DATADOG_US1"] = sections.Aggregate(PrefixSet.Empty, (all, s) => all.Union(document[s].Prefixes));
        Assert.That(networks, Is.EqualTo(expected));
    }

    [TestCase("capirca")]
    [TestCase("aerleon")]
    public void Render_SectionsSharingARule_NamesEachSectionAndTheSite(string format)
    {
        IpRangesDocument document = IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v59.json"), Site.EU1);
        RuleSet rules = RuleSet.For(document, ["logs", "apm"], new RuleSetOptions { Ports = [PortRange.Https, new PortRange(TransportProtocol.Tcp, 10516)] });
        var options = new EmitterOptions { Name = "dd-prod", Families = AddressFamilies.IPv4 };

        Dictionary<string, PrefixSet> networks = ReadBack(format, rules.Render(EmitterRegistry.Default.Create(format, options)));

        Assert.That(rules.Rules.Select(r => r.Sources), Has.All.EqualTo(new[] { "apm", "logs" }), "one rule per port, both holding both sections");
        Assert.That(networks.Keys, Is.EquivalentTo(new[] { "DD_PROD_EU1_APM", "DD_PROD_EU1_LOGS", "DD_PROD_EU1" }));
        Assert.That(networks["DD_PROD_EU1_APM"], Is.EqualTo(document["apm"].Prefixes.IPv4));
        Assert.That(networks["DD_PROD_EU1_LOGS"], Is.EqualTo(document["logs"].Prefixes.IPv4));
        Assert.That(networks["DD_PROD_EU1"], Is.EqualTo(document["apm"].Prefixes.Union(document["logs"].Prefixes).IPv4));
    }

    [Test]
    public void Render_PrefixBudget_NamesTheRulesSectionsTogether()
    {
        IpRangesDocument document = IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v59.json"), Site.US1);
        RuleSet rules = RuleSet.For(document, ["logs", "apm"], new RuleSetOptions { Ports = [PortRange.Https] });
        var options = new EmitterOptions { MaxPrefixesPerRule = 20 };

        Dictionary<string, PrefixSet> networks = ReadBack("capirca", rules.Render(EmitterRegistry.Default.Create("capirca", options)));

        Assert.That(networks.Keys, Is.EquivalentTo(new[] { "DATADOG_US1_APM_LOGS" }), "a summary belongs to the rule, not to one section");
        Assert.That(networks["DATADOG_US1_APM_LOGS"], Is.EqualTo(ExpectedRules.For(rules, options).Rules.Single().Prefixes));
    }

    [Test]
    public void Render_TwoSectionsSpellingTheSameName_IsRefusedBeforeWriting()
    {
        RuleSet rules = RuleSet.Create(
            [
                new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["a.b"]),
                new FirewallRule(Direction.Egress, RuleAction.Allow, new PortRange(TransportProtocol.Tcp, 8443), PrefixSet.Parse("198.51.100.0/24"), ["a-b"]),
            ],
            new RuleSetProvenance(null, 1, null, ["a-b", "a.b"], IsEmbeddedSnapshot: false));
        using var output = new StringWriter();

        Assert.That(
            () => rules.Render(EmitterRegistry.Default.Create("capirca"), output),
            Throws.TypeOf<RuleGenerationException>().With.Message.EqualTo("the network name DATADOG_A_B would stand for both a.b and a-b: render these sections separately"));
        Assert.That(output.ToString(), Is.Empty);
    }

    [Test]
    public void Aerleon_HostileNameOrProvenance_StaysInsideQuotesAndComments()
    {
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("192.0.2.0/24"), ["yes:no"])],
            new RuleSetProvenance(null, 1, "2026-01-01\nnetworks: {evil: 1}", ["yes:no"], IsEmbeddedSnapshot: false));
        string file = Path.Combine(_work, "hostile.yaml");
        File.WriteAllText(file, rules.Render(EmitterRegistry.Default.Create("aerleon", new EmitterOptions { Name = "on" })));

        ToolResult read = ReadAerleon(file);

        Assert.That(read.ExitCode, Is.Zero, read.Error);
        Assert.That(Networks(read.Output).Keys, Is.EquivalentTo(new[] { "ON_YES_NO" }), "YAML 1.1 reads a bare on or yes as a boolean; quoted, it stays a name");
    }

    private static RuleSet GoldenRules(string name) => name == "v52-logs"
        ? RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), Site.US1), Section.Logs)
        : RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v40.json"), Site.US1), Section.Api, Section.Apm, Section.Webhooks);

    /// <summary>Every network of <paramref name="text"/> as the format's reader expands it (Capirca's parser, or Aerleon's documented form).</summary>
    private Dictionary<string, PrefixSet> ReadBack(string format, string text)
    {
        string file = Path.Combine(_work, format == "capirca" ? "datadog.net" : "datadog.yaml");
        File.WriteAllText(file, text);
        ToolResult read = format == "capirca" ? ReadCapirca(_work, "datadog.net") : ReadAerleon(file);
        Assert.That(read.ExitCode, Is.Zero, read.Error);
        return Networks(read.Output);
    }

    /// <summary>Capirca's own reader of <c>.net</c> files: every name, expanded (groups to their members' addresses).</summary>
    private static ToolResult ReadCapirca(string directory, string file) =>
        ExternalTool.Run(ExternalTool.SystemPython("capirca.lib.naming"), ["-c", """
            import json, sys
            from capirca.lib import naming
            definitions = naming.Naming(sys.argv[1], sys.argv[2], 'networks')
            print(json.dumps({name: [str(address) for address in definitions.GetNet(name)] for name in definitions.networks}))
            """, directory, file]);

    /// <summary>
    /// Aerleon's documented definitions form, read as Aerleon reads it (PyYAML's safe loader): a <c>networks</c> map of
    /// names (letters, digits, <c>-</c>, <c>_</c>), each a map with a <c>values</c> list whose items are maps holding a
    /// string <c>address</c> or <c>name</c> (a name defined in the file) and optionally a <c>comment</c>.
    /// </summary>
    private static ToolResult ReadAerleon(string file) =>
        ExternalTool.Run(ExternalTool.SystemPython("capirca.lib.nacaddr"), ["-c", """
            import json, re, sys, yaml
            from capirca.lib import nacaddr
            with open(sys.argv[1]) as f:
                document = yaml.safe_load(f)
            assert set(document) == {'networks'}, f'top-level keys {sorted(document)}'
            networks = document['networks']
            for name, definition in networks.items():
                assert isinstance(name, str) and re.fullmatch(r'[-_A-Za-z0-9]+', name), f'name {name!r}'
                assert set(definition) == {'values'} and isinstance(definition['values'], list), f'{name}: {definition!r}'
                for item in definition['values']:
                    keys = set(item) - {'comment'}
                    assert keys in ({'address'}, {'name'}) and all(isinstance(v, str) for v in item.values()), f'{name}: {item!r}'
                    assert 'name' not in item or item['name'] in networks, f'{name}: undefined {item["name"]}'
            def expand(name):
                for item in networks[name]['values']:
                    yield from expand(item['name']) if 'name' in item else [str(nacaddr.IP(item['address'], strict=True))]
            print(json.dumps({name: list(expand(name)) for name in networks}))
            """, file]);

    private static Dictionary<string, PrefixSet> Networks(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string[]>>(json)!
            .ToDictionary(n => n.Key, n => PrefixSet.Parse(string.Join('\n', n.Value)));
}
