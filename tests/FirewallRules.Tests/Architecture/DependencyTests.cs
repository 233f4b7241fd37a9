using System.Text.RegularExpressions;
using FirewallRules.Cidr;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// The flow's direction (DESIGN.md): Cidr ← Ranges ← Fetching, Rules ← Emitters ← the command line.
/// An emitter never fetches, a client never renders, and the CIDR engine knows nothing of Datadog.
/// </summary>
[TestFixture]
public partial class DependencyTests
{
    // What each stage folder of src/FirewallRules may use besides itself; IO is a leaf anyone may use.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Cidr"] = [],
        ["IO"] = [],
        ["Ranges"] = ["Cidr", "IO"],
        ["Fetching"] = ["Cidr", "Ranges", "IO"],
        ["Rules"] = ["Cidr", "Ranges"],
        ["Ports"] = ["Cidr", "Rules"],
        ["PrivateLink"] = ["Cidr", "Ranges", "Rules", "IO"],
        ["Emitters"] = ["Cidr", "Ranges", "Rules", "Ports", "PrivateLink"],
    };

    [Test]
    public void Library_DoesNotReferenceTheCommandLineParser()
    {
        Assert.That(typeof(PrefixSet).Assembly.GetReferencedAssemblies().Select(a => a.Name), Has.None.StartsWith("System.CommandLine"));
    }

    [Test]
    public void LibraryFolders_OnlyDependOnEarlierStagesOfTheFlow()
    {
        string library = Path.Combine(TestData.RepositoryRoot, "src", "FirewallRules");
        var violations = new List<string>();
        foreach (string file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string stage = Path.GetRelativePath(library, file).Split(Path.DirectorySeparatorChar)[0];
            Assert.That(Allowed.ContainsKey(stage), Is.True, $"{file} is in a folder the flow does not name: add it to this test deliberately");
            foreach (Match use in StageReference().Matches(File.ReadAllText(file)))
            {
                string used = use.Groups[1].Value;
                if (used != stage && !Allowed[stage].Contains(used))
                {
                    violations.Add($"{Path.GetRelativePath(library, file)} uses FirewallRules.{used}");
                }
            }
        }

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void StageReference_FindsUsingsAndQualifiedNames()
    {
        // Guards the check above against a regex that silently matches nothing.
        string sample = "using FirewallRules.Fetching;\nvar x = new FirewallRules.Emitters.Foo();\n// FirewallRulesX.Cidr";
        Assert.That(StageReference().Matches(sample).Select(m => m.Groups[1].Value), Is.EqualTo(new[] { "Fetching", "Emitters" }));
    }

    [GeneratedRegex(@"\bFirewallRules\.(Cidr|IO|Ranges|Fetching|Rules|Ports|PrivateLink|Emitters)\b")]
    private static partial Regex StageReference();
}
