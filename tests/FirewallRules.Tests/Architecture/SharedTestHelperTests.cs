using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// What every fixture shares is written once, in <c>Support/</c>: no other test file declares its own helper that plans an agent
/// from configuration text (a <c>Plan(string yaml)</c>; <see cref="TestAgent.Plan"/> is the one), and none writes the Agent
/// version the tests plan for (<see cref="TestAgent.Version"/>), so a new newest Agent is one line to change.
/// </summary>
[TestFixture]
public sealed partial class SharedTestHelperTests
{
    private const string Support = "tests/FirewallRules.Tests/Support/";

    [Test]
    public void TestFiles_OutsideSupport_DeclareNoPlanHelperOfTheirOwn()
    {
        string[] found = [.. Outside(PlanHelper(), SourceCode.WithoutComments)];

        Assert.That(found, Is.Empty, "test files declaring a Plan(string ...) helper: call TestAgent.Plan (Support/TestAgent.cs) instead");
    }

    [Test]
    public void TestFiles_OutsideSupport_WriteNoAgentVersionOfTheirOwn()
    {
        string[] found = [.. Outside(AgentVersion, code => code)];

        Assert.That(found, Is.Empty, $"test files writing the Agent version {TestAgent.Version}: use TestAgent.Version (Support/TestAgent.cs) instead");
    }

    [Test]
    public void Patterns_FindTheSupportFilesOwn()
    {
        // Guards the two checks above against patterns that find nothing: the one helper and the one version are found where they are.
        string support = SourceCode.Read(Support + "TestAgent.cs");

        Assert.That(PlanHelper().IsMatch(support), Is.True, "TestAgent.Plan's declaration");
        Assert.That(AgentVersion.IsMatch(support), Is.True, "TestAgent.Version's value");
        Assert.That(PlanHelper().IsMatch("    private static AgentPlan Plan(" + "string yaml) => AgentConfiguration.Parse(yaml);"), Is.True);
        Assert.That(PlanHelper().IsMatch("        AgentPlan plan = Plan(string.Concat(a, b));"), Is.False, "a call");
        Assert.That(SourceCode.TestFiles(), Has.Member(Support + "TestAgent.cs").And.Member("tests/FirewallRules.Tests/Architecture/SharedTestHelperTests.cs"));
    }

    /// <summary>The lines of the test files outside Support/ (as <paramref name="read"/> leaves them) that <paramref name="pattern"/> finds.</summary>
    private static IEnumerable<string> Outside(Regex pattern, Func<string, string> read) =>
        SourceCode.TestFiles()
            .Where(file => !file.StartsWith(Support, StringComparison.Ordinal))
            .SelectMany(file => read(SourceCode.Read(file)).Split('\n').Select((line, index) => (file, line, index)))
            .Where(line => pattern.IsMatch(line.line))
            .Select(line => $"{line.file}:{line.index + 1}: {line.line.Trim()}");

    // A method or local function named Plan whose first parameter is a string: a declaration, never a call (read without comments).
    [GeneratedRegex(@"\bPlan\s*\(\s*string\??\s+[A-Za-z_]\w*")]
    private static partial Regex PlanHelper();

    // The version's release line with any patch (x.y.0 as well as x.y.1), as a version, not as a host name writes it (x-y-z-app):
    // made from the constant, so that the check follows it and this file writes no version.
    private static readonly Regex AgentVersion =
        new($@"\b{Regex.Escape(TestAgent.Version[..TestAgent.Version.LastIndexOf('.')])}\.\d+\b", RegexOptions.CultureInvariant);
}
