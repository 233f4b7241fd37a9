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
        // What an agent's own configuration says it contacts and listens on, and those as rules in any format: its Rendering/
        // folder alone reaches the emitters' registry (AgentConfigFolders_DependOneWay).
        ["AgentConfig"] = ["Cidr", "Ranges", "Intakes", "Rules", "Ports", "Verification", "Emitters", "IO", "Names", "Advice"],
    };

    // AgentConfig's folders, one namespace, in the order they may use each other: each uses only those before it.
    private static readonly string[] AgentConfigOrder = ["Catalogue", "Reading", "Planning", "Rendering"];

    // The stages an AgentConfig folder may use beyond the others AgentConfig may: only Rendering/ renders, through the registry.
    private static readonly Dictionary<string, string[]> AgentConfigOnly = new() { ["Emitters"] = ["Rendering"] };

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
            IEnumerable<string> used = StagesReferenced(code)
                .Concat(Identifier().Matches(code).Select(m => rootTypes.GetValueOrDefault(m.Value)).OfType<string>());
            violations.AddRange(used.Distinct()
                .Where(other => other != stage && (!Allowed[stage].Contains(other) || !AllowedInFolder(file, other)))
                .Select(other => $"{Path.GetRelativePath(Library, file)} uses {other}"));
        }

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void AgentConfigFolders_DependOneWay()
    {
        // Catalogue <- Reading <- Planning <- Rendering: a type of a later folder named in an earlier one is a reference back up the order.
        Dictionary<string, string> folders = AgentConfigTypeFolders();
        var violations = new List<string>();
        foreach (string file in LibraryFiles().Where(f => StageOf(f) == "AgentConfig"))
        {
            string folder = AgentConfigFolderOf(file);
            Assert.That(AgentConfigOrder, Does.Contain(folder), $"{file} is in a folder of AgentConfig the order does not name");
            string code = SourceCode.WithoutComments(File.ReadAllText(file));
            violations.AddRange(Identifier().Matches(code).Select(m => m.Value).Distinct()
                .Where(name => folders.TryGetValue(name, out string? other) && Array.IndexOf(AgentConfigOrder, other) > Array.IndexOf(AgentConfigOrder, folder))
                .Select(name => $"{Path.GetRelativePath(Library, file)} uses {name} ({folders[name]})"));
        }

        Assert.That(folders, Has.Count.GreaterThan(40), "every top-level type of AgentConfig is found in its file");
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void StageReference_FindsPartlyQualifiedNames()
    {
        // Inside namespace FirewallRules.AgentConfig, Emitters.Kubernetes.ClusterPeers names the Emitters stage without its root.
        const string Code = "if (Emitters.Kubernetes.ClusterPeers.IsClusterAgentFeature(f)) { x = Ranges.Sections.GetName(s); n = rules.Count; m = Rules.Count; }";
        Assert.That(StagesReferenced(Code), Is.EquivalentTo(new[] { "Emitters", "Ranges" }));
        Assert.That(StagesReferenced("global::FirewallRules.Sync.SyncSettings s;"), Is.EqualTo(new[] { "Sync" }));
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
        string sample = "using FirewallRules.Fetching;\nvar x = new FirewallRules.Emitters.EmitterRegistry();\n// FirewallRulesX.Cidr";
        Assert.That(StagesReferenced(sample), Is.EqualTo(new[] { "Fetching", "Emitters" }));
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

    // Whether file, of a stage that may use other, may use it from its folder (AgentConfigOnly).
    private static bool AllowedInFolder(string file, string other) =>
        StageOf(file) != "AgentConfig" || !AgentConfigOnly.TryGetValue(other, out string[]? folders) || folders.Contains(AgentConfigFolderOf(file));

    private static string AgentConfigFolderOf(string file) => Path.GetRelativePath(Path.Combine(Library, "AgentConfig"), file).Split(Path.DirectorySeparatorChar)[0];

    // Top-level type name of AgentConfig -> the folder of the file that declares it.
    private static Dictionary<string, string> AgentConfigTypeFolders()
    {
        string[] names = [.. typeof(PrefixSet).Assembly.GetTypes()
            .Where(t => t.Namespace == "FirewallRules.AgentConfig" && !t.IsNested && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => t.Name.Split('`')[0]).Distinct()];
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in LibraryFiles().Where(f => StageOf(f) == "AgentConfig"))
        {
            string code = File.ReadAllText(file);
            foreach (string name in names.Where(n => Regex.IsMatch(code, $@"\b(?:class|record|struct|enum|interface)\s+(?:struct\s+)?{n}\b")))
            {
                folders[name] = AgentConfigFolderOf(file);
            }
        }

        return folders;
    }

    // The stages a piece of code names: a chain of names (FirewallRules.Emitters.Kubernetes.ClusterPeers, or from inside the root
    // namespace Emitters.Kubernetes.ClusterPeers, Ranges.Sections) that resolves to a namespace of the library, or to a type in one.
    private static IEnumerable<string> StagesReferenced(string code)
    {
        foreach (Match chain in NameChain().Matches(code))
        {
            string[] parts = chain.Groups[1].Value.Split('.');
            parts = parts[0] == "FirewallRules" ? parts[1..] : parts;
            for (int length = parts.Length; length >= 1; length--)
            {
                string ns = "FirewallRules." + string.Join('.', parts[..length]);
                if (LibraryNamespaces.Value.TryGetValue(ns, out HashSet<string>? types) && Stages.Contains(parts[0])
                    && (length == parts.Length || types.Contains(parts[length]) || chain.Groups[1].Value.StartsWith("FirewallRules.", StringComparison.Ordinal)))
                {
                    yield return parts[0];
                    break;
                }
            }
        }
    }

    private static readonly string[] Stages = ["Advice", "Cidr", "IO", "Names", "Intakes", "Ranges", "Fetching", "Rules", "Ports", "PrivateLink", "Emitters",
        "Verification", "Notices", "Sync", "AgentConfig"];

    // Namespace -> the names of the types it holds.
    private static readonly Lazy<Dictionary<string, HashSet<string>>> LibraryNamespaces = new(() => typeof(PrefixSet).Assembly.GetTypes()
        .Where(t => t.Namespace is not null && !t.IsNested)
        .GroupBy(t => t.Namespace!)
        .ToDictionary(g => g.Key, g => g.Select(t => t.Name.Split('`')[0]).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal));

    [GeneratedRegex(@"(?<![\w.])(?:global::)?([A-Z]\w*(?:\.[A-Z]\w*)+)")]
    private static partial Regex NameChain();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
