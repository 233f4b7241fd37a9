using System.Reflection;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// The flow's direction: Cidr ← Ranges ← Fetching, Rules ← Emitters ← the command line.
/// An emitter never fetches, a client never renders, and the CIDR engine knows nothing of Datadog.
/// </summary>
/// <remarks>
/// A file's stage is its folder. It uses another stage through that stage's namespace, or through one of
/// the types a script needs, which live in the <c>FirewallRules</c> namespace itself (ARCHITECTURE.md):
/// those are found by name, their stage being the folder that holds their file.
/// </remarks>
[TestFixture]
public partial class DependencyTests
{
    // What each stage folder of src/FirewallRules may use besides itself; IO, Names and Advice (what resolves a
    // refusal) are leaves anyone may use.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Advice"] = [],
        ["Cidr"] = ["IO", "Advice"],
        ["IO"] = [],
        ["Names"] = [],
        // Every Datadog host and intake port, per site.
        ["Intakes"] = ["Ranges"],
        ["Ranges"] = ["Cidr", "IO", "Names", "Advice"],
        ["Fetching"] = ["Cidr", "Ranges", "IO", "Names", "Advice"],
        ["Rules"] = ["Cidr", "Ranges", "Intakes", "Names", "Advice"],
        ["Ports"] = ["Cidr", "Ranges", "Intakes", "Rules", "Names", "Advice"],
        ["PrivateLink"] = ["Cidr", "Ranges", "Rules", "IO", "Names", "Advice"],
        ["Emitters"] = ["Cidr", "Ranges", "Intakes", "Rules", "Ports", "PrivateLink", "Names", "Advice"],
        // The operations built on the flow: reachability of the Agent's endpoints, change notices, and sync.
        ["Verification"] = ["Cidr", "Ranges", "Intakes", "Rules", "Advice"],
        ["Notices"] = ["Cidr", "Ranges", "Rules", "Fetching", "IO", "Advice"],
        ["Sync"] = ["Cidr", "Ranges", "Fetching", "Rules", "Emitters", "Notices", "IO", "Advice"],
        // What an agent's own configuration says it contacts and listens on, and those as rules.
        ["AgentConfig"] = ["Cidr", "Ranges", "Intakes", "Rules", "Ports", "Verification", "IO", "Advice"],
    };

    private static string Library => Path.Combine(TestData.RepositoryRoot, "src", "FirewallRules");

    [Test]
    public void Library_DoesNotReferenceTheCommandLineParser()
    {
        Assert.That(typeof(PrefixSet).Assembly.GetReferencedAssemblies().Select(a => a.Name), Has.None.StartsWith("System.CommandLine"));
    }

    [Test]
    public void LibraryFolders_OnlyDependOnEarlierStagesOfTheFlow()
    {
        Dictionary<string, string> rootTypes = RootTypeStages();
        var violations = new List<string>();
        foreach (string file in LibraryFiles())
        {
            string stage = StageOf(file);
            Assert.That(Allowed.ContainsKey(stage), Is.True, $"{file} is in a folder the flow does not name: add it to this test deliberately");
            string code = SourceCode.WithoutComments(File.ReadAllText(file));
            IEnumerable<string> used = StageReference().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(Identifier().Matches(code).Select(m => rootTypes.GetValueOrDefault(m.Value)).OfType<string>());
            violations.AddRange(used.Distinct()
                .Where(other => other != stage && !Allowed[stage].Contains(other))
                .Select(other => $"{Path.GetRelativePath(Library, file)} uses {other}"));
        }

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void RootNamespace_HoldsOnlyTypesWhoseFileIsInAStageFolder()
    {
        // Guards the check above: every type in FirewallRules itself must be attributed to a stage.
        Assert.That(RootTypeStages(), Has.Count.GreaterThanOrEqualTo(10));
        Assert.That(RootTypeStages()["RuleSet"], Is.EqualTo("Rules"));
        Assert.That(RootTypeStages()["NftablesRendering"], Is.EqualTo("Emitters"));
    }

    [Test]
    public void StageReference_FindsUsingsAndQualifiedNames()
    {
        // Guards the check above against a regex that silently matches nothing.
        string sample = "using FirewallRules.Fetching;\nvar x = new FirewallRules.Emitters.Foo();\n// FirewallRulesX.Cidr";
        Assert.That(StageReference().Matches(sample).Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "Fetching", "Emitters" }));
    }

    private static IEnumerable<string> LibraryFiles() =>
        Directory.EnumerateFiles(Library, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string StageOf(string file) => Path.GetRelativePath(Library, file).Split(Path.DirectorySeparatorChar)[0];

    // Type name -> the stage whose folder holds its file (one public type per file, named after it).
    private static Dictionary<string, string> RootTypeStages()
    {
        Dictionary<string, string> files = LibraryFiles().ToDictionary(f => Path.GetFileNameWithoutExtension(f), StageOf);
        return typeof(PrefixSet).Assembly.GetTypes()
            .Where(t => t.Namespace == "FirewallRules" && !t.IsNested
                && t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null && !t.Name.Contains('<', StringComparison.Ordinal))
            .ToDictionary(t => t.Name, t => files[t.Name]);
    }

    [GeneratedRegex(@"\bFirewallRules\.(Advice|Cidr|IO|Names|Intakes|Ranges|Fetching|Rules|Ports|PrivateLink|Emitters|Verification|Notices|Sync)\b")]
    private static partial Regex StageReference();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
