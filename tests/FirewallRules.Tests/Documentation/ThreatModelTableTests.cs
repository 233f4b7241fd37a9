using System.Reflection;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Documentation;

/// <summary>
/// The threat model in docs/guides/security-model.md held to the code: it has a row for every input the tool reads or acts on,
/// each row says what happens when the input lies (refused, fails closed, or bounded) and names at least one test that attacks
/// it, and every test it names exists in this suite (a fixture and a test method of it): a row whose test is renamed or
/// deleted fails here; and every row has a patch in tests/mutations that removes its guard.
/// </summary>
[TestFixture]
public sealed partial class ThreatModelTableTests
{
    private static readonly string[] Inputs =
    [
        "The upstream document, first fetch", "The upstream document, later fetches", "A mirror as the upstream", "The cache", "The sync state",
        "The shipped snapshot", "The clock", "DNS answers", "Agent configuration files", "Agent variables", "Helm values and other manifests",
        "Command-line options", "The serve configuration", "HTTP requests to serve", "AWS tags", "AWS list and group contents", "Signals", "A full disk",
        "A notice receiver's answers",
    ];

    private static readonly string[] Outcomes = ["refused", "fails closed", "bounded"];

    [Test]
    public void Table_HasARowForEveryInput_EachSayingWhatHappensWhenItLiesAndNamingATest()
    {
        List<string[]> rows = Rows();

        Assert.That(Inputs.Where(input => !rows.Any(row => row[0] == input)), Is.Empty, "inputs without a row");
        Assert.That(rows.Where(row => row.Length != 6).Select(row => row[0]), Is.Empty, "rows without the six columns");
        Assert.That(rows.Where(row => !Outcomes.Any(outcome => row[4].StartsWith(outcome, StringComparison.OrdinalIgnoreCase))).Select(row => row[0]), Is.Empty,
            "rows whose 'when it lies' does not start with refused, fails closed or bounded");
        Assert.That(rows.Where(row => !TestName().IsMatch(row[5])).Select(row => row[0]), Is.Empty, "rows naming no test");
    }

    [Test]
    public void Table_EveryTestItNames_ExistsInTheSuite()
    {
        Dictionary<string, Type[]> fixtures = typeof(ThreatModelTableTests).Assembly.GetTypes().GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.ToArray());
        string[] named = [.. Rows().SelectMany(row => TestName().Matches(row[5]).Select(m => m.Groups["test"].Value)).Distinct()];

        Assert.That(named, Has.Length.GreaterThan(Inputs.Length));
        Assert.That(named.Where(test => !Exists(fixtures, test)), Is.Empty, "tests the table names that the suite does not have");
    }

    // tests/mutations/run.sh applies each patch and runs the tests its "# test:" line names; a patch's "# row:" line names the row
    // whose guard it removes. A row no patch breaks is a guard nobody has seen fail.
    [Test]
    public void Table_EveryRow_HasAMutationPatchThatRemovesItsGuard()
    {
        string[] inputs = [.. Rows().Select(row => row[0])];
        (string Patch, string Row)[] named =
        [
            .. Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "mutations"), "*.patch")
                .SelectMany(patch => File.ReadLines(patch).TakeWhile(line => line.StartsWith('#'))
                    .Where(line => line.StartsWith("# row: ", StringComparison.Ordinal))
                    .Select(line => (Path.GetFileName(patch), line["# row: ".Length..]))),
        ];

        Assert.That(named.Where(n => !inputs.Contains(n.Row)).Select(n => $"{n.Patch}: {n.Row}"), Is.Empty, "patches naming a row the table lacks");
        Assert.That(inputs.Where(input => !named.Any(n => n.Row == input)), Is.Empty, "rows no patch in tests/mutations breaks");
    }

    private static bool Exists(Dictionary<string, Type[]> fixtures, string test)
    {
        string[] parts = test.Split('.');
        return fixtures.GetValueOrDefault(parts[0], []).Any(type => parts.Length == 1
            ? type.GetCustomAttributes<TestFixtureAttribute>().Any()
            : type.GetMethods().Any(m => m.Name == parts[1] && m.GetCustomAttributes().Any(a => a is TestAttribute or TestCaseAttribute or TestCaseSourceAttribute)));
    }

    /// <summary>The rows of the table under "## Threat model", each cell trimmed; the header and separator rows left out.</summary>
    private static List<string[]> Rows()
    {
        string page = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "guides", "security-model.md"));
        int start = page.IndexOf("\n## Threat model\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), "security-model.md has no '## Threat model' section");
        string section = page[start..];
        int next = section.IndexOf("\n## ", 5, StringComparison.Ordinal);
        string[] lines = [.. section[..(next < 0 ? section.Length : next)].Split('\n').Where(line => line.StartsWith('|'))];
        return [.. lines.Skip(2).Select(line => line.Trim().Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray())];
    }

    [GeneratedRegex(@"`(?<test>[A-Z][A-Za-z0-9]*Tests(?:\.[A-Z][A-Za-z0-9_]*)?)`")]
    private static partial Regex TestName();
}
